import Foundation

/// One failover setting: HILA console processes holding tickets, some of them killed.
struct FailoverSpec: Codable, Sendable {
    enum Fault: String, Codable, Sendable {
        /// `kill -9`: the TCP connection drops, the broker's socket monitor sees it.
        case kill
        /// `kill -STOP`: the console freezes with its connection open; only missed
        /// heartbeats reveal it. Resumed afterwards, it answers tickets it no longer holds.
        case freeze
    }

    var hilas = 4
    var victims: Int
    var fault: Fault = .kill
    var capacity = 20
    var tickets = 40
    /// How long a console holds a ticket before answering: long enough to be killed holding it.
    var holdMilliseconds = 2_000
    var heartbeatMilliseconds = 250
    var liveness = 3

    var name: String {
        "failover_hila\(hilas)_cap\(capacity)_tickets\(tickets)_\(fault.rawValue)\(victims)_hb\(heartbeatMilliseconds)"
    }

    /// The target: liveness × heartbeat + 100 ms.
    var budgetMilliseconds: Double { Double(liveness * heartbeatMilliseconds + 100) }
}

/// What one failover run saw.
struct FailoverRow: Codable, Sendable {
    var scenario: String
    var spec: FailoverSpec
    /// Tickets the victims held when they were hit.
    var affected: Int
    /// Of those, how many were re-offered to another console or TRANSFERRED.
    var moved: Int
    /// Time from the fault until the last affected ticket was re-offered (or TRANSFERRED).
    var allMovedMilliseconds: Double?
    var firstMovedMilliseconds: Double?
    var answered: Int
    var takenOver: Int
    var transferred: Int
    /// ANSWERs a frozen console sent after it woke up, for tickets already given to
    /// others: the broker must refuse them (they are not in `duplicates`).
    var lateAnswers: Int
    /// Tickets a woken console listed in READY `holding` and was told to drop.
    var droppedOnReturn: Int
    var lost: Int
    var duplicates: Int
    var budgetMilliseconds: Double
}

/// Kills (or freezes) console processes that hold tickets and watches every ticket move.
struct FailoverRunner {
    let tools: BenchTools

    func run(_ spec: FailoverSpec) throws -> FailoverRow {
        // The consoles propose the heartbeat (READY); the broker clamps it to ≥ 250 ms. A
        // journaled broker holds back hila-lost transfers for a restore grace after it
        // starts (HILAs may be re-registering); this journal is new, so there is nothing to
        // wait for, and the figure is the steady state's.
        let broker = try BenchBroker(
            tools: tools, journaled: true, arguments: ["--liveness", "\(spec.liveness)", "--restore-grace-ms", "0"])
        defer { broker.stop() }
        let endpoint = broker.endpoint

        var consoles: [ChildProcess] = []
        defer { consoles.forEach { $0.signal(SIGCONT); $0.stop() } }
        for index in 0..<spec.hilas {
            consoles.append(
                try ChildProcess(
                    tools.bench,
                    [
                        "echo-worker", "--endpoint", endpoint, "--sockets", "1", "--name", "hila\(index)",
                        "--capacity", "\(spec.capacity)", "--hold-ms", "\(spec.holdMilliseconds)",
                        "--heartbeat-ms", "\(spec.heartbeatMilliseconds)", "--events",
                    ], label: "hila \(index)"))
        }
        // A live agent, so tickets that lose every HILA still reach an outcome.
        consoles.append(
            try ChildProcess(
                tools.bench,
                [
                    "echo-worker", "--endpoint", endpoint, "--sockets", "1", "--name", "live", "--role", "live",
                    "--capacity", "100", "--heartbeat-ms", "\(spec.heartbeatMilliseconds)", "--events",
                ], label: "live agent"))
        for console in consoles { try console.waitForLine { $0.contains("\"ready\"") } }

        let client = try ChildProcess(
            tools.bench,
            [
                "load-client", "--endpoint", endpoint, "--sockets", "1", "--count", "\(spec.tickets)", "--events",
                "--measure-ms", "20000", "--drain-ms", "0", "--linger-ms", "1000", "--tag", "f",
            ], label: "load-client")
        defer { client.stop() }

        // Every ticket offered, so the victims hold their share.
        let hilaConsoles = Array(consoles.prefix(spec.hilas))
        try waitUntil(timeout: 10) { EventLog(hilaConsoles).events("assign").count >= spec.tickets }
        let victims = Array(hilaConsoles.prefix(spec.victims))
        let holder = EventLog(hilaConsoles).latestHolder()
        let victimNames = Set((0..<spec.victims).map { "hila\($0)-0" })
        let affected = Set(holder.filter { victimNames.contains($0.value) }.keys)

        let faultAt = BenchClock.now()
        for victim in victims { victim.signal(spec.fault == .kill ? SIGKILL : SIGSTOP) }

        // Moved: a later ASSIGN to another console, or TRANSFERRED to the client.
        var movedAt: [String: UInt64] = [:]
        let survivors = Array(consoles.dropFirst(spec.victims))
        try? waitUntil(timeout: 10) {
            movedAt = [:]
            for event in EventLog(survivors).events("assign") + EventLog([client]).events("transferred")
            where event.time >= faultAt && affected.contains(event.ticket ?? "") {
                movedAt[event.ticket!] = min(movedAt[event.ticket!] ?? .max, event.time)
            }
            return movedAt.count == affected.count
        }
        // A frozen console wakes up, answers what it no longer holds, and must be refused.
        if spec.fault == .freeze { victims.forEach { $0.signal(SIGCONT) } }

        client.waitForExit(timeout: Double(spec.holdMilliseconds) / 1_000 * 3 + 15)
        guard let line = client.allLines.last(where: { $0.contains("\"result\"") }),
            let result = JSONLines.decode(ChildResult.self, from: line)?.result
        else { throw BenchError.childFailed("the failover client printed no result") }
        let delays = movedAt.values.map { Double($0 - faultAt) / 1e6 }
        let victimLog = EventLog(victims)
        let lateAnswers = victimLog.events("answer").filter { $0.time > faultAt }.count
        let droppedOnReturn = victimLog.events("welcome").filter { $0.time > faultAt }
            .compactMap { $0.detail.flatMap { Int($0.split(separator: " ").last ?? "") } }.reduce(0, +)
        return FailoverRow(
            scenario: spec.name, spec: spec, affected: affected.count, moved: movedAt.count,
            allMovedMilliseconds: movedAt.count == affected.count ? delays.max() ?? 0 : nil,
            firstMovedMilliseconds: delays.min(), answered: result.answered, takenOver: result.takenOver,
            transferred: result.transferred, lateAnswers: lateAnswers, droppedOnReturn: droppedOnReturn, lost: result.lost + (spec.tickets - result.sent),
            duplicates: result.duplicates, budgetMilliseconds: spec.budgetMilliseconds)
    }
}

/// The event lines children printed, merged.
struct EventLog {
    let all: [BenchEvent]

    init(_ children: [ChildProcess]) {
        all = children.flatMap { $0.allLines }.compactMap { line in
            line.contains("\"time\"") ? JSONLines.decode(BenchEvent.self, from: line) : nil
        }
    }

    func events(_ kind: String) -> [BenchEvent] { all.filter { $0.event == kind } }

    /// Ticket → the worker of its latest ASSIGN.
    func latestHolder() -> [String: String] {
        var holder: [String: (time: UInt64, worker: String)] = [:]
        for event in events("assign") {
            guard let ticket = event.ticket, let worker = event.worker else { continue }
            if event.time >= holder[ticket]?.time ?? 0 { holder[ticket] = (event.time, worker) }
        }
        return holder.mapValues(\.worker)
    }
}

/// Polls `condition` every 5 ms until it holds; throws after `timeout` seconds.
func waitUntil(timeout seconds: Double, _ condition: () -> Bool) throws {
    let deadline = BenchClock.now() + UInt64(seconds * 1e9)
    while !condition() {
        guard BenchClock.now() < deadline else { throw BenchError.childFailed("timed out after \(seconds) s") }
        usleep(5_000)
    }
}
