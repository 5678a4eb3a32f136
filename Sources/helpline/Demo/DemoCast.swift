import Foundation
import HelplineClient
import HelplineWire

/// Everyone in the demo and the processes they run in: the broker, the agents, the
/// humans. Stops them all at the end.
final class DemoCast: @unchecked Sendable {
    private let log: DemoLog
    private let tally: DemoTally
    private let broker: DemoProcess
    private var carol: DemoProcess?
    /// `helpline web` on the demo's broker, when asked for (`--web-users`).
    private var web: DemoProcess?
    private let humans: [DemoHuman]
    private let agents: [String: DemoAgent]
    private var humanTasks: [Task<Void, Never>] = []
    /// Tickets carol's console holds, from her log: what her crash takes with it.
    private let carolHolds = CarolHoldings()

    init(log: DemoLog, tally: DemoTally, speed: Double, web webConsole: DemoWebConsole? = nil) throws {
        self.log = log
        self.tally = tally
        broker = try DemoProcess(
            name: "broker",
            arguments: [
                // No journal: the demo's ticket ids repeat from run to run, and a journal would
                // answer them with the outcomes of the last run.
                "broker", "--endpoint", "tcp://127.0.0.1:*", "--log-level", "error", "--journal", "memory",
                "--accept-timeout-ms", String(Int(DemoScript.acceptTimeout / speed)),
            ])
        guard let endpoint = broker.waitForLine(after: "listening on ") else {
            throw DemoFailure(description: "the broker did not start")
        }
        log.line(.narrator, "", "broker listening on \(endpoint) (pid \(broker.pid)); accept timeout \(Int(DemoScript.acceptTimeout / 1000)) s")
        humans = [
            try DemoHuman(name: "ana", role: .hila, skills: ["refunds", "billing"], capacity: 3, endpoint: endpoint, log: log, tally: tally, speed: speed),
            try DemoHuman(
                name: "bob", role: .hila, skills: ["refunds", "accounts"], capacity: 2, endpoint: endpoint, log: log, tally: tally,
                speed: speed, walksAwayAt: DemoScript.bobWalksAway),
            try DemoHuman(name: "lee", role: .live, skills: [], capacity: 2, endpoint: endpoint, log: log, tally: tally, speed: speed),
        ]
        let holds = carolHolds
        carol = try DemoProcess(
            name: "carol",
            arguments: [
                "work", "--endpoint", endpoint, "--name", "carol", "--skill", "billing", "--skill", "policy", "--capacity", "3",
                "--lease", String(DemoScript.lease / speed / 1000), "--exec", DemoScript.carolScript(thinkSeconds: DemoScript.carolThinks / speed),
            ],
            onError: { line in Self.relayCarol(line, log: log, tally: tally, holds: holds) })
        if let webConsole {
            web = try Self.startWeb(webConsole, endpoint: endpoint, log: log)
        }
        var agents: [String: DemoAgent] = [:]
        for name in Set(DemoScript.tickets.map(\.agent)) {
            agents[name] = try DemoAgent(name: name, endpoint: endpoint, log: log, tally: tally, speed: speed)
        }
        self.agents = agents
        humanTasks = humans.map { human in Task { await human.run() } }
        // Let the consoles register before the first ticket.
        pauseForRegistration(speed: speed)
    }

    /// Starts `helpline web` on the demo's broker and says where to open it (and, on the
    /// first run, the administrator's password).
    private static func startWeb(_ console: DemoWebConsole, endpoint: String, log: DemoLog) throws -> DemoProcess {
        let process = try DemoProcess(
            name: "web",
            arguments: [
                "web", "--endpoint", endpoint, "--users", console.users, "--first-admin", "admin", "--port", String(console.port),
            ],
            onError: { line in log.line(.narrator, "", "web console: \(line)") })
        guard let lines = process.waitForLines(through: "helpline web: ") else {
            process.stop()
            throw DemoFailure(description: "the web console did not start (is port \(console.port) free?)")
        }
        for line in lines { log.line(.narrator, "", line) }
        log.line(.narrator, "", "open that URL and log in: the agents' tickets reach you there too")
        return process
    }

    func agent(_ name: String) -> DemoAgent {
        agents[name]!
    }

    /// SIGKILL to carol's console and everything it runs: a crash, not a goodbye.
    func crashCarol() {
        guard let carol else { return }
        let holding = carolHolds.current.sorted()
        log.line(.narrator, "", "carol's console crashes (SIGKILL, pid \(carol.pid))" + (holding.isEmpty ? "" : " holding \(holding.joined(separator: ", "))"))
        carol.stop(signal: SIGKILL)
    }

    func cancelOpen(_ tickets: Set<String>) {
        for id in tickets {
            guard let ticket = DemoScript.tickets.first(where: { $0.id == id }) else { continue }
            agents[ticket.agent]?.cancel(id)
        }
    }

    /// The broker's own view at the end, as `helpline status` shows it.
    func showStatus() async {
        guard let agent = agents.values.first else { return }
        guard let report = try? await agent.client.status(timeout: .seconds(2)) else { return }
        log.emit()
        log.emit(log.style.bold("helpline status") + " at the end:")
        log.emit(StatusReport(report).table(endpoint: "(demo)", style: log.style).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
    }

    /// Closes every console and agent, then the processes: nothing started is left running.
    func stop() {
        for human in humans { human.worker.close() }
        for agent in agents.values { agent.client.close() }
        carol?.stop()
        web?.stop()
        broker.stop()
        let pids = ([broker.pid] + [carol?.pid, web?.pid].compactMap { $0 }).map(String.init).joined(separator: ", ")
        log.emit(log.style.dim("  Stopped the broker and carol's console\(web == nil ? "" : " and the web console") (pids \(pids)) and every in-process console and agent."))
    }

    private func pauseForRegistration(speed: Double) {
        Thread.sleep(forTimeInterval: 1.0 / speed)
    }

    /// Carol's `helpline work` log ("carol: return-7730 offered (attempt 1, policy)") as
    /// demo lines.
    private static func relayCarol(_ line: String, log: DemoLog, tally: DemoTally, holds: CarolHoldings) {
        guard line.hasPrefix("carol: ") else { return }
        let text = String(line.dropFirst("carol: ".count))
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard words.count == 2, DemoScript.tickets.contains(where: { $0.id == words[0] }) else {
            if text.hasPrefix("registered") { log.line(.hila("carol"), "", "carol's console is up: `helpline work --exec`, its own process") }
            return
        }
        let (ticket, event) = (words[0], words[1])
        if event.hasPrefix("offered") {
            holds.add(ticket)
            if let attempt = event.split(separator: " ").dropFirst(2).first.flatMap({ Int($0.trimmingCharacters(in: .punctuationCharacters)) }), attempt > 1 {
                tally.count("re-offered")
                log.line(.hila("carol"), ticket, "re-offered to carol (attempt \(attempt))")
            } else {
                log.line(.hila("carol"), ticket, "offered to carol")
            }
        } else {
            holds.remove(ticket)
            if event.hasPrefix("revoked") || event.hasPrefix("declined") { log.line(.hila("carol"), ticket, event) }
        }
    }
}

/// Why the demo could not run.
struct DemoFailure: Error, CustomStringConvertible {
    let description: String
}

/// The tickets carol holds, updated from her log's thread.
final class CarolHoldings: @unchecked Sendable {
    private let lock = NSLock()
    private var tickets: Set<String> = []

    func add(_ id: String) { lock.withLock { _ = tickets.insert(id) } }
    func remove(_ id: String) { lock.withLock { _ = tickets.remove(id) } }
    var current: Set<String> { lock.withLock { tickets } }
}

/// Where `helpline demo --web-users` serves the web console.
struct DemoWebConsole {
    /// The users file (created with an administrator when missing).
    var users: String
    /// The port (0: any free one).
    var port: Int
}
