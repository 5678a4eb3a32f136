import Foundation

/// The report as text tables for stdout (and the README's Figures section).
enum Table {
    static func render(_ report: SuiteReport) -> String {
        var out = "helpline-bench \(report.suite) — \(report.date)\n"
        out += "machine: \(report.machine.cores) cores (\(report.machine.cpuModel)), \(Table.fixed(report.machine.memoryGiB, 1)) GiB, "
        out += "Linux \(report.machine.kernel), libzmq \(report.machine.libzmq)\n"
        out += "command: \(report.command)\n"
        if !report.roundtrip.isEmpty { out += "\n" + roundtrip(report) }
        if !report.dispatch.isEmpty { out += "\n" + dispatch(report.dispatch) }
        if !report.failover.isEmpty { out += "\n" + failover(report.failover) }
        if !report.presence.isEmpty { out += "\n" + presence(report.presence) }
        out += FloorTable.render(report)
        if !report.targets.isEmpty {
            out += "\ntargets\n"
            for check in report.targets {
                let verdict = check.met.map { $0 ? "met   " : "MISSED" } ?? "n/a   "
                out += "  [\(verdict)] \(check.target): \(check.measured)\n"
            }
        }
        for note in report.notes { out += "note: \(note)\n" }
        return out
    }

    private static func roundtrip(_ report: SuiteReport) -> String {
        var rows = [["scenario", "target", "answers/s", "(runs: min–max)", "p50", "p90", "p99", "p99.9", "max", "server µs/ticket", "server core", "vs baseline"]]
        var previous = ""
        for row in report.roundtrip {
            let median = row.median
            let latency = median.latency
            var versus = row.baseline == nil ? (row.target == .forwarder ? "baseline" : "") : ""
            if let ratio = row.ratio, let baseline = row.baseline {
                versus = row.scenario.contains("_rate") ? "p99 \(fixed(ratio, 2))× \(baseline.rawValue)" : "\(fixed(ratio, 2))× \(baseline.rawValue)"
            }
            if median.lost + median.duplicates > 0 { versus += " LOST \(median.lost) TWICE \(median.duplicates)" }
            rows.append([
                row.scenario == previous ? "" : row.scenario, row.target.rawValue, grouped(median.answersPerSecond),
                spread(row.runs.map(\.answersPerSecond)), "\(latency.p50)", "\(latency.p90)", "\(latency.p99)", "\(latency.p999)", "\(latency.max)",
                median.serverMicrosPerTicket.map { fixed($0, 2) } ?? "-",
                median.serverCorePercent.map { "\(fixed($0, 0))%" } ?? "-", versus,
            ])
            previous = row.scenario
        }
        let repeats = report.plan.repeats
        return "roundtrip — latencies in µs; medians of \(repeats) run\(repeats == 1 ? "" : "s") (headline, capacity 1 and paced), 1 run otherwise\n"
            + layout(rows, rightAligned: 2...10)
    }

    private static func dispatch(_ rows: [DispatchRow]) -> String {
        var table = [[
            "workers", "waiting", "ask→offer", "free→offer", "(p99)", "answer→offer", "ask→queue", "new set", "heartbeat", "idle tick", "sweep ms",
            "ns/worker", "B/worker", "B/ticket",
        ]]
        for row in rows {
            table.append([
                grouped(Double(row.spec.workers)), grouped(Double(row.spec.waiting)),
                row.askToOffer.map { "\($0.p50)" } ?? "-", row.freeToOffer.map { "\($0.p50)" } ?? "-",
                (row.freeToOffer ?? row.askToOffer).map { "\($0.p99)" } ?? "-", row.answerToOffer.map { "\($0.p50)" } ?? "-",
                row.askToQueue.map { "\($0.p50)" } ?? "-", row.newSkillSet.map { "\($0.p50)" } ?? "-",
                "\(row.heartbeat.p50)", "\(row.idleTick.p50)",
                fixed(Double(row.sweepNanoseconds) / 1e6, 2), fixed(row.sweepNanosecondsPerWorker, 0),
                fixed(row.bytesPerWorker, 0), row.bytesPerWaitingTicket.map { fixed($0, 0) } ?? "-",
            ])
        }
        let overhead = rows.first?.clockOverheadNanoseconds ?? 0
        let skills = rows.first?.spec.skills ?? 0
        let sets = rows.first?.spec.skillSets ?? 0
        return "dispatch — the core in-process, \(skills) skills, tickets on \(Table.grouped(Double(sets))) skill sets; ns per call, medians (p99 of the decision); clock reads add ≈ \(overhead) ns\n"
            + layout(table, rightAligned: 0...13)
    }

    private static func failover(_ rows: [FailoverRow]) -> String {
        var table = [["scenario", "affected", "moved", "all moved ms", "budget ms", "answered", "taken over", "woke: answers/dropped", "lost", "twice"]]
        for row in rows {
            table.append([
                row.scenario, "\(row.affected)", "\(row.moved)", row.allMovedMilliseconds.map { fixed($0, 1) } ?? "-",
                fixed(row.budgetMilliseconds, 0), "\(row.answered)", "\(row.takenOver)", "\(row.lateAnswers)/\(row.droppedOnReturn)", "\(row.lost)",
                "\(row.duplicates)",
            ])
        }
        return "failover — consoles holding tickets killed (kill -9) or frozen (SIGSTOP, resumed once its tickets moved); budget = liveness × heartbeat + 100 ms\n"
            + layout(table, rightAligned: 1...9)
    }

    private static func presence(_ rows: [PresenceRow]) -> String {
        var table = [["scenario", "stranded", "moved", "p50 ms", "max ms", "budget ms", "offers after away", "lost", "twice"]]
        for row in rows {
            table.append([
                row.scenario, "\(row.stranded)", "\(row.moved)", row.moveP50Milliseconds.map { fixed($0, 1) } ?? "-",
                row.moveMaxMilliseconds.map { fixed($0, 1) } ?? "-", fixed(row.budgetMilliseconds, 0),
                "\(row.offersAfterAway)", "\(row.lost)", "\(row.duplicates)",
            ])
        }
        return "presence — absent humans: offered tickets move after the accept timeout; budget = accept timeout + 100 ms\n"
            + layout(table, rightAligned: 1...8)
    }

    /// Columns padded to their widest cell; `rightAligned` columns (numbers) flush right.
    static func layout(_ rows: [[String]], rightAligned: ClosedRange<Int>) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// "21.8–40.0k" over several runs; "" for one.
    static func spread(_ values: [Double]) -> String {
        guard values.count > 1, let low = values.min(), let high = values.max() else { return "" }
        return "\(fixed(low / 1_000, 1))–\(fixed(high / 1_000, 1))k"
    }

    /// 123456.7 → "123,457".
    static func grouped(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        formatter.groupingSeparator = ","
        return formatter.string(from: NSNumber(value: value.rounded())) ?? "\(Int(value))"
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
