import Foundation

/// One presence setting: consoles whose humans are gone (alive, heartbeating, never
/// accepting) beside consoles that answer.
struct PresenceSpec: Codable, Sendable {
    var absent = 2
    var attentive = 2
    var capacity = 10
    var tickets = 20
    var acceptTimeoutMilliseconds = 1_000
    /// How long an attentive console works on a ticket.
    var holdMilliseconds = 200
    var heartbeatMilliseconds = 250

    var name: String {
        "presence_hila\(absent + attentive)_absent\(absent)_cap\(capacity)_tickets\(tickets)_accept\(acceptTimeoutMilliseconds)"
    }

    /// The expectation: an offer moves once the accept timeout passes, within 100 ms.
    var budgetMilliseconds: Double { Double(acceptTimeoutMilliseconds + 100) }
}

/// What one presence run saw.
struct PresenceRow: Codable, Sendable {
    var scenario: String
    var spec: PresenceSpec
    /// Tickets first offered to an absent console.
    var stranded: Int
    /// Of those, how many were offered again to an attentive console.
    var moved: Int
    /// From the offer to the absent console to the offer to an attentive one.
    var moveP50Milliseconds: Double?
    var moveMaxMilliseconds: Double?
    /// Offers to an absent console after it was told `accept-timeout` (it reports away: 0).
    var offersAfterAway: Int
    var answered: Int
    var lost: Int
    var duplicates: Int
    var budgetMilliseconds: Double
}

/// Absent humans: offers time out, the consoles go away, their tickets move.
struct PresenceRunner {
    let tools: BenchTools

    func run(_ spec: PresenceSpec) throws -> PresenceRow {
        let broker = try BenchBroker(
            tools: tools, journaled: true, arguments: ["--accept-timeout-ms", "\(spec.acceptTimeoutMilliseconds)"])
        defer { broker.stop() }
        let endpoint = broker.endpoint

        var consoles: [ChildProcess] = []
        defer { consoles.forEach { $0.stop() } }
        for index in 0..<(spec.absent + spec.attentive) {
            let absent = index < spec.absent
            var arguments = [
                "echo-worker", "--endpoint", endpoint, "--sockets", "1", "--name", absent ? "absent\(index)" : "present\(index)",
                "--capacity", "\(spec.capacity)", "--heartbeat-ms", "\(spec.heartbeatMilliseconds)", "--events",
                "--hold-ms", "\(spec.holdMilliseconds)",
            ]
            if absent { arguments.append("--absent") }
            consoles.append(try ChildProcess(tools.bench, arguments, label: "console \(index)"))
        }
        for console in consoles { try console.waitForLine { $0.contains("\"ready\"") } }

        let client = try ChildProcess(
            tools.bench,
            [
                "load-client", "--endpoint", endpoint, "--sockets", "1", "--count", "\(spec.tickets)",
                "--measure-ms", "20000", "--drain-ms", "0", "--linger-ms", "500", "--tag", "p",
            ], label: "load-client")
        defer { client.stop() }
        client.waitForExit(timeout: Double(spec.acceptTimeoutMilliseconds) / 1_000 * 3 + 15)
        guard let line = client.allLines.last(where: { $0.contains("\"result\"") }),
            let result = JSONLines.decode(ChildResult.self, from: line)?.result
        else { throw BenchError.childFailed("the presence client printed no result") }

        let log = EventLog(consoles)
        let isAbsent = { (worker: String?) in worker?.hasPrefix("absent") == true }
        var firstOffer: [String: UInt64] = [:]
        var movedAt: [String: UInt64] = [:]
        var awaySince: [String: UInt64] = [:]
        for event in log.events("revoke") where event.detail == "accept-timeout" {
            if let worker = event.worker { awaySince[worker] = min(awaySince[worker] ?? .max, event.time) }
        }
        var offersAfterAway = 0
        for event in log.events("assign").sorted(by: { $0.time < $1.time }) {
            guard let ticket = event.ticket else { continue }
            if isAbsent(event.worker) {
                if firstOffer[ticket] == nil && movedAt[ticket] == nil { firstOffer[ticket] = event.time }
                if let since = awaySince[event.worker!], event.time > since { offersAfterAway += 1 }
            } else if let offered = firstOffer[ticket], movedAt[ticket] == nil, event.time > offered {
                movedAt[ticket] = event.time
            }
        }
        let delays = movedAt.map { Double($0.value - firstOffer[$0.key]!) / 1e6 }.sorted()
        return PresenceRow(
            scenario: spec.name, spec: spec, stranded: firstOffer.count, moved: movedAt.count,
            moveP50Milliseconds: delays.isEmpty ? nil : delays[delays.count / 2], moveMaxMilliseconds: delays.last,
            offersAfterAway: offersAfterAway, answered: result.answered, lost: result.lost + (spec.tickets - result.sent),
            duplicates: result.duplicates, budgetMilliseconds: spec.budgetMilliseconds)
    }
}
