import Foundation

/// Tickets pushed through a broker in batches, its memory and journal sampled after each:
/// what a finished ticket costs while the broker retains it for RESUME.
struct FinishedSpec: Codable, Sendable {
    var tickets = 60_000
    var batch = 10_000
    var bodyBytes = 200
    var consoles = 10
    var capacity = 10

    var name: String { "finished_tickets\(tickets)_batch\(batch)_body\(bodyBytes)" }
}

/// One target's curve: RSS and journal size against tickets finished.
struct FinishedRow: Codable, Sendable {
    struct Sample: Codable, Sendable {
        var finished: Int
        var residentBytes: Int
        var journalBytes: Int
        /// The broker's `retained` counter: finished tickets it still holds for RESUME.
        var retained: Int?
    }

    var scenario: String
    var target: RoundtripTarget
    var samples: [Sample]
    /// RSS growth per ticket from the first batch's end to the last's (the first batch
    /// warms the allocator and libzmq's buffers).
    var residentBytesPerTicket: Double
    var journalBytesPerTicket: Double
    var lost: Int
    var duplicates: Int
}

/// Runs `FinishedSpec` on a broker as shipped (journaled) or in memory.
struct FinishedRunner {
    let tools: BenchTools

    func run(_ spec: FinishedSpec, on target: RoundtripTarget) throws -> FinishedRow {
        let broker = try BenchBroker(tools: tools, journaled: target == .helpline)
        defer { broker.stop() }
        let load = FloorLoad(tools: tools, endpoint: broker.endpoint)
        let consoles = try load.consoles(spec.consoles, processes: 1, capacity: spec.capacity, heartbeatMilliseconds: 1_000)
        defer { consoles.forEach { $0.stop() } }
        var samples = [FinishedRow.Sample(finished: 0, residentBytes: broker.residentBytes, journalBytes: broker.journalBytes)]
        var finished = 0
        var lost = 0
        var duplicates = 0
        var batch = 0
        while finished < spec.tickets {
            let count = min(spec.batch, spec.tickets - finished)
            // 10 agent connections: each stays well under the broker's open tickets per client.
            let result = try load.batch(count: count, sockets: 10, bodyBytes: spec.bodyBytes, tag: "f\(batch)")
            finished += result.answered
            lost += result.lost
            duplicates += result.duplicates
            batch += 1
            let retained = try? BrokerCounts.read(tools: tools, endpoint: broker.endpoint)["retained"]
            samples.append(
                FinishedRow.Sample(
                    finished: finished, residentBytes: broker.residentBytes, journalBytes: broker.journalBytes, retained: retained))
        }
        let first = samples[min(1, samples.count - 1)]
        let last = samples[samples.count - 1]
        let tickets = Double(max(1, last.finished - first.finished))
        return FinishedRow(
            scenario: spec.name, target: target, samples: samples,
            residentBytesPerTicket: Double(last.residentBytes - first.residentBytes) / tickets,
            journalBytesPerTicket: Double(last.journalBytes - first.journalBytes) / tickets, lost: lost, duplicates: duplicates)
    }
}
