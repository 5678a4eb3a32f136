/// The floor scenarios (finished, waiting, consoles, soak) as text tables.
enum FloorTable {
    static func render(_ report: SuiteReport) -> String {
        var out = ""
        if !report.finished.isEmpty { out += "\n" + finished(report.finished) }
        if !report.waiting.isEmpty { out += "\n" + waiting(report.waiting) }
        if !report.consoles.isEmpty { out += "\n" + consoles(report.consoles) }
        if !report.soak.isEmpty { out += "\n" + soak(report.soak) }
        return out
    }

    private static func mib(_ bytes: Int) -> String { Table.fixed(ProcessMemory.mebibytes(bytes), 1) }

    private static func finished(_ rows: [FinishedRow]) -> String {
        var table = [["scenario", "target", "finished", "RSS MiB", "journal MiB", "retained", "RSS B/ticket", "journal B/ticket", "lost", "twice"]]
        for row in rows {
            for (index, sample) in row.samples.enumerated() {
                let last = index == row.samples.count - 1
                table.append([
                    index == 0 ? row.scenario : "", index == 0 ? row.target.rawValue : "", Table.grouped(Double(sample.finished)),
                    mib(sample.residentBytes), mib(sample.journalBytes), sample.retained.map { Table.grouped(Double($0)) } ?? "-",
                    last ? Table.fixed(row.residentBytesPerTicket, 0) : "", last ? Table.fixed(row.journalBytesPerTicket, 0) : "",
                    last ? "\(row.lost)" : "", last ? "\(row.duplicates)" : "",
                ])
            }
        }
        return "finished — tickets pushed through in batches; the broker's RSS and journal after each (B/ticket: from the first batch's end to the last's)\n"
            + Table.layout(table, rightAligned: 2...9)
    }

    private static func waiting(_ rows: [WaitingRow]) -> String {
        var table = [["scenario", "queued", "waiting", "RSS MiB", "B/ticket", "journal MiB", "kill -9 → listening s", "restart s", "restored", "RSS after MiB"]]
        for row in rows {
            table.append([
                row.scenario, Table.grouped(Double(row.queued)), row.waitingBefore.map { Table.grouped(Double($0)) } ?? "-",
                mib(row.residentBytes), Table.fixed(row.residentBytesPerTicket, 0), mib(row.journalBytes),
                Table.fixed(row.killToListeningSeconds, 2), Table.fixed(row.restartSeconds, 2),
                row.waitingAfterRestart.map { Table.grouped(Double($0)) } ?? "-", mib(row.residentBytesAfterRestart),
            ])
        }
        return "waiting — tickets left waiting (no console) on a journaled broker, then kill -9 and a restart on its journal; targets RSS ≤ 1,536 MiB, restart ≤ 10 s\n"
            + Table.layout(table, rightAligned: 1...9)
    }

    private static func consoles(_ rows: [ConsolesRow]) -> String {
        var table = [["scenario", "welcomed", "registered", "all welcomed s", "RSS before MiB", "RSS after MiB", "B/console", "idle core"]]
        for row in rows {
            table.append([
                row.scenario, Table.grouped(Double(row.welcomed)), row.registered.map { Table.grouped(Double($0)) } ?? "-",
                Table.fixed(row.allWelcomedSeconds, 2), mib(row.residentBytesBefore), mib(row.residentBytesAfter),
                Table.fixed(row.bytesPerConsole, 0), "\(Table.fixed(row.idleCorePercent, 1))%",
            ])
        }
        let capacity = rows.compactMap(\.capacityLine).first.map { "\n  the broker said: \($0)" } ?? ""
        return "consoles — idle consoles heartbeating over TCP; targets ≤ 32,000 B/console, heartbeats ≤ 10% of a core\(capacity)\n"
            + Table.layout(table, rightAligned: 1...7)
    }

    private static func soak(_ rows: [SoakRow]) -> String {
        var out = ""
        for row in rows {
            var table = [["elapsed s", "answers/s", "p99 µs", "RSS MiB", "journal MiB", "lost"]]
            for (index, sample) in row.samples.enumerated() {
                table.append([
                    Table.fixed(sample.elapsedSeconds, 0) + (index < row.warmupSamples ? " (warm-up)" : ""),
                    Table.grouped(sample.answeredPerSecond), "\(sample.p99Micros)", mib(sample.residentBytes), mib(sample.journalBytes),
                    "\(sample.lost)",
                ])
            }
            out += "soak — \(row.scenario) at \(Table.grouped(Double(row.rate))) tickets/s; after warm-up: RSS drift \(Table.fixed(row.residentDriftPercent, 1))%, journal drift \(Table.fixed(row.journalDriftPercent, 1))%, p99 last/first \(Table.fixed(row.p99Growth, 2))×, lost \(row.lost), twice \(row.duplicates)\n"
                + Table.layout(table, rightAligned: 0...5)
        }
        return out
    }
}
