import Foundation
import HelplineWire

/// A body value as JSON, both ways: how ticket bodies reach the page and how edited
/// proposals come back. Binary goes out as base64 text (JSON has no bytes); a JSON number
/// with no fraction comes back as an integer.
struct JSONBody: Codable, Sendable, Equatable {
    let value: BodyValue

    init(_ value: BodyValue) {
        self.value = value
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let number = try? container.decode(Int64.self) {
            value = .int(number)
        } else if let number = try? container.decode(Double.self) {
            value = .double(number)
        } else if let text = try? container.decode(String.self) {
            value = .string(text)
        } else if let elements = try? container.decode([JSONBody].self) {
            value = .array(elements.map(\.value))
        } else if let entries = try? container.decode([String: JSONBody].self) {
            value = .map(entries.mapValues(\.value))
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch value {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .int(let number): try container.encode(number)
        case .double(let number): try container.encode(number.isFinite ? number : 0)
        case .string(let text): try container.encode(text)
        case .binary(let bytes): try container.encode(Data(bytes).base64EncodedString())
        case .array(let elements): try container.encode(elements.map(JSONBody.init))
        case .map(let entries): try container.encode(entries.mapValues(JSONBody.init))
        }
    }
}
