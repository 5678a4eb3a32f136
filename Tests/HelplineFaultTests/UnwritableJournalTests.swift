import Foundation
import HelplineJournal
import HelplineWire
import Testing
import ZeroMQ

/// A journal that cannot be written: the broker refuses new tickets with a clear 503,
/// keeps serving what it holds, never acknowledges what it could not persist, and takes
/// new tickets again once the disk has room.
@Suite(
    "unwritable journal", .serialized, .timeLimit(.minutes(2)),
    .enabled(if: JournaledBroker.binary != nil, "needs the helpline binary beside the tests"))
struct UnwritableJournalTests {
    private let context: ZMQContext

    init() throws {
        context = try ZMQContext()
    }

    /// ASK `id` and return its first reply.
    private func ask(_ client: RawDealer, _ id: String, body: [UInt8] = Array("q".utf8), role: Role = .live) throws -> ClientReply {
        try client.send(.ask(Ask(ticket: id, role: role)), body: body)
        return try client.reply().0
    }

    private func isUnavailable(_ reply: ClientReply, id: String) -> Bool {
        guard case .error(let error) = reply else { return false }
        return error.code == .unavailable && error.ticket == id && error.text.contains("journal")
    }

    /// An answered ticket and a waiting one, before the disk gives out.
    private func ticketsBeforeTheFailure(_ broker: JournaledBroker) throws -> (client: RawDealer, worker: RawDealer) {
        let ana = try RawDealer(endpoint: broker.endpoint, signature: .worker, context: context)
        try ana.send(.ready(Ready(name: "ana", role: .hila, heartbeatMilliseconds: 5_000)))
        _ = try ana.directive()
        let client = try RawDealer(endpoint: broker.endpoint, signature: .client, context: context)
        #expect(try ask(client, "done", role: .hila) == .queued(Queued(ticket: "done", role: .hila, stage: .offered, position: 0)))
        _ = try ana.directive()
        try ana.send(.answer(Answer(ticket: "done", decision: .approve)), body: Array("yes".utf8))
        guard case .answered = try client.reply().0 else { throw FaultTestError.unexpected("no ANSWERED") }
        #expect(try ask(client, "waiting") == .queued(Queued(ticket: "waiting", role: .live, stage: .waiting, position: 0)))
        return (client, ana)
    }

    /// What the broker still does for tickets it holds while it cannot write.
    private func expectServingWhatItHolds(_ client: RawDealer) throws {
        try client.send(.resume(tickets: ["done", "waiting"]))
        let (answered, body) = try client.reply()
        guard case .answered = answered else { throw FaultTestError.unexpected("expected the stored answer, got \(answered)") }
        #expect(body == Array("yes".utf8))
        #expect(try client.reply().0 == .queued(Queued(ticket: "waiting", role: .live, stage: .waiting, position: 0)))
        try client.send(.status)
        guard case .report(let report) = try client.reply().0 else { throw FaultTestError.unexpected("no REPORT") }
        #expect(report.counts["journal_unwritable"] == 1)
    }

    /// ASKs `id` until QUEUED (the broker probes its journal about once a second).
    private func expectAcceptedAgain(_ client: RawDealer, _ id: String) throws {
        for _ in 0..<40 {
            let reply = try ask(client, id)
            if case .queued = reply { return }
            #expect(isUnavailable(reply, id: id), "while unwritable only 503, got \(reply)")
            Thread.sleep(forTimeInterval: 0.2)
        }
        Issue.record("\(id) was never accepted after the disk came back")
    }

    /// Every ticket the broker acknowledged is in the journal.
    private func expectJournalHolds(_ ids: [String], notIDs absent: [String], _ broker: JournaledBroker) throws {
        broker.stop()
        let recorded = Set(try JournalReader(path: broker.journalPath).histories().map(\.id))
        for id in ids { #expect(recorded.contains(id), "\(id) acknowledged but not in the journal") }
        for id in absent { #expect(!recorded.contains(id), "\(id) refused but in the journal") }
    }

    @Test func journalAtItsSizeCap_refusesNewTicketsWith503_servesWhatItHolds() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let broker = try JournaledBroker(journalPath: scratch.file("helpline.db"), arguments: ["--journal-max-mb", "1"])
        defer { broker.stop() }
        let (client, _) = try ticketsBeforeTheFailure(broker)
        // Quarter-MiB questions until the journal is full: the one that does not fit is
        // refused, never acknowledged.
        var accepted: [String] = []
        var refused: String?
        for index in 0..<12 {
            let id = "big-\(index)"
            let reply = try ask(client, id, body: [UInt8](repeating: UInt8(index), count: 256 << 10))
            if case .queued = reply {
                accepted.append(id)
                continue
            }
            #expect(isUnavailable(reply, id: id), "expected 503, got \(reply)")
            refused = id
            break
        }
        let refusedID = try #require(refused)
        #expect(accepted.count >= 1)
        try expectServingWhatItHolds(client)
        try client.send(.resume(tickets: [refusedID]))
        guard case .error(let unknown) = try client.reply().0 else { throw FaultTestError.unexpected("expected 404") }
        #expect(unknown.code == .unknownTicket)
        #expect(isUnavailable(try ask(client, "small"), id: "small"))
        #expect(broker.logContains("journal unwritable (disk full)"))
        try expectJournalHolds(["done", "waiting"] + accepted, notIDs: [refusedID, "small"], broker)
    }

    @Test(.enabled(if: TinyDisk.canMount, "needs root to mount a tmpfs"))
    func fullDisk_refusesNewTicketsWith503_thenAcceptsThemWhenSpaceIsFreed() throws {
        let disk = try TinyDisk(megabytes: 4)
        defer { withExtendedLifetime(disk) {} }
        let broker = try JournaledBroker(journalPath: disk.file("helpline.db"))
        defer { broker.stop() }
        let (client, _) = try ticketsBeforeTheFailure(broker)
        disk.fill()
        #expect(isUnavailable(try ask(client, "t-full", body: [UInt8](repeating: 1, count: 64 << 10)), id: "t-full"))
        try expectServingWhatItHolds(client)
        try disk.free()
        try expectAcceptedAgain(client, "t-full")
        #expect(broker.logContains("journal writable again"))
        try expectJournalHolds(["done", "waiting", "t-full"], notIDs: [], broker)
    }

    @Test(.enabled(if: TinyDisk.canMount, "needs root to mount a tmpfs"))
    func brokerRestartedOnAReadOnlyDisk_servesWhatItHeld_refusesNewTickets_untilWritableAgain() throws {
        let disk = try TinyDisk(megabytes: 8)
        defer { withExtendedLifetime(disk) {} }
        let broker = try JournaledBroker(journalPath: disk.file("helpline.db"))
        defer { broker.stop() }
        _ = try ticketsBeforeTheFailure(broker)
        // A disk goes read-only under a running process only by a kernel error; a broker
        // restarted by its supervisor then finds its journal read-only.
        broker.killNine()
        try disk.setReadOnly(true)
        try broker.start()
        let client = try RawDealer(endpoint: broker.endpoint, signature: .client, context: context)
        #expect(isUnavailable(try ask(client, "t-ro"), id: "t-ro"))
        try expectServingWhatItHolds(client)
        #expect(broker.logContains("journal read-only"))
        try disk.setReadOnly(false)
        try expectAcceptedAgain(client, "t-ro")
        try expectJournalHolds(["done", "waiting", "t-ro"], notIDs: [], broker)
    }
}
