import Foundation
import ZeroMQ

/// Many consoles connected to one broker over TCP at once, idle but heartbeating: how long
/// until every one is welcomed, what each costs the broker in memory, and what their
/// heartbeats cost it in CPU.
struct ConsolesSpec: Codable, Sendable {
    var consoles = 20_000
    /// Consoles per echo-worker process: one DEALER each, so a process needs two file
    /// descriptors per console and a context allowing that many sockets.
    var perProcess = 1_000
    var heartbeatMilliseconds = 1_000
    /// How long the idle broker's CPU is measured once every console is welcomed.
    var idleMilliseconds = 10_000

    var name: String { "consoles_w\(consoles)_hb\(heartbeatMilliseconds)" }

    /// The targets: heartbeats ≤ 10% of a core, ≤ 32 KB per console.
    static let corePercentTarget = 10.0
    static let bytesPerConsoleTarget = 32_000
}

struct ConsolesRow: Codable, Sendable {
    var scenario: String
    var welcomed: Int
    /// The broker's `workers` counter once every console process reported them welcomed.
    var registered: Int?
    /// From starting the console processes until the last reported every console welcomed.
    var allWelcomedSeconds: Double
    var residentBytesBefore: Int
    var residentBytesAfter: Int
    var bytesPerConsole: Double
    /// The broker's CPU over the idle window, as a share of one core.
    var idleCorePercent: Double
    /// What the broker said at start-up ("can take N peers (open-file limit …)").
    var capacityLine: String?
}

struct ConsolesRunner {
    let tools: BenchTools

    func run(_ spec: ConsolesSpec) throws -> ConsolesRow {
        // The broker raises its soft limit to the hard one it inherits; raise the hard one
        // here first when allowed (root), so the machine's default does not set the figure.
        OpenFileLimit.raise(to: spec.consoles + 1_024)
        let broker = try BenchBroker(tools: tools, journaled: true)
        defer { broker.stop() }
        let before = broker.residentBytes
        let processes = max(1, (spec.consoles + spec.perProcess - 1) / spec.perProcess)
        let started = BenchClock.now()
        let consoles = try FloorLoad(tools: tools, endpoint: broker.endpoint).consoles(
            spec.consoles, processes: processes, capacity: 10, heartbeatMilliseconds: spec.heartbeatMilliseconds,
            readyTimeout: 120)
        defer { consoles.forEach { $0.stop() } }
        let welcomed = Double(BenchClock.now() - started) / 1e9
        // A heartbeat period for the last WELCOMEs' buffers to settle.
        BenchClock.sleep(milliseconds: spec.heartbeatMilliseconds)
        let cpuBefore = ProcessCPU.nanoseconds(broker.pid) ?? 0
        let windowStart = BenchClock.now()
        BenchClock.sleep(milliseconds: spec.idleMilliseconds)
        let cpuAfter = ProcessCPU.nanoseconds(broker.pid) ?? 0
        let window = Double(BenchClock.now() - windowStart)
        let after = broker.residentBytes
        let registered = try? BrokerCounts.read(tools: tools, endpoint: broker.endpoint)["workers"]
        return ConsolesRow(
            scenario: spec.name, welcomed: spec.consoles, registered: registered, allWelcomedSeconds: welcomed,
            residentBytesBefore: before, residentBytesAfter: after,
            bytesPerConsole: Double(after - before) / Double(max(1, spec.consoles)),
            idleCorePercent: 100 * Double(cpuAfter &- cpuBefore) / max(1, window), capacityLine: broker.capacityLine)
    }
}
