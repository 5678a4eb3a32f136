import Testing

@testable import helpline

/// The tool's JSON: strict on input, ordered and escaped on output.
@Suite("JSON")
struct JSONParserTests {
    @Test func parse_keepsKeyOrder_andTellsBooleansFromNumbers() throws {
        let value = try JSONParser.parse(#" {"b":1,"a":[true,false,null,1.5,-2,"x\u00e9\n"]} "#)
        #expect(value == .object([
            ("b", .int(1)), ("a", .array([.bool(true), .bool(false), .null, .double(1.5), .int(-2), .string("xé\n")])),
        ]))
    }

    @Test func render_escapesControlCharacters_andRoundTrips() throws {
        let value = JSONValue.object([("text", .string("line\n\"quoted\"\u{1B}[31m")), ("n", .int(3))])
        #expect(value.rendered == #"{"text":"line\n\"quoted\"\u001b[31m","n":3}"#)
        #expect(try JSONParser.parse(value.rendered) == value)
    }

    @Test func parse_refusesWhatIsNotJSON() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\u{01}\"", "\"\\ud800\"", "nul", "{} x", "'a'"] {
            #expect(throws: JSONParser.Failure.self, "\(text)") { try JSONParser.parse(text) }
        }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }

    @Test func bodyValues_convertBothWays() throws {
        let json = try JSONParser.parse(#"{"amount":240,"items":["lamp"],"gift":false}"#)
        #expect(JSONValue(json.bodyValue) == .object([
            ("amount", .int(240)), ("gift", .bool(false)), ("items", .array([.string("lamp")])),
        ]))
    }
}
