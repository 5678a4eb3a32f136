import Foundation
import HelplineClient
import HelplineJournal
import HelplineWire
import HelplineWorker
import Testing
import ZeroMQ

/// Brokers killed with -9 and restarted on the same port and journal, with small numbers
/// (the bench's `crash` scenario runs the same with large ones).
@Suite(
    "crash and restart with a journal", .serialized, .timeLimit(.minutes(2)),
    .enabled(if: JournaledBroker.binary != nil, "needs the helpline binary beside the tests"))
struct CrashRecoveryTests {
    /// Consoles heartbeat every 250 ms; a restart's reservations last 1.5 s.
    private let brokerArguments = ["--restore-grace-ms", "1500"]
    private let context: ZMQContext

    init() throws {
        context = try ZMQContext()
    }

    @Test func killNineUnderLoad_everyTicketGetsExactlyOneOutcome_noneLost() async throws {
        let scratch = try ScratchDirectory()
        let broker = try JournaledBroker(journalPath: scratch.file("helpline.db"), arguments: brokerArguments)
        defer { broker.stop() }
        let workers = try ["ana", "bea"].map { name in
            try HelplineWorker(
                endpoint: broker.endpoint,
                registration: WorkerRegistration(name: name, role: .hila, capacity: 4, heartbeat: .milliseconds(250)),
                options: fastWorkerOptions())
        }
        let serving = workers.map { worker in
            Task {
                await worker.serve { ticket in
                    // A human takes a moment: some tickets are held when the broker dies.
                    try? await Task.sleep(for: .milliseconds(Int.random(in: 0...30)))
                    return .answer(.approve, body: Array("\(worker.registration.name)".utf8))
                }
            }
        }
        defer {
            workers.forEach { $0.close() }
            serving.forEach { $0.cancel() }
        }
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }

        let total = 120
        var handles: [TicketHandle] = []
        for index in 0..<total {
            handles.append(try client.submit(TicketRequest(id: "load-\(index)", deadline: .seconds(60), body: Array("q\(index)".utf8))))
            if index == total / 2 { try broker.crashAndRestart() }
            try await Task.sleep(for: .milliseconds(5))
        }
        var answeredBy: [String: String] = [:]
        var lost: [String] = []
        for handle in handles {
            do {
                guard case .answered(let answer) = try await handle.outcome() else {
                    lost.append(handle.id)
                    continue
                }
                #expect(answer.body == Array(answer.worker.utf8), "the body of the answer that won")
                answeredBy[handle.id] = answer.worker
            } catch {
                lost.append("\(handle.id): \(error)")
            }
        }
        #expect(lost == [], "lost \(lost.count) of \(total)")
        // Exactly one outcome each: the one the client got is the one the journal holds.
        broker.stop()
        let histories = try JournalReader(path: broker.journalPath).histories()
        let recorded = Dictionary(histories.compactMap { history in history.outcome.map { (history.id, $0) } }, uniquingKeysWith: { first, _ in first })
        #expect(histories.count == total)
        for (id, worker) in answeredBy {
            #expect(recorded[id]?.kind == "answered" && recorded[id]?.worker == worker, "\(id): client saw \(worker), journal \(String(describing: recorded[id]))")
        }
    }

    @Test func consoleKilledHoldingTickets_whileTheBrokerRestarts_ticketsGoToAnotherAfterTheGrace() throws {
        let scratch = try ScratchDirectory()
        let broker = try JournaledBroker(journalPath: scratch.file("helpline.db"), arguments: brokerArguments)
        defer { broker.stop() }
        let ana = try RawDealer(endpoint: broker.endpoint, signature: .worker, context: context)
        try ana.send(.ready(Ready(name: "ana", role: .hila, capacity: 3, heartbeatMilliseconds: 250)))
        guard case .welcome = try ana.directive().0 else { throw FaultTestError.unexpected("no WELCOME") }
        let client = try RawDealer(endpoint: broker.endpoint, signature: .client, context: context)
        for id in ["t1", "t2", "t3"] {
            try client.send(.ask(Ask(ticket: id)), body: Array("question \(id)".utf8))
            guard case .queued = try client.reply().0 else { throw FaultTestError.unexpected("no QUEUED for \(id)") }
            guard case .assign(let assign) = try ana.directive().0, assign.ticket == id else { throw FaultTestError.unexpected("no ASSIGN") }
        }
        try ana.send(.accept(ticket: "t2", leaseMilliseconds: 0))
        guard case .assigned = try client.reply().0 else { throw FaultTestError.unexpected("no ASSIGNED") }

        // The console and the broker die together; only the broker comes back.
        try broker.crashAndRestart()
        ana.vanish()
        let agent = try RawDealer(endpoint: broker.endpoint, signature: .client, context: context)
        try agent.send(.resume(tickets: ["t1", "t2", "t3"]))
        #expect(try agent.reply().0 == .queued(Queued(ticket: "t1", role: .hila, stage: .offered, position: 0)))
        #expect(try agent.reply().0 == .queued(Queued(ticket: "t2", role: .hila, stage: .accepted, position: 0)))
        #expect(try agent.reply().0 == .queued(Queued(ticket: "t3", role: .hila, stage: .offered, position: 0)))

        let bea = try RawDealer(endpoint: broker.endpoint, signature: .worker, context: context)
        // A slow heartbeat: this raw console only speaks when the test says so.
        try bea.send(.ready(Ready(name: "bea", role: .hila, capacity: 3, heartbeatMilliseconds: 5_000)))
        guard case .welcome = try bea.directive().0 else { throw FaultTestError.unexpected("no WELCOME for bea") }
        // Reserved for ana during the grace; then re-dispatched, bodies intact.
        var offered: [String: Assign] = [:]
        for _ in 0..<3 {
            guard case .assign(let assign) = try bea.directive(timeout: 4_000).0 else { throw FaultTestError.unexpected("no ASSIGN for bea") }
            offered[assign.ticket] = assign
        }
        #expect(Set(offered.keys) == ["t1", "t2", "t3"])
        #expect(offered.values.allSatisfy { $0.attempt == 2 })
        for id in ["t1", "t2", "t3"] {
            try bea.send(.answer(Answer(ticket: id, decision: .approve)), body: Array("ok \(id)".utf8))
            guard case .answered(let answered) = try agent.reply().0 else { throw FaultTestError.unexpected("no ANSWERED for \(id)") }
            #expect(answered.worker == "bea")
        }
        broker.stop()
        let history = try JournalReader(path: broker.journalPath).histories(id: "t2").first
        #expect(history?.events.map(\.kind) == ["offered", "accepted", "released", "offered"])
        #expect(history?.events[2].reason == "holder-lost")
        #expect(history?.events[2].worker == "ana")
        #expect(history?.outcome?.worker == "bea")
    }

    @Test func clientGoneBeforeItsAnswer_resumesAfterABrokerCrash_andGetsItByteForByte() throws {
        let scratch = try ScratchDirectory()
        let broker = try JournaledBroker(journalPath: scratch.file("helpline.db"), arguments: brokerArguments)
        defer { broker.stop() }
        let ana = try RawDealer(endpoint: broker.endpoint, signature: .worker, context: context)
        try ana.send(.ready(Ready(name: "ana", role: .hila, heartbeatMilliseconds: 250)))
        _ = try ana.directive()
        let askBody = Array("refund order 1182?".utf8)
        let first = try RawDealer(endpoint: broker.endpoint, signature: .client, context: context)
        try first.send(.ask(Ask(ticket: "r1", options: ["refund", "deny"])), body: askBody)
        guard case .queued = try first.reply().0 else { throw FaultTestError.unexpected("no QUEUED") }
        first.vanish()

        let answerBody = Array("refund it, sorry for the wait".utf8)
        guard case .assign = try ana.directive().0 else { throw FaultTestError.unexpected("no ASSIGN") }
        try ana.send(.answer(Answer(ticket: "r1", decision: .option, option: "refund")), body: answerBody)
        // The broker crashes after the answer; the client was not there to receive it.
        Thread.sleep(forTimeInterval: 0.2)
        try broker.crashAndRestart()

        let later = try RawDealer(endpoint: broker.endpoint, signature: .client, context: context)
        try later.send(.resume(tickets: ["r1"]))
        let (reply, body) = try later.reply()
        guard case .answered(let answered) = reply else { throw FaultTestError.unexpected("expected ANSWERED, got \(reply)") }
        #expect(answered.decision == .option)
        #expect(answered.option == "refund")
        #expect(answered.worker == "ana")
        #expect(body == answerBody)
        // The same ASK again: its stored outcome, not a second ticket; other content: 409.
        try later.send(.ask(Ask(ticket: "r1", options: ["refund", "deny"])), body: askBody)
        #expect(try later.reply().1 == answerBody)
        try later.send(.ask(Ask(ticket: "r1", options: ["refund", "deny"])), body: Array("another question".utf8))
        guard case .error(let error) = try later.reply().0 else { throw FaultTestError.unexpected("expected 409") }
        #expect(error.code == .conflict)
    }
}

/// Client timings for tests: a restart is noticed within a few hundred milliseconds.
func fastClientOptions() -> HelplineClient.Options {
    HelplineClient.Options(
        heartbeatInterval: .milliseconds(100), liveness: 3, acknowledgmentTimeout: .seconds(2), resumeAfterSilence: .seconds(3),
        deadlineGrace: .seconds(5), cancelGrace: .seconds(2), reconnectDelay: .milliseconds(20), maxReconnectDelay: .milliseconds(200))
}

/// Worker reconnection timings for tests.
func fastWorkerOptions() -> HelplineWorker.Options {
    HelplineWorker.Options(reconnectDelay: .milliseconds(20), maxReconnectDelay: .milliseconds(200), closeLinger: .milliseconds(200))
}
