import Foundation
import HelplineBrokerCore
@testable import HelplineJournal
import HelplineWire
import Testing

/// The write-ahead log reaches the database file without the writer checkpointing.
@Suite struct JournalCheckpointerTests {
    private static let clock = JournalClock(wallMilliseconds: 1_000_000_000, monotonic: .zero)

    @Test func committedBatches_reachTheDatabaseFileWithoutTheWriterCheckpointing() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let path = directory.file("h.db")
        let journal = try Journal(path: path, sync: .normal, clock: Self.clock)
        // About 2 MB of tickets: far below the writer's own threshold (64 MiB of log), so
        // only the background checkpointer can move them into the database file.
        let body = [UInt8](repeating: 7, count: 2_000)
        var sequence: UInt64 = 0
        for _ in 0..<50 {
            for _ in 0..<20 {
                sequence += 1
                let ticket = TicketReference(id: "t\(sequence)", sequence: sequence)
                let record = JournalRecord.asked(
                    ticket, Ask(ticket: ticket.id), bodyDigest: nil, client: ConnectionID(raw: 1), at: .zero)
                try body.withUnsafeBytes { try journal.append(record, body: $0) }
            }
            try journal.commit()
        }
        let expected = 1_000_000
        let deadline = Date(timeIntervalSinceNow: 10)
        while Self.size(of: path) < expected && Date() < deadline { usleep(10_000) }
        #expect(Self.size(of: path) >= expected)
        #expect(Self.size(of: path + "-wal") > 0, "the writer never checkpointed by itself: its log is still there")
        withExtendedLifetime(journal) {}
    }

    @Test func closingTheJournal_stopsTheCheckpointerAndLeavesEveryRecord() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let path = directory.file("h.db")
        do {
            let journal = try Journal(path: path, sync: .normal, clock: Self.clock)
            for sequence in UInt64(1)...100 {
                let ticket = TicketReference(id: "t\(sequence)", sequence: sequence)
                try journal.append(
                    .asked(ticket, Ask(ticket: ticket.id), bodyDigest: nil, client: ConnectionID(raw: 1), at: .zero), body: nil)
                try journal.commit()
            }
        }
        let reopened = try Journal(path: path, sync: .normal, clock: Self.clock)
        #expect(try reopened.restoredTickets { _ in () }.count == 100)
    }

    private static func size(of path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}
