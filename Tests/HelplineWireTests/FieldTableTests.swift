import Foundation
import Testing

@testable import HelplineWire

/// The codec's header tables (`HeaderKeys`, the order the encoder writes and the keys the
/// decoder reads) against proto-spec/fields.json, the spec's one machine-readable field
/// table (proto-spec/check_fields.py keeps that file equal to 1-HLP.md §Commands).
struct FieldTableTests {
    /// Which `HeaderKeys` table each message of the spec is read and written with.
    static func table(_ command: String, _ direction: String, _ signature: String) -> [HeaderKey]? {
        let toBroker = direction == "to-broker"
        switch (command, toBroker, signature) {
        case ("ASK", true, _): return HeaderKeys.ask
        case ("CANCEL", true, _), ("EXPIRED", false, _), ("CANCELLED", false, _): return HeaderKeys.ticketOnly
        case ("RESUME", true, _): return HeaderKeys.resume
        case ("STATUS", true, _), ("HEARTBEAT", _, "HLPC01"), ("HEARTBEAT", false, "HLPW01"), ("DISCONNECT", true, _):
            return HeaderKeys.empty
        case ("HEARTBEAT", true, "HLPW01"): return HeaderKeys.presenceOnly
        case ("QUEUED", false, _): return HeaderKeys.queued
        case ("ASSIGNED", false, _): return HeaderKeys.assigned
        case ("ANSWERED", false, _): return HeaderKeys.answered
        case ("TRANSFERRED", false, _): return HeaderKeys.transferred
        case ("REPORT", false, _): return HeaderKeys.report
        case ("ERROR", false, _): return HeaderKeys.error
        case ("READY", true, _): return HeaderKeys.ready
        case ("ACCEPT", true, _), ("EXTEND", true, _): return HeaderKeys.lease
        case ("ANSWER", true, _): return HeaderKeys.answer
        case ("TRANSFER", true, _): return HeaderKeys.transfer
        case ("DECLINE", true, _): return HeaderKeys.decline
        case ("WELCOME", false, _): return HeaderKeys.welcome
        case ("ASSIGN", false, _): return HeaderKeys.assign
        case ("REVOKE", false, _): return HeaderKeys.revoke
        case ("DISCONNECT", false, _): return HeaderKeys.reasonOnly
        default: return nil
        }
    }

    static func document() -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("proto-spec/fields.json")
        guard let data = try? Data(contentsOf: url),
            let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { preconditionFailure("cannot read \(url.path)") }
        return document
    }

    static func keys(_ fields: Any?) -> [String] {
        ((fields as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String }
    }

    @Test func everyMessageOfTheSpecHasItsTableInTheCodec() {
        let messages = (Self.document()["messages"] as? [[String: Any]]) ?? []
        #expect(messages.count == 27)
        for message in messages {
            let command = message["command"] as? String ?? ""
            let direction = message["direction"] as? String ?? ""
            for signature in message["signatures"] as? [String] ?? [] {
                let table = Self.table(command, direction, signature)
                #expect(table?.map(\.name.description) == Self.keys(message["fields"]), "\(command) \(direction) \(signature)")
            }
        }
    }

    @Test func reportEntriesHaveTheSpecTables() {
        let records = Self.document()["records"] as? [String: Any] ?? [:]
        #expect(HeaderKeys.reportQueue.map(\.name.description) == Self.keys(records["report-queue"]))
        #expect(HeaderKeys.reportWorker.map(\.name.description) == Self.keys(records["report-worker"]))
    }
}
