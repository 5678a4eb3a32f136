import Foundation
import HelplineWire

extension JSONValue {
    /// A body value as JSON: maps become objects with sorted keys (MessagePack maps carry
    /// no order); binary becomes a base64 string, the usual JSON stand-in.
    init(_ value: BodyValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .binary(let bytes): self = .string(Data(bytes).base64EncodedString())
        case .array(let elements): self = .array(elements.map(JSONValue.init))
        case .map(let entries): self = .object(entries.keys.sorted().map { ($0, JSONValue(entries[$0]!)) })
        }
    }

    /// The value as a body value; of a key repeated in an object, the last one wins.
    var bodyValue: BodyValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .array(let elements): .array(elements.map(\.bodyValue))
        case .object(let entries):
            .map(Dictionary(entries.map { ($0.0, $0.1.bodyValue) }, uniquingKeysWith: { _, last in last }))
        }
    }
}

extension BodyValue {
    /// Reads a command-line value: JSON when it parses as JSON, else the text itself, so
    /// `--context "order late"` and `--proposed '{"amount":240}'` both do what they say.
    init(commandLine text: String) {
        if let json = try? JSONParser.parse(text) {
            self = json.bodyValue
        } else {
            self = .string(text)
        }
    }
}
