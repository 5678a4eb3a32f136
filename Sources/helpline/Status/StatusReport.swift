import HelplineWire

/// A REPORT as people and machines read it.
struct StatusReport {
    let report: Report

    init(_ report: Report) {
        self.report = report
    }

    /// The counters in the order a reader follows a ticket's life; any others the broker
    /// adds come after, sorted.
    static let countOrder = [
        "asked", "waiting", "waiting_hila", "waiting_live", "offered", "accepted", "answered", "taken_over",
        "transferred", "expired", "cancelled", "revoked", "open", "retained", "workers", "dead_workers", "errors",
    ]

    /// Queues by role then skills; workers by role then name; skills sorted (a skill set
    /// has no order, and the broker may reorder it): stable from one call to the next.
    var queues: [Report.Queue] {
        report.queues.sorted { ($0.role.rawValue, $0.skills.joined(separator: ",")) < ($1.role.rawValue, $1.skills.joined(separator: ",")) }
    }

    var workers: [Report.Worker] {
        report.workers.sorted { ($0.role.rawValue, $0.name) < ($1.role.rawValue, $1.name) }
    }

    var orderedCounts: [(String, Int)] {
        let known = Self.countOrder.compactMap { key in report.counts[key].map { (key, $0) } }
        let others = report.counts.keys.filter { !Self.countOrder.contains($0) }.sorted().map { ($0, report.counts[$0]!) }
        return known + others
    }

    /// `{"uptime_ms":…,"counts":{…},"queues":[…],"workers":[…]}`.
    var json: JSONValue {
        .object([
            ("uptime_ms", .int(Int64(report.uptimeMilliseconds))),
            ("counts", .object(orderedCounts.map { ($0.0, .int(Int64($0.1))) })),
            ("queues", .array(queues.map { queue in
                .object([
                    ("role", .string(queue.role.rawValue)), ("skills", .array(queue.skills.sorted().map(JSONValue.string))),
                    ("waiting", .int(Int64(queue.waiting))), ("oldest_ms", .int(Int64(queue.oldestMilliseconds))),
                ])
            })),
            ("workers", .array(workers.map { worker in
                .object([
                    ("name", .string(worker.name)), ("role", .string(worker.role.rawValue)),
                    ("skills", .array(worker.skills.sorted().map(JSONValue.string))), ("load", .int(Int64(worker.load))),
                    ("capacity", .int(Int64(worker.capacity))), ("presence", .string(worker.presence.rawValue)),
                ])
            })),
        ])
    }

    /// The report as sections of aligned columns, for an 80-column terminal.
    func table(endpoint: String, style: Style) -> String {
        var out = style.bold("Helpline broker") + " \(endpoint) · up \(TimeFormat.span(milliseconds: Int64(report.uptimeMilliseconds)))\n\n"
        out += style.bold("QUEUES") + "\n"
        if queues.isEmpty {
            out += style.dim("  no tickets waiting") + "\n"
        } else {
            out += style.dim("  ROLE  " + "SKILLS".fitted(toWidth: 36) + "WAITING".rightAligned(toWidth: 8) + "  OLDEST") + "\n"
            for queue in queues {
                out += "  " + queue.role.rawValue.fitted(toWidth: 4) + "  " + Self.skills(queue.skills).fitted(toWidth: 36)
                    + String(queue.waiting).rightAligned(toWidth: 8) + "  "
                    + TimeFormat.span(milliseconds: Int64(queue.oldestMilliseconds)) + "\n"
            }
        }
        out += "\n" + style.bold("WORKERS") + "\n"
        if workers.isEmpty {
            out += style.dim("  no workers registered") + "\n"
        } else {
            out += style.dim("  " + "NAME".fitted(toWidth: 14) + "ROLE  " + "LOAD".fitted(toWidth: 16) + "PRESENCE  SKILLS") + "\n"
            for worker in workers {
                let presence = worker.presence == .active ? style.green("active  ") : style.yellow("away    ")
                out += "  " + worker.name.sanitizedForTerminal.fitted(toWidth: 14) + worker.role.rawValue.fitted(toWidth: 4) + "  "
                    + Self.load(worker).fitted(toWidth: 16) + presence + "  " + Self.skills(worker.skills).truncated(toWidth: 28) + "\n"
            }
        }
        out += "\n" + style.bold("COUNTS") + "\n"
        // Aligned cells, four to a line: a column of numbers reads at a glance.
        let cells = orderedCounts.map { key, value in
            key.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ").fitted(toWidth: 13)
                + String(value).rightAligned(toWidth: 5)
        }
        for start in stride(from: 0, to: cells.count, by: Self.countsPerLine) {
            out += "  " + cells[start..<min(start + Self.countsPerLine, cells.count)].joined(separator: "   ") + "\n"
        }
        return out
    }

    /// Four cells of 18 columns and their gaps fill an 80-column terminal.
    private static let countsPerLine = 4

    private static func skills(_ skills: [String]) -> String {
        skills.isEmpty ? "—" : skills.sorted().joined(separator: ", ").sanitizedForTerminal
    }

    /// "2/3 ■■□": a bar for capacities a glance can count; the numbers alone above that.
    private static let maxBarCells = 10

    private static func load(_ worker: Report.Worker) -> String {
        let numbers = "\(worker.load)/\(worker.capacity)"
        guard worker.capacity <= maxBarCells else { return numbers }
        return numbers.fitted(toWidth: 6) + String(repeating: "■", count: worker.load)
            + String(repeating: "□", count: max(0, worker.capacity - worker.load))
    }
}
