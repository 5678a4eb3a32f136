import HelplineBrokerCore
import HelplineJournal
import HelplineJournalPostgres
import HelplineTestSupport
import HelplineWire
import Testing

/// The journal on a real PostgreSQL server (Debian's, non-root, unix socket in a temporary
/// folder): what goes in comes back out as the core needs it, as from the SQLite journal; a
/// rolled-back batch leaves nothing; pruning removes a ticket; a stopped server fails writes.
/// One server for the lot (initdb takes seconds), a fresh database per case.
@Suite(
    "PostgreSQL journal", .serialized,
    .enabled(if: PostgresServer.binaries != nil, "needs Debian's postgresql package (make deps installs it)"))
struct PostgresJournalTests {
    private static let clock = JournalClock(wallMilliseconds: 1_000_000_000, monotonic: .zero)

    @Test func journalOnOneServer() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        try committedRecords_replayIntoEachTicketsLastStage(server.database("replay"))
        try rolledBackBatch_leavesNoTrace_andTheNextBatchCommits(server.database("rollback"))
        try aBatchLargerThanOneSync_commitsWhole(server.database("large"))
        try pruned_deletesTheTicketWithItsHistoryAndOutcome(server.database("prune"))
        try aStoppedServer_failsTheCommit_andTheProbe(server.database("stopped"), server)
        #expect(throws: JournalError.self) {
            try PostgresJournal(conninfo: "postgresql:///postgres?host=/nonexistent-helpline", clock: Self.clock)
        }
    }

    private static func ticket(_ id: String, _ sequence: UInt64) -> TicketReference { TicketReference(id: id, sequence: sequence) }

    private static func asked(_ id: String, _ sequence: UInt64) -> JournalRecord {
        .asked(
            ticket(id, sequence), Ask(ticket: id, skills: ["refunds", "es"], priority: 3, options: ["yes", "no"]),
            bodyDigest: 99, client: ConnectionID(raw: 5), at: .zero)
    }

    private static func write(_ journal: any JournalStore, _ records: [JournalRecord], body: [UInt8] = []) throws {
        for record in records {
            try body.withUnsafeBytes { try journal.append(record, body: body.isEmpty ? nil : $0) }
        }
        try journal.commit()
    }

    private func committedRecords_replayIntoEachTicketsLastStage(_ conninfo: String) throws {
        let journal = try PostgresJournal(conninfo: conninfo, clock: Self.clock)
        let answered = Answered(ticket: "answered", decision: .option, option: "yes", worker: "ana", elapsedMilliseconds: 40)
        try Self.write(journal, [Self.asked("waiting", 1), Self.asked("offered", 2), Self.asked("accepted", 3), Self.asked("answered", 4)], body: Array("question".utf8))
        try Self.write(journal, [
            .offered(Self.ticket("offered", 2), worker: "ana", attempt: 1, at: Timestamp(milliseconds: 10)),
            .offered(Self.ticket("accepted", 3), worker: "bea", attempt: 1, at: Timestamp(milliseconds: 10)),
            .accepted(Self.ticket("accepted", 3), worker: "bea", at: Timestamp(milliseconds: 20)),
            .offered(Self.ticket("answered", 4), worker: "ana", attempt: 1, at: Timestamp(milliseconds: 10)),
        ])
        try Self.write(journal, [.finished(Self.ticket("answered", 4), .answered(answered), at: Timestamp(milliseconds: 40))], body: Array("yes!".utf8))

        // Another broker process: another monotonic origin, same wall clock.
        let later = JournalClock(wallMilliseconds: 1_000_000_000 + 60_000, monotonic: Timestamp(milliseconds: 5_000))
        let restored = try PostgresJournal(conninfo: conninfo, clock: later).restoredTickets { String(decoding: $0, as: UTF8.self) }
        #expect(restored.map(\.ask.ticket) == ["waiting", "offered", "accepted", "answered"])
        #expect(restored[0].stage == .waiting(atFront: false, order: 1))
        #expect(restored[0].askedAt == Timestamp(milliseconds: 5_000 - 60_000))
        #expect(restored[0].ask == Ask(ticket: "waiting", skills: ["refunds", "es"], priority: 3, options: ["yes", "no"]))
        #expect(restored[0].bodyDigest == 99)
        #expect(restored[0].askBody == "question")
        #expect(restored[1].stage == .held(by: "ana", accepted: false))
        #expect(restored[1].attempts == 1)
        #expect(restored[2].stage == .held(by: "bea", accepted: true))
        #expect(restored[3].stage == .finished(.answered(answered), at: Timestamp(milliseconds: 40 + 5_000 - 60_000)))
        #expect(restored[3].answerBody == "yes!")
        #expect(restored[3].askBody == nil)
    }

    private func rolledBackBatch_leavesNoTrace_andTheNextBatchCommits(_ conninfo: String) throws {
        let journal = try PostgresJournal(conninfo: conninfo, clock: Self.clock)
        try Self.write(journal, [Self.asked("kept", 1)])
        try journal.append(Self.asked("dropped", 2), body: nil)
        journal.rollback()
        try Self.write(journal, [.offered(Self.ticket("kept", 1), worker: "ana", attempt: 1, at: .zero)])
        let restored = try journal.restoredTickets { _ in () }
        #expect(restored.map(\.ask.ticket) == ["kept"])
        #expect(restored[0].stage == .held(by: "ana", accepted: false))
    }

    private func aBatchLargerThanOneSync_commitsWhole(_ conninfo: String) throws {
        let journal = try PostgresJournal(conninfo: conninfo, clock: Self.clock)
        let records = (1...2_000).map { Self.asked("t\($0)", UInt64($0)) }
        try Self.write(journal, records, body: Array(repeating: 7, count: 300))
        let restored = try journal.restoredTickets { $0.count }
        #expect(restored.count == 2_000)
        #expect(restored.allSatisfy { $0.askBody == 300 })
    }

    private func pruned_deletesTheTicketWithItsHistoryAndOutcome(_ conninfo: String) throws {
        let journal = try PostgresJournal(conninfo: conninfo, clock: Self.clock)
        try Self.write(journal, [Self.asked("gone", 1), Self.asked("stays", 2)])
        try Self.write(journal, [
            .offered(Self.ticket("gone", 1), worker: "ana", attempt: 1, at: .zero), .finished(Self.ticket("gone", 1), .cancelled, at: .zero),
        ])
        try Self.write(journal, [.pruned(Self.ticket("gone", 1))])
        #expect(try journal.restoredTickets { _ in () }.map(\.ask.ticket) == ["stays"])
    }

    private func aStoppedServer_failsTheCommit_andTheProbe(_ conninfo: String, _ server: PostgresServer) throws {
        let journal = try PostgresJournal(conninfo: conninfo, clock: Self.clock)
        try Self.write(journal, [Self.asked("before", 1)])
        server.stop()
        #expect(throws: JournalError.self) { try Self.write(journal, [Self.asked("during", 2)]) }
        #expect(throws: JournalError.self) { try journal.probe() }
    }
}
