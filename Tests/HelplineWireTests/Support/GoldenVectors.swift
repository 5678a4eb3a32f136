import Foundation
import HelplineWire
import Testing

/// A valid vector of proto-spec/vectors/: frames, the message its JSON header describes,
/// and the canonical header bytes that message encodes to.
struct GoldenVector: Sendable, CustomTestStringConvertible {
    let name: String
    let direction: Direction
    let frames: [[UInt8]]
    let body: [UInt8]?
    /// `canonical_hex`, or the header frame itself when that is already canonical.
    let canonicalHeader: [UInt8]
    /// Built from the JSON `header` by `VectorHeader`, independently of the decoder.
    let expected: AnyMessage

    var testDescription: String { name }
}

/// An invalid vector of proto-spec/vectors/invalid/: frames and the code they must earn.
struct InvalidVector: Sendable, CustomTestStringConvertible {
    let name: String
    let direction: Direction
    let frames: [[UInt8]]
    let error: ErrorCode
    /// `error_command`: nil when the vector says nothing; `.some(nil)` when the ERROR MUST
    /// NOT carry `command`.
    let errorCommand: UInt8??
    /// `error_id`, alike.
    let errorTicket: String??

    var testDescription: String { name }
}

enum GoldenVectors {
    /// proto-spec/vectors, found from this file's path: the tests run from any directory.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("proto-spec/vectors")

    static let valid: [GoldenVector] = documents(in: folder).map(golden)
    static let invalid: [InvalidVector] = documents(in: folder.appendingPathComponent("invalid")).map(invalidVector)

    private static func documents(in folder: URL) -> [[String: Any]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { name in
            let url = folder.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url),
                let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { preconditionFailure("cannot read \(url.path)") }
            return document
        }
    }

    private static func golden(_ document: [String: Any]) -> GoldenVector {
        let name = document["name"] as! String
        let direction = Direction(rawValue: document["direction"] as! String)!
        let command = Command(rawValue: UInt8(document["command_byte"] as! Int))!
        precondition(command.description == document["command"] as! String, "\(name): command and byte disagree")
        // One exception to the direction rule: the broker's 505 travels on HLPC01 to workers too.
        let signature = document["signature"] as! String
        precondition(
            direction.signature.rawValue == signature || (command == .error && signature == Signature.client.rawValue),
            "\(name): signature")
        let frames = (document["frames_hex"] as! [String]).map { bytes(hex: $0) }
        let header = VectorHeader(document["header"] as! [String: Any], vector: name)
        return GoldenVector(
            name: name, direction: direction, frames: frames,
            body: (document["body_hex"] as? String).map { bytes(hex: $0) },
            canonicalHeader: (document["canonical_hex"] as? String).map { bytes(hex: $0) } ?? frames[2],
            expected: header.message(direction, command))
    }

    private static func invalidVector(_ document: [String: Any]) -> InvalidVector {
        InvalidVector(
            name: document["name"] as! String,
            direction: Direction(rawValue: document["direction"] as! String)!,
            frames: (document["frames_hex"] as! [String]).map { bytes(hex: $0) },
            error: ErrorCode(rawValue: UInt16(document["error"] as! Int))!,
            errorCommand: expectation(document["error_command"]).map { $0.map { UInt8($0 as! Int) } },
            errorTicket: expectation(document["error_id"]).map { $0.map { $0 as! String } })
    }

    /// An optional JSON key whose `null` means "MUST be absent": nil when the key is
    /// absent, `.some(nil)` for null, `.some(value)` otherwise.
    private static func expectation(_ value: Any?) -> Any?? {
        guard let value else { return nil }
        return .some(value is NSNull ? nil : value)
    }
}
