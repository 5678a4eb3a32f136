/// A JSON value with object keys kept in order, so what the tool prints reads the same
/// way every time (`{"id":…,"outcome":…}`), for people and for `jq` alike.
///
/// The tool speaks JSON to scripts (`ask`, `work --exec`, `status --json`); bodies travel
/// as MessagePack (``BodyValue``). `JSONValue+BodyValue.swift` converts between them.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The value under `key`, if this is an object that has it (the first, if repeated).
    subscript(key: String) -> JSONValue? {
        guard case .object(let entries) = self else { return nil }
        return entries.first { $0.0 == key }?.1
    }

    /// The string, if this is one.
    var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The object's entries with null values left out: optional fields are omitted, not
    /// written as null, in everything the tool prints.
    static func compactObject(_ entries: [(String, JSONValue?)]) -> JSONValue {
        .object(entries.compactMap { key, value in value.map { (key, $0) } })
    }

    /// One line of compact JSON: keys in their order, strings escaped as RFC 8259 asks.
    var rendered: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number):
            // JSON has no NaN or infinity; null is the conventional stand-in.
            out += number.isFinite ? String(number) : "null"
        case .string(let text): Self.writeString(text, to: &out)
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.write(to: &out)
            }
            out += "]"
        case .object(let entries):
            out += "{"
            for (index, (key, value)) in entries.enumerated() {
                if index > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
