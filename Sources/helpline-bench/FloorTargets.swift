/// The targets of the floor scenarios (issue 18), checked against one report.
struct FloorTargets {
    let report: SuiteReport

    /// A finished ticket's RAM once its outcome is delivered, with a journal.
    static let finishedBytesPerTicket = 64.0

    func checks() -> [TargetCheck] {
        var checks: [TargetCheck] = []
        for row in report.finished where row.target == .helpline {
            checks.append(
                TargetCheck(
                    target: "\(row.scenario): a finished ticket costs ≤ \(Int(Self.finishedBytesPerTicket)) B of RSS (journaled)",
                    measured: "\(Table.fixed(row.residentBytesPerTicket, 0)) B/ticket, lost \(row.lost), twice \(row.duplicates)",
                    met: row.residentBytesPerTicket <= Self.finishedBytesPerTicket && row.lost == 0 && row.duplicates == 0))
        }
        for row in report.waiting {
            let restored = row.waitingAfterRestart == row.queued
            checks.append(
                TargetCheck(
                    target: "\(row.scenario): RSS ≤ 1,536 MiB",
                    measured: "\(Table.fixed(ProcessMemory.mebibytes(row.residentBytes), 1)) MiB",
                    met: row.residentBytes <= WaitingSpec.residentTargetBytes))
            checks.append(
                TargetCheck(
                    target: "\(row.scenario): kill -9, restart restores every ticket in ≤ \(Int(WaitingSpec.restartTargetSeconds)) s",
                    measured: "\(Table.fixed(row.restartSeconds, 2)) s, \(row.waitingAfterRestart.map(String.init) ?? "?") of \(row.queued) restored",
                    met: restored && row.restartSeconds <= WaitingSpec.restartTargetSeconds))
        }
        for row in report.consoles {
            checks.append(
                TargetCheck(
                    target: "\(row.scenario): every console welcomed, ≤ \(ConsolesSpec.bytesPerConsoleTarget) B each, heartbeats ≤ \(Int(ConsolesSpec.corePercentTarget))% of a core",
                    measured: "\(row.registered.map(String.init) ?? "?") of \(row.welcomed) registered, \(Table.fixed(row.bytesPerConsole, 0)) B/console, \(Table.fixed(row.idleCorePercent, 1))% of a core",
                    met: row.registered == row.welcomed && row.bytesPerConsole <= Double(ConsolesSpec.bytesPerConsoleTarget)
                        && row.idleCorePercent <= ConsolesSpec.corePercentTarget))
        }
        for row in report.soak {
            checks.append(
                TargetCheck(
                    target: "\(row.scenario): after warm-up RSS drifts ≤ \(Int(SoakSpec.driftTargetPercent))%, journal flat, p99 not climbing",
                    measured: "RSS \(Table.fixed(row.residentDriftPercent, 1))%, journal \(Table.fixed(row.journalDriftPercent, 1))%, p99 last/first \(Table.fixed(row.p99Growth, 2))×, lost \(row.lost)",
                    met: row.residentDriftPercent <= SoakSpec.driftTargetPercent && row.journalDriftPercent <= SoakSpec.driftTargetPercent
                        && row.p99Growth <= 1.5 && row.lost == 0 && row.duplicates == 0))
        }
        return checks
    }
}
