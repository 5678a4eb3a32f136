import HelplineWire
import Testing

/// The body conventions: MessagePack maps the broker never reads.
@Suite("Body conventions")
struct BodyTests {
    @Test func askBody_roundTrips_throughItsMessagePack() {
        let body = AskBody(
            prompt: "Refund order 1182?", context: "order late 9 days",
            transcript: [.init(role: "customer", text: "where is it?"), .init(role: "agent", text: "checking")],
            customer: ["name": "Ada", "tier": "gold"], proposed: ["amount": 40, "currency": "EUR", "partial": false])
        #expect(AskBody(decoding: body.encoded()) == body)
    }

    @Test func bodyValue_encodesEachValueInItsSmallestForm() {
        #expect(BodyValue.int(5).messagePack() == [0x05])
        #expect(BodyValue.int(-1).messagePack() == [0xff])
        #expect(BodyValue.int(200).messagePack() == [0xcc, 0xc8])
        #expect(BodyValue.int(60000).messagePack() == [0xcd, 0xea, 0x60])
        #expect(BodyValue.int(-200).messagePack() == [0xd1, 0xff, 0x38])
        #expect(BodyValue.string("hi").messagePack() == [0xa2, 0x68, 0x69])
        #expect(BodyValue.string(String(repeating: "a", count: 32)).messagePack().prefix(2) == [0xd9, 32])
        #expect(BodyValue.map(["b": 1, "a": 2]).messagePack() == [0x82, 0xa1, 0x61, 0x02, 0xa1, 0x62, 0x01])
    }

    @Test func bodyValue_roundTripsEveryKind() {
        let value: BodyValue = [
            "null": nil, "bool": true, "int": -123_456_789_012, "double": 1.5, "string": "héllo",
            "binary": .binary([0, 1, 2]), "array": [1, "two", [3]], "nested": ["deep": ["deeper": []]],
            "long": .string(String(repeating: "x", count: 70_000)),
        ]
        #expect(BodyValue(messagePack: value.messagePack()) == value)
    }

    @Test func bodyValue_refusesHostileOrForeignInput() {
        #expect(BodyValue(messagePack: []) == nil)
        #expect(BodyValue(messagePack: [0xdd, 0xff, 0xff, 0xff, 0xff]) == nil, "a count larger than the bytes")
        #expect(BodyValue(messagePack: [0xa3, 0x61]) == nil, "truncated string")
        #expect(BodyValue(messagePack: [0x01, 0x02]) == nil, "trailing bytes")
        #expect(BodyValue(messagePack: [0x81, 0x01, 0x01]) == nil, "non-str map key")
        #expect(BodyValue(messagePack: [0x82, 0xa1, 0x61, 0x01, 0xa1, 0x61, 0x02]) == nil, "duplicate key")
        #expect(BodyValue(messagePack: [0xa1, 0xff]) == nil, "invalid UTF-8")
        #expect(BodyValue(messagePack: [0xd4, 0x01, 0x00]) == nil, "ext")
        #expect(BodyValue(messagePack: Array(repeating: 0x91, count: 40) + [0x90]) == nil, "nesting beyond 32")
    }

    @Test func answerBody_readsTextAndEdited_andIgnoresOtherKeys() {
        let bytes = BodyValue.map(["text": "ok", "edited": ["amount": 30], "mood": "calm"]).messagePack()
        #expect(AnswerBody(decoding: bytes) == AnswerBody(text: "ok", edited: ["amount": 30]))
        #expect(AnswerBody(decoding: [0xa2, 0x68, 0x69]) == nil, "not a map")
    }
}
