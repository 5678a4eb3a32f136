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

    @Test func killNineLoopUnderLoad_everyTicketGetsExactlyOneOutcome_noneLost() async throws {
        let plan = CrashPlan.fromEnvironment()
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let broker = try JournaledBroker(journalPath: scratch.file("helpline.db"), arguments: brokerArguments + plan.brokerArguments)
        defer { broker.stop() }
        let run = try await CrashLoop(plan: plan).run(broker)
        // Exactly one outcome each: the one the application got is the one the journal holds
        // (an outcome delivered twice would have to differ from it, or be a second row).
        var recorded: [String: (kind: String, worker: String?)] = [:]
        try JournalReader(path: broker.journalPath).forEachHistory { history in
            guard let outcome = history.outcome else { return }
            recorded[history.id] = (outcome.kind, outcome.worker)
        }
        run.check(recorded: recorded, broker: broker)
    }

    @Test func consoleKilledHoldingTickets_whileTheBrokerRestarts_ticketsGoToAnotherAfterTheGrace() throws {
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
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
        defer { withExtendedLifetime(scratch) {} }
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

/// The size of the crash loop: small in the suite; `bench/crash.sh` sets large numbers
/// through the environment (HELPLINE_CRASH_TICKETS, _KILLS, _RATE, _CLIENTS, _WORKERS,
/// _CAPACITY, _THINK_MS, _SYNC).
struct CrashPlan {
    var tickets = 150
    var kills = 2
    var ticketsPerSecond = 200
    var clients = 2
    var workers = 2
    var capacity = 4
    var thinkMilliseconds = 30
    var sync = "normal"

    var brokerArguments: [String] { ["--sync", sync] }

    static func fromEnvironment() -> CrashPlan {
        let environment = ProcessInfo.processInfo.environment
        func number(_ key: String, _ fallback: Int) -> Int { environment["HELPLINE_CRASH_" + key].flatMap(Int.init) ?? fallback }
        var plan = CrashPlan()
        plan.tickets = number("TICKETS", plan.tickets)
        plan.kills = number("KILLS", plan.kills)
        plan.ticketsPerSecond = max(1, number("RATE", plan.ticketsPerSecond))
        plan.clients = max(1, number("CLIENTS", plan.clients))
        plan.workers = max(1, number("WORKERS", plan.workers))
        plan.capacity = max(1, number("CAPACITY", plan.capacity))
        plan.thinkMilliseconds = max(0, number("THINK_MS", plan.thinkMilliseconds))
        plan.sync = environment["HELPLINE_CRASH_SYNC"] ?? plan.sync
        return plan
    }
}
