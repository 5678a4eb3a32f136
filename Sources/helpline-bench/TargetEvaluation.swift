/// The targets, checked against one report: every ratio from the same invocation.
struct TargetEvaluation {
    let report: SuiteReport

    /// Throughput of Helpline over the forwarder at the headline load.
    static let forwarderShare = 0.60
    /// Helpline (capacity 10) over a Majordomo broker, same processes.
    static let majordomoMultiple = 5.0
    /// p99 at half of Helpline's maximum, over the forwarder's p99 at the same rate.
    static let pacedP99Multiple = 2.0
    /// Median dispatch decision at 10,000 workers.
    static let dispatchNanoseconds: UInt64 = 2_000
    /// Dispatch cost at 100,000 workers over its cost at 1,000.
    static let dispatchGrowth = 3.0

    func checks() -> [TargetCheck] {
        var checks: [TargetCheck] = []
        let headline = report.plan.main.name
        for target in [RoundtripTarget.helpline, .helplineMemory] {
            guard let measured = row(headline, target), let forwarder = row(headline, .forwarder) else { continue }
            let share = measured.median.answersPerSecond / max(1, forwarder.median.answersPerSecond)
            checks.append(
                TargetCheck(
                    target: "\(headline): \(target.rawValue) ≥ \(percent(Self.forwarderShare)) of the forwarder",
                    measured: "\(percent(share)) (\(Table.grouped(measured.median.answersPerSecond)) vs \(Table.grouped(forwarder.median.answersPerSecond)) answers/s)",
                    met: share >= Self.forwarderShare))
        }
        let mdp = row(headline, .mdp)
        // As shipped (journaled) and in memory: Majordomo keeps nothing on disk.
        for target in [RoundtripTarget.helpline, .helplineMemory] {
            if let measured = row(headline, target) {
                checks.append(
                    majordomo("\(target.rawValue) (capacity 10) ≥ \(Table.fixed(Self.majordomoMultiple, 0))× Majordomo", measured, mdp, Self.majordomoMultiple))
            }
            if let name = report.plan.capacityOne?.name, let capacityOne = row(name, target) {
                checks.append(majordomo("\(target.rawValue) (capacity 1) ahead of Majordomo", capacityOne, mdp, 1.0))
            }
        }
        for target in [RoundtripTarget.helpline, .helplineMemory] {
            guard let paced = report.roundtrip.first(where: { $0.target == target && $0.scenario.contains("_rate") }),
                let forwarder = report.roundtrip.first(where: { $0.target == .forwarder && $0.scenario == paced.scenario })
            else { continue }
            let ratio = Double(paced.median.latency.p99) / Double(max(1, forwarder.median.latency.p99))
            checks.append(
                TargetCheck(
                    target: "\(paced.scenario): \(target.rawValue) p99 ≤ \(Table.fixed(Self.pacedP99Multiple, 0))× the forwarder's at that rate",
                    measured: "\(Table.fixed(ratio, 2))× (\(paced.median.latency.p99) µs vs \(forwarder.median.latency.p99) µs)",
                    met: ratio <= Self.pacedP99Multiple))
        }
        checks += dispatchChecks()
        for row in report.failover {
            let moved = row.allMovedMilliseconds
            let onTime = moved.map { $0 <= row.budgetMilliseconds } ?? false
            checks.append(
                TargetCheck(
                    target: "\(row.scenario): every ticket moved within \(Table.fixed(row.budgetMilliseconds, 0)) ms, 0 lost, 0 twice",
                    measured: "\(moved.map { Table.fixed($0, 1) + " ms" } ?? "not all moved (\(row.moved)/\(row.affected))"), lost \(row.lost), twice \(row.duplicates)",
                    met: onTime && row.lost == 0 && row.duplicates == 0))
        }
        return checks + FloorTargets(report: report).checks()
    }

    private func row(_ scenario: String, _ target: RoundtripTarget) -> RoundtripRow? {
        report.roundtrip.first { $0.scenario == scenario && $0.target == target }
    }

    private func majordomo(_ text: String, _ helpline: RoundtripRow, _ mdp: RoundtripRow?, _ multiple: Double) -> TargetCheck {
        guard let mdp else {
            return TargetCheck(target: text, measured: "not measured: no --mdp-endpoint", met: nil)
        }
        let ratio = helpline.median.answersPerSecond / max(1, mdp.median.answersPerSecond)
        return TargetCheck(
            target: text,
            measured: "\(Table.fixed(ratio, 2))× (\(Table.grouped(helpline.median.answersPerSecond)) vs \(Table.grouped(mdp.median.answersPerSecond)) answers/s)",
            met: ratio >= multiple)
    }

    /// The dispatch decision (free→offer: a worker gets room, the core picks what it takes
    /// next and offers it), with tickets waiting: the median at 10k workers (the worst of
    /// the queue sizes), and its growth from 1k to 100k workers at the largest queue.
    /// The whole-message costs (ask→offer, answer→offer) are in the table beside it.
    private func dispatchChecks() -> [TargetCheck] {
        let decisions = report.dispatch.filter { $0.freeToOffer != nil }
        func largestQueue(_ workers: Int) -> DispatchRow? {
            decisions.filter { $0.spec.workers == workers }.max { $0.spec.waiting < $1.spec.waiting }
        }
        var checks: [TargetCheck] = []
        let tenThousand = decisions.filter { $0.spec.workers == 10_000 }
        if let worst = tenThousand.max(by: { $0.freeToOffer!.p50 < $1.freeToOffer!.p50 }), let median = worst.freeToOffer?.p50 {
            checks.append(
                TargetCheck(
                    target: "dispatch decision at 10,000 workers ≤ \(Table.grouped(Double(Self.dispatchNanoseconds))) ns median",
                    measured: "\(Table.grouped(Double(median))) ns (worst of \(tenThousand.map { Table.grouped(Double($0.spec.waiting)) }.joined(separator: ", ")) waiting)",
                    met: median <= Self.dispatchNanoseconds))
        }
        if let small = largestQueue(1_000), let large = largestQueue(100_000), let low = small.freeToOffer?.p50, let high = large.freeToOffer?.p50 {
            let growth = Double(high) / Double(max(1, low))
            checks.append(
                TargetCheck(
                    target: "dispatch decision grows < \(Table.fixed(Self.dispatchGrowth, 0))× from 1,000 to 100,000 workers",
                    measured: "\(Table.fixed(growth, 2))× (\(low) ns → \(high) ns, \(Table.grouped(Double(large.spec.waiting))) waiting)",
                    met: growth < Self.dispatchGrowth))
        }
        return checks
    }

    private func percent(_ value: Double) -> String { "\(Table.fixed(value * 100, 0))%" }
}
