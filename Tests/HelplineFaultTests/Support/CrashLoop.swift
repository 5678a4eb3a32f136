import Foundation
import HelplineClient
import HelplineWorker
import Testing

/// Agents ask tickets at a steady rate while consoles answer them and the broker is killed
/// -9 and restarted at even intervals; what each agent got is then checked against the
/// journal (SQLite or PostgreSQL, read by the caller).
struct CrashLoop {
    let plan: CrashPlan

    /// What the agents got: who answered each ticket, and the tickets that got no answer.
    struct Result {
        let plan: CrashPlan
        var answeredBy: [String: String]
        var lost: [String]
        var workerLog: String
        var elapsed: Duration

        /// Expects no loss, and each outcome the agents got to be the journal's.
        func check(recorded: [String: (kind: String, worker: String?)], broker: JournaledBroker) {
            var conflicting: [String] = []
            for (id, worker) in answeredBy where recorded[id]?.kind != "answered" || recorded[id]?.worker != worker {
                conflicting.append(id)
            }
            print("crash: tickets=\(plan.tickets) kills=\(plan.kills) lost=\(lost.count) conflicting=\(conflicting.count) recorded=\(recorded.count) elapsed=\(elapsed)")
            if let path = ProcessInfo.processInfo.environment["HELPLINE_CRASH_LOG"] {
                try? Data((broker.logText + "\n--- workers\n" + workerLog).utf8).write(to: URL(fileURLWithPath: path))
            }
            if !lost.isEmpty { print("broker log (tail):\n" + broker.logText.split(separator: "\n").suffix(40).joined(separator: "\n")) }
            #expect(lost.isEmpty, "lost \(lost.count) of \(plan.tickets), first \(lost.prefix(5)); the journal: \(lost.prefix(5).map { recorded[String($0.prefix { $0 != ":" })].map { "\($0.kind) \($0.worker ?? "")" } ?? "nothing" })")
            #expect(conflicting == [], "outcomes that differ from the journal's")
            #expect(recorded.count == plan.tickets)
        }
    }

    func run(_ broker: JournaledBroker) async throws -> Result {
        let workers = try (0..<plan.workers).map { index in
            try HelplineWorker(
                endpoint: broker.endpoint,
                registration: WorkerRegistration(name: "w\(index)", role: .hila, capacity: plan.capacity, heartbeat: .milliseconds(250)),
                options: fastWorkerOptions())
        }
        let serving = workers.map { worker in
            Task {
                await worker.serve { ticket in
                    // A human takes a moment: some tickets are held when the broker dies.
                    try? await Task.sleep(for: .milliseconds(Int.random(in: 0...plan.thinkMilliseconds)))
                    return .answer(.approve, body: Array(worker.registration.name.utf8))
                }
            }
        }
        let workerLog = LockedLines()
        let watching = workers.map { worker in
            Task {
                for await event in worker.events {
                    workerLog.append(Data("\(ContinuousClock.now) \(worker.registration.name) \(event)\n".utf8))
                }
            }
        }
        defer {
            workers.forEach { $0.close() }
            serving.forEach { $0.cancel() }
            watching.forEach { $0.cancel() }
        }
        // Every console registered before the first ticket: one asked before any HILA is
        // registered goes to the live queue (no live agent here) and would only expire.
        let registering = ContinuousClock.now
        while !workers.allSatisfy({ workerLog.text.contains(" \($0.registration.name) registered(") }),
            ContinuousClock.now - registering < .seconds(30)
        {
            try await Task.sleep(for: .milliseconds(10))
        }
        let clients = try (0..<plan.clients).map { _ in try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions()) }
        defer { clients.forEach { $0.close() } }

        // Tickets go out at a steady rate; the broker is killed -9 and restarted at even
        // intervals while they do.
        let started = ContinuousClock.now
        let interval = Duration.seconds(1) / plan.ticketsPerSecond
        let killEvery = plan.tickets / (plan.kills + 1)
        var handles: [TicketHandle] = []
        for index in 0..<plan.tickets {
            let client = clients[index % clients.count]
            handles.append(try client.submit(TicketRequest(id: "load-\(index)", deadline: .seconds(120), body: Array("q\(index)".utf8))))
            if index > 0, index % killEvery == 0, index / killEvery <= plan.kills { try broker.crashAndRestart() }
            try await Task.sleep(until: started + interval * (index + 1))
        }
        var answeredBy: [String: String] = [:]
        var lost: [String] = []
        for handle in handles {
            do {
                let outcome = try await handle.outcome()
                guard case .answered(let answer) = outcome else {
                    lost.append("\(handle.id): \(outcome)")
                    continue
                }
                #expect(answer.body == Array(answer.worker.utf8), "the body of the answer that won")
                answeredBy[handle.id] = answer.worker
            } catch {
                lost.append("\(handle.id): \(error)")
            }
        }
        broker.stop()
        return Result(plan: plan, answeredBy: answeredBy, lost: lost, workerLog: workerLog.text, elapsed: ContinuousClock.now - started)
    }
}
