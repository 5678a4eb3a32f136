import Foundation

/// A million tickets waiting (no console connected) on a journaled broker: its memory with
/// their bodies, then `kill -9` and the time a restart takes to restore them all.
struct WaitingSpec: Codable, Sendable {
    var tickets = 1_000_000
    var batch = 50_000
    var bodyBytes = 200

    var name: String { "waiting_tickets\(tickets)_body\(bodyBytes)" }

    /// The targets: RSS ≤ 1.5 GiB, restart ≤ 10 s.
    static let residentTargetBytes = 1_536 * 1_048_576
    static let restartTargetSeconds = 10.0
}

struct WaitingRow: Codable, Sendable {
    var scenario: String
    var queued: Int
    /// The broker's `waiting` counter before the crash and after the restart.
    var waitingBefore: Int?
    var waitingAfterRestart: Int?
    var residentBytes: Int
    var residentBytesPerTicket: Double
    var journalBytes: Int
    /// From the restarted process's start to its "listening on" line (the journal is
    /// restored before the broker binds), and from the `kill -9` to the same line.
    var restartSeconds: Double
    var killToListeningSeconds: Double
    var residentBytesAfterRestart: Int
    var sendSeconds: Double
}

struct WaitingRunner {
    let tools: BenchTools

    static let ticketsPerConnection = 400

    func run(_ spec: WaitingSpec) throws -> WaitingRow {
        let broker = try BenchBroker(tools: tools, journaled: true)
        defer { broker.stop() }
        let load = FloorLoad(tools: tools, endpoint: broker.endpoint)
        let baseline = broker.residentBytes
        let started = BenchClock.now()
        var queued = 0
        var batch = 0
        while queued < spec.tickets {
            let count = min(spec.batch, spec.tickets - queued)
            // Enough agent connections that none is owed more replies (QUEUED and
            // TRANSFERRED, two per ticket when no HILA is connected) than the broker's
            // ROUTER queues for one peer (ZMQ_SNDHWM, 1,000 messages): past that libzmq
            // drops them, and a batch sent at once is acknowledged in bursts.
            let sockets = max(1, (count + Self.ticketsPerConnection - 1) / Self.ticketsPerConnection)
            let result = try load.batch(count: count, sockets: sockets, bodyBytes: spec.bodyBytes, tag: "q\(batch)", untilQueued: true)
            guard result.queued == count else {
                throw BenchError.childFailed("batch \(batch): \(result.queued) of \(count) tickets QUEUED (errors \(result.errors))")
            }
            queued += count
            batch += 1
        }
        let sendSeconds = Double(BenchClock.now() - started) / 1e9
        let waitingBefore = try? BrokerCounts.read(tools: tools, endpoint: broker.endpoint)["waiting"]
        let resident = broker.residentBytes
        let journal = broker.journalBytes

        let killedAt = BenchClock.now()
        broker.crash()
        let restartAt = BenchClock.now()
        let restarted = try BenchBroker(tools: tools, journaled: true, journalIn: broker.journalDirectory, readyTimeout: 300)
        defer { restarted.stop() }
        let listening = BenchClock.now()
        let waitingAfter = try? BrokerCounts.read(tools: tools, endpoint: restarted.endpoint)["waiting"]
        return WaitingRow(
            scenario: spec.name, queued: queued, waitingBefore: waitingBefore, waitingAfterRestart: waitingAfter,
            residentBytes: resident, residentBytesPerTicket: Double(resident - baseline) / Double(max(1, queued)),
            journalBytes: journal, restartSeconds: Double(listening - restartAt) / 1e9,
            killToListeningSeconds: Double(listening - killedAt) / 1e9, residentBytesAfterRestart: restarted.residentBytes,
            sendSeconds: sendSeconds)
    }
}
