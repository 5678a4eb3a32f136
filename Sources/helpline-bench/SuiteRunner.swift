import Foundation

/// Runs a `SuitePlan`: each scenario in turn, progress on stderr, the report at the end.
struct SuiteRunner {
    let plan: SuitePlan
    let tools: BenchTools
    let mdpEndpoint: String?
    let mdpPID: Int32?
    let brokerLogLevel: String
    /// Scenario kinds to run (`roundtrip`, `dispatch`, `failover`, `presence`, `finished`,
    /// `waiting`, `consoles`, `soak`); empty = all.
    let only: Set<String>

    /// Runs each kind in turn; a kind that fails is noted in the report and the others
    /// still run, so one broken scenario does not cost the figures of the rest.
    func run(into report: inout SuiteReport) {
        for kind in ["roundtrip", "dispatch", "failover", "presence", "finished", "waiting", "consoles", "soak"] where includes(kind) {
            do {
                try run(kind, into: &report)
            } catch {
                progress("\(kind) FAILED: \(error)")
                report.notes.append("\(kind) failed: \(error)")
            }
        }
        report.targets = TargetEvaluation(report: report).checks()
    }

    private func run(_ kind: String, into report: inout SuiteReport) throws {
        switch kind {
        case "roundtrip": try runRoundtrips(into: &report)
        case "dispatch":
            for spec in plan.dispatch {
                let row = DispatchScenario.run(spec)
                progress("\(row.scenario): \(Self.describe(row))")
                report.dispatch.append(row)
            }
        case "failover":
            let runner = FailoverRunner(tools: tools)
            for spec in plan.failover {
                let row = try runner.run(spec)
                progress(
                    "\(row.scenario): \(row.moved)/\(row.affected) moved in \(row.allMovedMilliseconds.map { Table.fixed($0, 1) } ?? "-") ms, lost \(row.lost), twice \(row.duplicates)")
                report.failover.append(row)
            }
        case "presence":
            let runner = PresenceRunner(tools: tools)
            for spec in plan.presence {
                let row = try runner.run(spec)
                progress("\(row.scenario): \(row.moved)/\(row.stranded) moved, max \(row.moveMaxMilliseconds.map { Table.fixed($0, 1) } ?? "-") ms")
                report.presence.append(row)
            }
        case "finished":
            for spec in plan.finished {
                for target in [RoundtripTarget.helpline, .helplineMemory] {
                    let row = try FinishedRunner(tools: tools).run(spec, on: target)
                    progress("\(row.scenario) \(target.rawValue): \(Table.fixed(row.residentBytesPerTicket, 0)) B RSS/ticket, journal \(Table.fixed(row.journalBytesPerTicket, 0)) B/ticket")
                    report.finished.append(row)
                }
            }
        case "waiting":
            for spec in plan.waiting {
                let row = try WaitingRunner(tools: tools).run(spec)
                progress("\(row.scenario): RSS \(ProcessMemory.mebibytes(row.residentBytes)) MiB, restart \(Table.fixed(row.restartSeconds, 2)) s, restored \(row.waitingAfterRestart ?? -1)")
                report.waiting.append(row)
            }
        case "consoles":
            for spec in plan.consoles {
                let row = try ConsolesRunner(tools: tools).run(spec)
                progress("\(row.scenario): welcomed in \(Table.fixed(row.allWelcomedSeconds, 2)) s, \(Table.fixed(row.bytesPerConsole, 0)) B/console, idle \(Table.fixed(row.idleCorePercent, 1))% of a core")
                report.consoles.append(row)
            }
        case "soak":
            let measured = report.roundtrip.first { $0.scenario == plan.main.name && $0.target == .helpline }?.median.answersPerSecond
            for spec in plan.soak {
                report.soak.append(try SoakRunner(tools: tools).run(spec, measuredMax: measured))
            }
        default:
            preconditionFailure("unknown scenario kind \(kind)")
        }
    }

    private func includes(_ kind: String) -> Bool { only.isEmpty || only.contains(kind) }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("  \(text)\n".utf8))
    }

    // MARK: Roundtrip

    private func runRoundtrips(into report: inout SuiteReport) throws {
        let runner = RoundtripRunner(
            tools: tools, timing: plan.timing, mdpEndpoint: mdpEndpoint, mdpPID: mdpPID, brokerLogLevel: brokerLogLevel)
        // Helpline as shipped (journaled) and without its journal, so the journal's share shows.
        var headlineTargets: [RoundtripTarget] = [.helpline, .helplineMemory]
        if plan.forwarderBaseline { headlineTargets.append(.forwarder) }
        if mdpEndpoint != nil { headlineTargets.append(.mdp) }

        // Interleaved, so a noisy minute on the shared machine hits every target alike:
        // each round runs the headline load on every target, then Helpline at capacity 1.
        // 7/MDP workers hold one request each whatever the capacity, so the Majordomo
        // runs of the headline load are what both Helpline capacities are compared with.
        var jobs = headlineTargets.map { (plan.main, $0) }
        // Majordomo keeps nothing on disk: capacity 1 runs as shipped and in memory too,
        // so the like-for-like comparison is there beside the strict one.
        if let spec = plan.capacityOne { jobs += [(spec, .helpline), (spec, .helplineMemory)] }
        let headline = try measure(jobs, repeats: plan.repeats, runner: runner)
        let helplineMax = RoundtripRun.median(of: headline[plan.main.name]![.helpline]!).answersPerSecond
        var rows = makeRows(plan.main, headline[plan.main.name]!, baseline: plan.forwarderBaseline ? .forwarder : nil)
        if let spec = plan.capacityOne, let runs = headline[spec.name] {
            var capacityOne = makeRows(spec, runs, baseline: nil)
            if let mdp = rows.first(where: { $0.target == .mdp }) {
                for index in capacityOne.indices {
                    capacityOne[index].baseline = .mdp
                    capacityOne[index].ratio = capacityOne[index].median.answersPerSecond / max(1, mdp.median.answersPerSecond)
                }
            }
            rows += capacityOne
        }
        for spec in plan.extra {
            let targets: [RoundtripTarget] = plan.forwarderBaseline ? [.helpline, .forwarder] : [.helpline]
            let runs = try measure(targets.map { (spec, $0) }, repeats: 1, runner: runner)
            rows += makeRows(spec, runs[spec.name]!, baseline: plan.forwarderBaseline ? .forwarder : nil)
        }
        if plan.paced && plan.forwarderBaseline && helplineMax > 0 {
            var spec = plan.main
            spec.rate = Int(helplineMax / 2)
            // Paced clients may get ahead of a stall: let each socket hold more.
            spec.inflight = max(spec.inflight, 100)
            // In memory too, at the same rate: what the journal adds to the tail.
            let runs = try measure(
                [(spec, .helpline), (spec, .helplineMemory), (spec, .forwarder)], repeats: plan.repeats, runner: runner)
            var paced = makeRows(spec, runs[spec.name]!, baseline: nil)
            if let forwarder = paced.first(where: { $0.target == .forwarder }) {
                for index in paced.indices where paced[index].target != .forwarder {
                    paced[index].baseline = .forwarder
                    paced[index].ratio = Double(paced[index].median.latency.p99) / Double(max(1, forwarder.median.latency.p99))
                }
            }
            rows += paced
        }
        report.roundtrip = rows
    }

    /// Runs every job once per round, `repeats` rounds; runs by scenario name and target.
    private func measure(
        _ jobs: [(RoundtripSpec, RoundtripTarget)], repeats: Int, runner: RoundtripRunner
    ) throws -> [String: [RoundtripTarget: [RoundtripRun]]] {
        var runs: [String: [RoundtripTarget: [RoundtripRun]]] = [:]
        for round in 0..<repeats {
            for (spec, target) in jobs {
                let run = try runner.run(spec, on: target)
                progress(
                    "\(spec.name) \(target.rawValue) [\(round + 1)/\(repeats)]: \(Table.grouped(run.answersPerSecond))/s p50 \(run.latency.p50) µs p99 \(run.latency.p99) µs, CPU µs/ticket: server \(run.serverMicrosPerTicket.map { Table.fixed($0, 1) } ?? "-") clients \(Table.fixed(run.clientMicrosPerTicket, 1)) workers \(Table.fixed(run.workerMicrosPerTicket, 1))"
                        + (run.lost + run.duplicates > 0 ? " LOST \(run.lost) TWICE \(run.duplicates)" : ""))
                runs[spec.name, default: [:]][target, default: []].append(run)
            }
        }
        return runs
    }

    private func makeRows(_ spec: RoundtripSpec, _ runs: [RoundtripTarget: [RoundtripRun]], baseline: RoundtripTarget?) -> [RoundtripRow] {
        let order: [RoundtripTarget] = [.forwarder, .mdp, .helplineMemory, .helpline]
        var rows = order.compactMap { target in runs[target].map { RoundtripRow(scenario: spec.name, target: target, runs: $0) } }
        if let baseline, let base = rows.first(where: { $0.target == baseline }) {
            for index in rows.indices where rows[index].target != baseline {
                rows[index].baseline = baseline
                rows[index].ratio = rows[index].median.answersPerSecond / max(1, base.median.answersPerSecond)
            }
        }
        return rows
    }

    static func describe(_ row: DispatchRow) -> String {
        var parts: [String] = []
        if let offer = row.askToOffer { parts.append("ask→offer p50 \(offer.p50) ns") }
        if let free = row.freeToOffer { parts.append("free→offer p50 \(free.p50) ns") }
        if let answer = row.answerToOffer { parts.append("answer→offer p50 \(answer.p50) ns") }
        parts.append("heartbeat p50 \(row.heartbeat.p50) ns")
        parts.append("sweep \(Table.fixed(Double(row.sweepNanoseconds) / 1e6, 2)) ms")
        return parts.joined(separator: ", ")
    }
}
