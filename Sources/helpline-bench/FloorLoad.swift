import Foundation

/// The load processes the floor scenarios start: consoles that answer (or only heartbeat),
/// batches of tickets sent at once, and paced intervals. Each is a `helpline-bench`
/// child process, stopped by its PID.
struct FloorLoad {
    let tools: BenchTools
    let endpoint: String

    /// `count` HILA consoles over `processes` echo-worker processes, waiting until each
    /// process has every console welcomed.
    func consoles(
        _ count: Int, processes: Int, capacity: Int, heartbeatMilliseconds: Int, name: String = "w", readyTimeout: Double = 30
    ) throws -> [ChildProcess] {
        var workers: [ChildProcess] = []
        for (index, share) in RoundtripRunner.split(count, into: processes).enumerated() {
            workers.append(
                try ChildProcess(
                    tools.bench,
                    [
                        "echo-worker", "--endpoint", endpoint, "--sockets", "\(share)", "--capacity", "\(capacity)",
                        "--heartbeat-ms", "\(heartbeatMilliseconds)", "--name", "\(name)\(index)",
                    ], label: "echo-worker \(index)"))
        }
        do {
            for worker in workers { try worker.waitForLine(timeout: readyTimeout) { $0.contains("\"ready\"") } }
        } catch {
            workers.forEach { $0.stop() }
            throw error
        }
        return workers
    }

    /// Sends `count` tickets at once over `sockets` agent connections and waits for their
    /// outcomes (or, `untilQueued`, only for each to be QUEUED); the client's result.
    func batch(count: Int, sockets: Int, bodyBytes: Int, tag: String, untilQueued: Bool = false, timeout: Double = 300) throws
        -> LoadClientResult
    {
        var arguments = [
            "load-client", "--endpoint", endpoint, "--sockets", "\(sockets)", "--count", "\(count)", "--body", "\(bodyBytes)",
            "--warmup-ms", "0", "--measure-ms", "\(Int(timeout * 1_000))", "--drain-ms", "0", "--tag", tag,
        ]
        if untilQueued { arguments.append("--until-queued") }
        let client = try ChildProcess(tools.bench, arguments, label: "load-client \(tag)")
        defer { client.stop() }
        return try Self.result(of: client, timeout: timeout + 10)
    }

    /// A paced load of `rate` tickets/s for `milliseconds` over `processes` load clients;
    /// their results merged (latency included).
    func paced(rate: Int, milliseconds: Int, clients: Int, processes: Int, bodyBytes: Int, tag: String) throws
        -> (result: LoadClientResult, latency: LatencySummary)
    {
        let startAt = BenchClock.now() + 300_000_000
        var children: [ChildProcess] = []
        defer { children.forEach { $0.stop() } }
        let shares = RoundtripRunner.split(clients, into: processes)
        for (index, share) in shares.enumerated() {
            children.append(
                try ChildProcess(
                    tools.bench,
                    [
                        "load-client", "--endpoint", endpoint, "--sockets", "\(share)", "--inflight", "100", "--body",
                        "\(bodyBytes)", "--rate", "\(Double(rate) * Double(share) / Double(clients))", "--start-at",
                        "\(startAt)", "--warmup-ms", "0", "--measure-ms", "\(milliseconds)", "--drain-ms", "3000",
                        "--tag", "\(tag)p\(index)",
                    ], label: "load-client \(tag)p\(index)"))
        }
        var histogram = LatencyHistogram.latency()
        var total = LoadClientResult()
        for child in children {
            let result = try Self.result(of: child, timeout: Double(milliseconds) / 1_000 + 10)
            result.latency.add(to: &histogram)
            total.sent += result.sent
            total.answered += result.answered
            total.answeredInWindow += result.answeredInWindow
            total.lost += result.lost
            total.duplicates += result.duplicates
            total.errors += result.errors + result.malformed
        }
        return (total, LatencySummary(histogram))
    }

    /// The result line a load client prints last.
    static func result(of client: ChildProcess, timeout: Double) throws -> LoadClientResult {
        client.waitForExit(timeout: timeout)
        guard let line = client.allLines.last(where: { $0.contains("\"result\"") }),
            let result = JSONLines.decode(ChildResult.self, from: line)?.result
        else { throw BenchError.childFailed("\(client.label) printed no result (\(client.exitDescription))") }
        return result
    }
}
