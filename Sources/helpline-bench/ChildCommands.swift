import ArgumentParser
import HelplineWire

extension Role: ExpressibleByArgument {}

/// `helpline-bench load-client`: one load-generating agent process. Started by the
/// scenarios, one per share of the clients, so the load spreads over the cores.
struct LoadClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-client", abstract: "Generate tickets (started by the scenarios).", shouldDisplay: false)

    @Option(help: "hlp, raw (through bench/forwarder.c) or mdp.") var wire: BenchWire = .hlp
    @Option(help: "Endpoint to connect to.") var endpoint: String
    @Option(help: "DEALER sockets (agent clients) in this process.") var sockets = 5
    @Option(help: "Tickets in flight per socket (paced: the cap per socket).") var inflight = 10
    @Option(help: "Body bytes per ticket.") var body = 200
    @Option(help: "Tickets per second for this process; 0 = closed loop.") var rate = 0.0
    @Option(help: "Send exactly this many tickets at the start, then wait for their outcomes.") var count = 0
    @Option(name: .customLong("start-at"), help: "Start time, CLOCK_MONOTONIC nanoseconds.") var startAt: UInt64 = 0
    @Option(name: .customLong("warmup-ms")) var warmupMilliseconds = 500
    @Option(name: .customLong("measure-ms")) var measureMilliseconds = 2_000
    @Option(name: .customLong("drain-ms")) var drainMilliseconds = 2_000
    @Option(name: .customLong("linger-ms")) var lingerMilliseconds = 0
    @Flag(help: "Report each TRANSFERRED as an event line.") var events = false
    @Option(help: "Prefix of this process's ticket ids.") var tag = "c0"
    @Flag(help: "With --count: exit once every ticket is QUEUED (they stay waiting).") var untilQueued = false

    func run() throws {
        let plan = LoadClientPlan(
            wire: wire, endpoint: endpoint, sockets: max(1, sockets), inflight: max(1, inflight), bodyBytes: body,
            rate: rate, count: count, startAt: startAt == 0 ? BenchClock.now() : startAt,
            warmupNanoseconds: Self.nanoseconds(warmupMilliseconds), measureNanoseconds: Self.nanoseconds(measureMilliseconds),
            drainNanoseconds: Self.nanoseconds(drainMilliseconds), lingerNanoseconds: Self.nanoseconds(lingerMilliseconds),
            reportEvents: events, tag: tag, untilQueued: untilQueued)
        let client = try LoadClient(plan: plan)
        try client.run()
        JSONLines.emit(ChildResult(result: client.result))
    }

    static func nanoseconds(_ milliseconds: Int) -> UInt64 { UInt64(max(0, milliseconds)) * 1_000_000 }
}

/// The last line a load client prints.
struct ChildResult: Codable {
    var event = "result"
    var result: LoadClientResult
}

/// `helpline-bench echo-worker`: consoles that answer at once, after a hold, or never.
struct EchoWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo-worker", abstract: "Answer tickets (started by the scenarios).", shouldDisplay: false)

    @Option(help: "hlp, raw or mdp.") var wire: BenchWire = .hlp
    @Option(help: "Endpoint to connect to.") var endpoint: String
    @Option(help: "DEALER sockets (consoles) in this process.") var sockets = 5
    @Option(help: "Worker name prefix.") var name = "w0"
    @Option(help: "hila or live.") var role: Role = .hila
    @Option(help: "Tickets held at once (READY capacity).") var capacity = 10
    @Option(name: .customLong("hold-ms"), help: "Hold each ticket this long before answering.") var holdMilliseconds = 0
    @Flag(help: "Never accept or answer (an absent human).") var absent = false
    @Option(name: .customLong("heartbeat-ms")) var heartbeatMilliseconds = 1_000
    @Flag(help: "Report ready, assign, revoke, answer as event lines.") var events = false

    func run() throws {
        let plan = EchoWorkerPlan(
            wire: wire, endpoint: endpoint, sockets: max(1, sockets), name: name, role: role, capacity: capacity,
            holdMilliseconds: holdMilliseconds, absent: absent, heartbeatMilliseconds: heartbeatMilliseconds,
            reportEvents: events)
        try EchoWorker(plan: plan).run()
    }
}
