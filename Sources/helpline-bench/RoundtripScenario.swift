import Foundation
import Histogram

/// One roundtrip load: N agent clients, M workers of capacity C, K tickets in flight per
/// client (or a fixed total rate), bodies of S bytes.
struct RoundtripSpec: Codable, Sendable, Hashable {
    var clients: Int
    var workers: Int
    var capacity: Int
    var inflight: Int
    var bodyBytes: Int
    /// Tickets per second over all clients; nil = closed loop.
    var rate: Int?

    var name: String {
        "roundtrip_c\(clients)_w\(workers)_cap\(capacity)_inflight\(inflight)_body\(bodyBytes)" + (rate.map { "_rate\($0)" } ?? "")
    }
}

/// Which server carries the load.
enum RoundtripTarget: String, Codable, Sendable {
    /// `helpline broker` as shipped: HLP/1, journaled (`--sync normal`, a fresh file).
    case helpline
    /// `helpline broker --journal memory`: the same without the journal.
    case helplineMemory = "helpline-memory"
    /// `bench/forwarder.c`, the same frames, no parsing: the physical limit.
    case forwarder
    /// A Majordomo broker at `--mdp-endpoint`, 7/MDP v0.1.
    case mdp

    var wire: BenchWire {
        switch self {
        case .helpline, .helplineMemory: .hlp
        case .forwarder: .raw
        case .mdp: .mdp
        }
    }
}

/// How long each run lasts and how the load is spread over processes.
struct RoundtripTiming: Codable, Sendable {
    var warmupMilliseconds = 500
    var measureMilliseconds = 2_000
    var drainMilliseconds = 3_000
    /// Load-client processes (agents are spread over them) and echo-worker processes.
    var clientProcesses = 2
    var workerProcesses = 2
    /// Time for the children to start before the load begins.
    var startDelayMilliseconds = 400
}

/// What one run measured.
struct RoundtripRun: Codable, Sendable {
    var answersPerSecond: Double
    var latency: LatencySummary
    /// The server's CPU (all its threads) over the window, per answered ticket; nil when
    /// its PID is unknown (an external Majordomo broker without `--mdp-pid`).
    var serverMicrosPerTicket: Double?
    /// The server's CPU over the window as a share of one core.
    var serverCorePercent: Double?
    var clientCorePercent: Double
    var workerCorePercent: Double
    /// The load processes' CPU per answered ticket: what the generator costs.
    var clientMicrosPerTicket: Double
    var workerMicrosPerTicket: Double
    var sent: Int
    var lost: Int
    var duplicates: Int
    var errors: Int
    var deferredSends: Int
    var lateP99Micros: UInt64
}

/// Runs one roundtrip load against one target, with fresh server and load processes.
struct RoundtripRunner {
    let tools: BenchTools
    let timing: RoundtripTiming
    let mdpEndpoint: String?
    let mdpPID: Int32?
    /// The broker's `--log-level` (per-ticket logs are `info`: see bench/README.md).
    let brokerLogLevel: String

    func run(_ spec: RoundtripSpec, on target: RoundtripTarget) throws -> RoundtripRun {
        var server: ChildProcess?
        var broker: BenchBroker?
        defer { broker?.stop() }
        let clientEndpoint: String
        let workerEndpoint: String
        switch target {
        case .helpline, .helplineMemory:
            let started = try BenchBroker(tools: tools, journaled: target == .helpline, logLevel: brokerLogLevel)
            clientEndpoint = started.endpoint
            workerEndpoint = clientEndpoint
            broker = started
        case .forwarder:
            let forwarder = try ChildProcess(try tools.forwarder(), [], label: "bench-forwarder")
            let words = try forwarder.waitForLine { $0.hasPrefix("forwarder frontend") }.split(separator: " ")
            clientEndpoint = String(words[2])
            workerEndpoint = String(words[4])
            server = forwarder
        case .mdp:
            guard let mdpEndpoint else { throw BenchError.missing("no --mdp-endpoint") }
            clientEndpoint = mdpEndpoint
            workerEndpoint = mdpEndpoint
        }
        defer { server?.stop() }
        let serverPID = broker?.pid ?? server?.pid ?? mdpPID

        var workers: [ChildProcess] = []
        defer { workers.forEach { $0.stop() } }
        for (index, share) in Self.split(spec.workers, into: timing.workerProcesses).enumerated() {
            let worker = try ChildProcess(
                tools.bench,
                [
                    "echo-worker", "--wire", target.wire.rawValue, "--endpoint", workerEndpoint, "--sockets", "\(share)",
                    "--capacity", "\(spec.capacity)", "--name", "w\(index)",
                ], label: "echo-worker \(index)")
            workers.append(worker)
        }
        for worker in workers { try worker.waitForLine { $0.contains("\"ready\"") } }

        let startAt = BenchClock.now() + UInt64(timing.startDelayMilliseconds) * 1_000_000
        let windowStart = startAt + UInt64(timing.warmupMilliseconds) * 1_000_000
        let windowEnd = windowStart + UInt64(timing.measureMilliseconds) * 1_000_000
        var clients: [ChildProcess] = []
        defer { clients.forEach { $0.stop() } }
        let shares = Self.split(spec.clients, into: timing.clientProcesses)
        for (index, share) in shares.enumerated() {
            var arguments = [
                "load-client", "--wire", target.wire.rawValue, "--endpoint", clientEndpoint, "--sockets", "\(share)",
                "--inflight", "\(spec.inflight)", "--body", "\(spec.bodyBytes)", "--start-at", "\(startAt)",
                "--warmup-ms", "\(timing.warmupMilliseconds)", "--measure-ms", "\(timing.measureMilliseconds)",
                "--drain-ms", "\(timing.drainMilliseconds)", "--tag", "c\(index)",
            ]
            if let rate = spec.rate {
                arguments += ["--rate", "\(Double(rate) * Double(share) / Double(spec.clients))"]
            }
            clients.append(try ChildProcess(tools.bench, arguments, label: "load-client \(index)"))
        }

        let pids = [serverPID ?? 0] + clients.map(\.pid) + workers.map(\.pid)
        BenchClock.sleep(until: windowStart)
        let before = ProcessCPU.sample(pids)
        BenchClock.sleep(until: windowEnd)
        let after = ProcessCPU.sample(pids)
        let used = zip(after, before).map { Double($0 &- $1) }

        var histogram = LatencyHistogram.latency()
        var answered = 0
        var total = LoadClientResult()
        for client in clients {
            client.waitForExit(timeout: Double(timing.drainMilliseconds) / 1_000 + 5)
            guard let line = client.allLines.last(where: { $0.contains("\"result\"") }),
                let result = JSONLines.decode(ChildResult.self, from: line)?.result
            else { throw BenchError.childFailed("\(client.label) printed no result (\(client.exitDescription))") }
            result.latency.add(to: &histogram)
            answered += result.answeredInWindow
            total.sent += result.sent
            total.lost += result.lost
            total.duplicates += result.duplicates
            total.errors += result.errors + result.malformed
            total.deferredSends += result.deferredSends
            total.lateP99Micros = max(total.lateP99Micros, result.lateP99Micros)
        }
        let window = Double(timing.measureMilliseconds) / 1_000
        let windowNanoseconds = window * 1e9
        let serverNanoseconds = serverPID == nil ? nil : used[0]
        let clientNanoseconds = used[1..<(1 + clients.count)].reduce(0, +)
        let workerNanoseconds = used[(1 + clients.count)...].reduce(0, +)
        let perTicket = { (nanoseconds: Double) in answered > 0 ? nanoseconds / 1_000 / Double(answered) : 0 }
        return RoundtripRun(
            answersPerSecond: Double(answered) / window,
            latency: LatencySummary(histogram),
            serverMicrosPerTicket: serverNanoseconds.map(perTicket),
            serverCorePercent: serverNanoseconds.map { 100 * $0 / windowNanoseconds },
            clientCorePercent: 100 * clientNanoseconds / windowNanoseconds,
            workerCorePercent: 100 * workerNanoseconds / windowNanoseconds,
            clientMicrosPerTicket: perTicket(clientNanoseconds), workerMicrosPerTicket: perTicket(workerNanoseconds),
            sent: total.sent, lost: total.lost, duplicates: total.duplicates, errors: total.errors,
            deferredSends: total.deferredSends, lateP99Micros: total.lateP99Micros)
    }

    /// `total` split into at most `parts` shares that differ by one at most.
    static func split(_ total: Int, into parts: Int) -> [Int] {
        let count = max(1, min(parts, total))
        return (0..<count).map { total / count + ($0 < total % count ? 1 : 0) }
    }
}
