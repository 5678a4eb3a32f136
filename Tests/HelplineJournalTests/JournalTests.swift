import Foundation
import HelplineBrokerCore
@testable import HelplineJournal
import HelplineWire
import Testing

/// The journal on a real SQLite file in a temporary directory: what goes in comes back
/// out as the core needs it, pruning removes it, failures roll back.
@Suite struct JournalTests {
    /// Wall clock 1,000,000,000 ms ≙ monotonic 0.
    private static let clock = JournalClock(wallMilliseconds: 1_000_000_000, monotonic: .zero)

    private static func ticket(_ id: String, _ sequence: UInt64) -> TicketReference { TicketReference(id: id, sequence: sequence) }

    private static func asked(_ id: String, _ sequence: UInt64, at: Int64 = 0, role: Role = .hila) -> JournalRecord {
        .asked(
            ticket(id, sequence), Ask(ticket: id, skills: ["refunds", "es"], role: role, priority: 3, options: ["yes", "no"]),
            bodyDigest: 99, client: ConnectionID(raw: 5), at: Timestamp(milliseconds: at))
    }

    private static func write(_ journal: Journal, _ records: [JournalRecord], body: [UInt8] = []) throws {
        for record in records {
            try body.withUnsafeBytes { try journal.append(record, body: body.isEmpty ? nil : $0) }
        }
        try journal.commit()
    }

    @Test func committedRecords_replayIntoEachTicketsLastStage() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let journal = try Journal(path: directory.file("h.db"), sync: .normal, clock: Self.clock)
        let answered = Answered(ticket: "answered", decision: .option, option: "yes", worker: "ana", elapsedMilliseconds: 40)
        try Self.write(journal, [Self.asked("waiting", 1), Self.asked("offered", 2), Self.asked("accepted", 3), Self.asked("answered", 4)], body: Array("question".utf8))
        try Self.write(journal, [
            .offered(Self.ticket("offered", 2), worker: "ana", attempt: 1, at: Timestamp(milliseconds: 10)),
            .offered(Self.ticket("accepted", 3), worker: "bea", attempt: 1, at: Timestamp(milliseconds: 10)),
            .accepted(Self.ticket("accepted", 3), worker: "bea", at: Timestamp(milliseconds: 20)),
            .offered(Self.ticket("answered", 4), worker: "ana", attempt: 1, at: Timestamp(milliseconds: 10)),
        ])
        try Self.write(journal, [.finished(Self.ticket("answered", 4), .answered(answered), at: Timestamp(milliseconds: 40))], body: Array("yes!".utf8))

        // A new process: another monotonic origin, same wall clock.
        let later = JournalClock(wallMilliseconds: 1_000_000_000 + 60_000, monotonic: Timestamp(milliseconds: 5_000))
        let reopened = try Journal(path: directory.file("h.db"), sync: .normal, clock: later)
        let restored = try reopened.restoredTickets { String(decoding: $0, as: UTF8.self) }
        #expect(restored.map(\.ask.ticket) == ["waiting", "offered", "accepted", "answered"])
        #expect(restored[0].stage == .waiting(atFront: false, order: 1))
        #expect(restored[0].askedAt == Timestamp(milliseconds: 5_000 - 60_000))
        #expect(restored[0].ask == Ask(ticket: "waiting", skills: ["refunds", "es"], priority: 3, options: ["yes", "no"]))
        #expect(restored[0].bodyDigest == 99)
        #expect(restored[0].askBody == "question")
        #expect(restored[1].stage == .held(by: "ana", accepted: false))
        #expect(restored[1].attempts == 1)
        #expect(restored[2].stage == .held(by: "bea", accepted: true))
        #expect(restored[2].acceptedByHILA)
        #expect(restored[3].stage == .finished(.answered(answered), at: Timestamp(milliseconds: 40 + 5_000 - 60_000)))
        #expect(restored[3].answerBody == "yes!")
        #expect(restored[3].askBody == nil)
    }

    @Test func releasesAndTransfers_replayIntoQueuePlacement() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let journal = try Journal(path: directory.file("h.db"), sync: .full, clock: Self.clock)
        try Self.write(journal, [Self.asked("declined", 1), Self.asked("moved", 2)])
        try Self.write(journal, [
            .offered(Self.ticket("declined", 1), worker: "ana", attempt: 1, at: .zero),
            .released(Self.ticket("declined", 1), worker: "ana", reason: .declined, note: "not mine", at: .zero),
            .transferred(Self.ticket("moved", 2), reason: .hila, note: "VIP", worker: "ana", at: .zero),
        ])
        let restored = try journal.restoredTickets { _ in () }
        #expect(restored[0].stage == .waiting(atFront: true, order: 4))
        #expect(restored[0].declinedBy == ["ana"])
        #expect(restored[1].stage == .waiting(atFront: false, order: 5))
        #expect(restored[1].role == .live)
        #expect(restored[1].transferReason == .hila)
        #expect(restored[1].note == "VIP")
    }

    /// A HILA ticket accepted and then given back waits under its max_wait again (reroute
    /// rule max-wait), after a restart too: only a ticket a HILA holds accepted is exempt.
    @Test func acceptedThenReleased_isNoLongerAcceptedByAHILA() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let journal = try Journal(path: directory.file("h.db"), sync: .normal, clock: Self.clock)
        try Self.write(journal, [Self.asked("declined", 1), Self.asked("kept", 2)])
        try Self.write(journal, [
            .offered(Self.ticket("declined", 1), worker: "ana", attempt: 1, at: .zero),
            .accepted(Self.ticket("declined", 1), worker: "ana", at: .zero),
            .released(Self.ticket("declined", 1), worker: "ana", reason: .declined, note: nil, at: .zero),
            .offered(Self.ticket("kept", 2), worker: "bea", attempt: 1, at: .zero),
            .accepted(Self.ticket("kept", 2), worker: "bea", at: .zero),
        ])
        let restored = try journal.restoredTickets { _ in () }
        #expect(!restored[0].acceptedByHILA)
        #expect(restored[1].acceptedByHILA)
    }

    @Test func theKeyThatAskedATicket_isRestoredWithIt() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let journal = try Journal(path: directory.file("h.db"), sync: .normal, clock: Self.clock)
        let owned = JournalRecord.asked(
            Self.ticket("owned", 1), Ask(ticket: "owned"), bodyDigest: nil, client: ConnectionID(raw: 5), owner: "agent-7", at: .zero)
        try Self.write(journal, [owned, Self.asked("anonymous", 2)])
        let restored = try journal.restoredTickets { _ in () }
        #expect(restored.map(\.owner) == ["agent-7", nil])
        // The audit trail names the key too.
        let histories = try JournalReader(path: directory.file("h.db")).histories()
        #expect(histories.first?.clientName == "agent-7")
    }

    @Test func takenOver_isWrittenAsREPORTSpellsIt_andTheOldHyphenatedRowsReadTheSame() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let journal = try Journal(path: directory.file("h.db"), sync: .normal, clock: Self.clock)
        try Self.write(journal, [Self.asked("new", 1, role: .live), Self.asked("old", 2, role: .live)])
        try Self.write(journal, [
            .finished(Self.ticket("new", 1), .takenOver(worker: "bo"), at: Timestamp(milliseconds: 30)),
            .finished(Self.ticket("old", 2), .takenOver(worker: "bo"), at: Timestamp(milliseconds: 30)),
        ])
        #expect(try journal.database.text("SELECT kind FROM outcomes WHERE ticket = 1", "test") == "taken_over")
        // As a journal written before the rename holds it.
        try journal.database.execute("UPDATE outcomes SET kind = 'taken-over' WHERE ticket = 2", "test")
        let restored = try journal.restoredTickets { _ in () }
        #expect(restored.map(\.stage) == Array(repeating: .finished(.takenOver(worker: "bo"), at: Timestamp(milliseconds: 30)), count: 2))
        let histories = try JournalReader(path: directory.file("h.db")).histories()
        #expect(histories.map { $0.outcome?.kind } == ["taken_over", "taken_over"])
        var summary = AuditSummary()
        for history in histories { summary.add(history) }
        #expect(summary.outcomes == ["taken_over": 2])
    }

    /// Texts are bound from the statement's arena without SQLite copying them; those that
    /// do not fit in what is left of it are copied by SQLite. Both must store exactly what
    /// was bound, run after run, and an empty text stays empty (not NULL).
    @Test func boundTexts_inTheArenaAndBeyondIt_areStoredExactly_runAfterRun() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let database = try SQLiteDatabase(path: directory.file("t.db"), readOnly: false)
        try database.execute("CREATE TABLE t(run INTEGER, a TEXT NOT NULL, b TEXT NOT NULL, c TEXT NOT NULL)", "test")
        let insert = try database.prepare("INSERT INTO t(run, a, b, c) VALUES (?1, ?2, ?3, ?4)")
        let big = SQLiteStatement.textArenaBytes * 3 / 4
        let runs: [[String]] = [
            [String(repeating: "a", count: big), String(repeating: "b", count: big), ""],  // b does not fit
            ["ticket-7", "refunds\u{1F}billing", "ana · café"],  // the arena is free again
        ]
        for (index, texts) in runs.enumerated() {
            insert.bind(1, Int64(index))
            for (column, text) in texts.enumerated() { insert.bind(Int32(column + 2), text) }
            try insert.run("test")
        }
        let select = try database.prepare("SELECT a, b, c FROM t ORDER BY run", persistent: false)
        var stored: [[String?]] = []
        while try select.step("test") { stored.append([select.text(0), select.text(1), select.text(2)]) }
        #expect(stored == runs)
    }

    @Test func rolledBackBatch_leavesNoTrace() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let journal = try Journal(path: directory.file("h.db"), sync: .normal, clock: Self.clock)
        try journal.append(Self.asked("t1", 1), body: nil)
        journal.rollback()
        #expect(try journal.restoredTickets { _ in () }.isEmpty)
    }

    @Test func pruned_deletesTheTicketWithItsHistoryAndOutcome() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let journal = try Journal(path: directory.file("h.db"), sync: .normal, clock: Self.clock)
        try Self.write(journal, [
            Self.asked("t1", 1), .offered(Self.ticket("t1", 1), worker: "ana", attempt: 1, at: .zero),
            .finished(Self.ticket("t1", 1), .cancelled, at: .zero), Self.asked("t2", 2),
        ])
        try Self.write(journal, [.pruned(Self.ticket("t1", 1))])
        #expect(try journal.restoredTickets { _ in () }.map(\.ask.ticket) == ["t2"])
        let reader = try JournalReader(path: directory.file("h.db"))
        #expect(try reader.histories().map(\.id) == ["t2"])
        #expect(try journal.database.integer("SELECT count(*) FROM events", "test") == 0)
    }

    @Test func fullJournal_failsTheCommitAsDiskFull_andKeepsWhatCommittedBefore() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let journal = try Journal(path: directory.file("h.db"), sync: .normal, clock: Self.clock, maxBytes: 256 << 10)
        try Self.write(journal, [Self.asked("kept", 1)])
        let body = [UInt8](repeating: 7, count: 64 << 10)
        var failure: JournalError?
        for sequence in UInt64(2)...20 {
            do {
                try Self.write(journal, [Self.asked("t\(sequence)", sequence)], body: body)
            } catch let error as JournalError {
                failure = error
                journal.rollback()
                break
            }
        }
        #expect(failure?.isDiskFull == true)
        #expect(throws: JournalError.self) { try journal.probe() }
        #expect(try journal.restoredTickets { _ in () }.first?.ask.ticket == "kept")
    }

    @Test func readOnlyJournal_failsWrites_andTheProbe() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let journal = try Journal(path: directory.file("h.db"), sync: .normal, clock: Self.clock)
        try journal.database.execute("PRAGMA query_only = 1", "test")
        var failure: JournalError?
        do {
            try Self.write(journal, [Self.asked("t1", 1)])
        } catch let error as JournalError {
            failure = error
            journal.rollback()
        }
        #expect(failure?.isReadOnly == true)
        #expect(throws: JournalError.self) { try journal.probe() }
        try journal.database.execute("PRAGMA query_only = 0", "test")
        try journal.probe()
    }

    @Test func open_failsOnAFileThatIsNotAJournal_andInAMissingDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        try Data("not a database, just text that is long enough to be read as a header".utf8).write(to: URL(fileURLWithPath: directory.file("junk.db")))
        #expect(throws: JournalError.self) { try Journal(path: directory.file("junk.db"), sync: .normal, clock: Self.clock) }
        #expect(throws: JournalError.self) { try Journal(path: directory.file("missing/h.db"), sync: .normal, clock: Self.clock) }
        #expect(throws: JournalError.self) { try JournalReader(path: directory.file("absent.db")) }
    }

    @Test func longRunWithPruning_keepsTheFileFlat() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let path = directory.file("h.db")
        let journal = try Journal(path: path, sync: .normal, clock: Self.clock)
        let body = [UInt8](repeating: 3, count: 1_024)
        func fileBytes() -> Int {
            ["", "-wal"].reduce(0) { total, suffix in
                total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0)
            }
        }
        // Each round asks, answers and prunes 2,000 tickets, as retention would a day later.
        var sequence: UInt64 = 0
        var sizes: [Int] = []
        for _ in 0..<12 {
            var batch: [JournalRecord] = []
            let first = sequence + 1
            for _ in 0..<2_000 {
                sequence += 1
                let ticket = Self.ticket("t\(sequence)", sequence)
                batch += [
                    Self.asked(ticket.id, sequence), .offered(ticket, worker: "ana", attempt: 1, at: .zero),
                    .finished(ticket, .answered(Answered(ticket: ticket.id, decision: .approve, worker: "ana", elapsedMilliseconds: 1)), at: .zero),
                ]
            }
            try Self.write(journal, batch, body: body)
            try Self.write(journal, (first...sequence).map { .pruned(Self.ticket("t\($0)", $0)) })
            sizes.append(fileBytes())
        }
        #expect(try journal.restoredTickets { _ in () }.isEmpty)
        // Pages freed by pruning are reused: after the first rounds the file stops growing.
        #expect(sizes.last! <= sizes[3] + sizes[3] / 4, "sizes \(sizes)")
    }

    @Test func reader_seesCommittedHistories_filtered_andSummarised() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let journal = try Journal(path: directory.file("h.db"), sync: .normal, clock: Self.clock)
        let answer = { (id: String, sequence: UInt64, decision: Decision, elapsed: Int) -> [JournalRecord] in
            [
                Self.asked(id, sequence, at: Int64(sequence) * 1_000),
                .offered(Self.ticket(id, sequence), worker: "ana", attempt: 1, at: Timestamp(milliseconds: Int64(sequence) * 1_000 + 5)),
                .finished(
                    Self.ticket(id, sequence), .answered(Answered(ticket: id, decision: decision, worker: "ana", elapsedMilliseconds: elapsed)),
                    at: Timestamp(milliseconds: Int64(sequence) * 1_000 + Int64(elapsed))),
            ]
        }
        try Self.write(journal, answer("a", 1, .approve, 100) + answer("b", 2, .edit, 300) + answer("c", 3, .approve, 200))
        try Self.write(journal, [Self.asked("open", 4, at: 4_000)])
        let reader = try JournalReader(path: directory.file("h.db"))
        let all = try reader.histories()
        #expect(all.map(\.id) == ["a", "b", "c", "open"])
        #expect(all[1].events.map(\.kind) == ["offered"])
        #expect(all[1].timeToFirstOffer == 5)
        #expect(all[1].outcome?.decision == .edit)
        #expect(all[1].timeToOutcome == 300)
        #expect(all[0].clientConnection == 5)
        #expect(try reader.histories(since: 1_000_000_000 + 3_000).map(\.id) == ["c", "open"])
        #expect(try reader.histories(id: "b").map(\.id) == ["b"])
        var summary = AuditSummary()
        all.forEach { summary.add($0) }
        #expect(summary.answered == 3)
        #expect(summary.open == 1)
        #expect(summary.approvalRate == 2.0 / 3.0)
        #expect(summary.editRate == 1.0 / 3.0)
        #expect(summary.medianTimeToAnswer == 200)
    }
}

/// A directory under the system's temporary folder, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "helpline-journal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

extension JournalTests {
    @Test func newJournal_isReadableByItsOwnerOnly_withItsWriteAheadLog() throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let path = directory.file("private.db")
        let journal = try Journal(path: path, sync: .normal, clock: Self.clock)
        try Self.write(journal, [Self.asked("t1", 1)], body: Array("card 4242".utf8))
        for suffix in ["", "-wal"] {
            let mode = try FileManager.default.attributesOfItem(atPath: path + suffix)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path + suffix) has mode \(String(mode ?? 0, radix: 8))")
        }
        withExtendedLifetime(journal) {}
    }
}
