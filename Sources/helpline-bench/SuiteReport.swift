/// One roundtrip figure: every run of one load on one target, and their median.
struct RoundtripRow: Codable, Sendable {
    var scenario: String
    var target: RoundtripTarget
    var runs: [RoundtripRun]
    var median: RoundtripRun
    /// The target this row is compared with, measured in the same invocation.
    var baseline: RoundtripTarget?
    /// This row's answers/s ÷ the baseline's (for paced rows: p99 ÷ the baseline's p99).
    var ratio: Double?

    init(scenario: String, target: RoundtripTarget, runs: [RoundtripRun]) {
        self.scenario = scenario
        self.target = target
        self.runs = runs
        median = RoundtripRun.median(of: runs)
    }
}

/// One target of the issue, and how this run did against it.
struct TargetCheck: Codable, Sendable {
    var target: String
    var measured: String
    /// nil: not measured in this run (e.g. no `--mdp-endpoint`).
    var met: Bool?
}

/// Everything one invocation measured: the JSON under bench/results/.
struct SuiteReport: Codable, Sendable {
    var suite: String
    var date: String
    var command: String
    var machine: MachineInfo
    var plan: SuitePlan
    var roundtrip: [RoundtripRow] = []
    var dispatch: [DispatchRow] = []
    var failover: [FailoverRow] = []
    var presence: [PresenceRow] = []
    var finished: [FinishedRow] = []
    var waiting: [WaitingRow] = []
    var consoles: [ConsolesRow] = []
    var soak: [SoakRow] = []
    var targets: [TargetCheck] = []
    var notes: [String] = []
}

extension RoundtripRun {
    /// Each figure's median over `runs`, taken separately (a run may be the slowest in
    /// throughput and not in latency).
    static func median(of runs: [RoundtripRun]) -> RoundtripRun {
        precondition(!runs.isEmpty, "a row has at least one run")
        func middle<T: Comparable>(_ values: [T]) -> T { values.sorted()[values.count / 2] }
        func middle(_ values: [Double?]) -> Double? {
            let present = values.compactMap { $0 }
            return present.isEmpty ? nil : middle(present)
        }
        var latency = runs[0].latency
        latency.p50 = middle(runs.map(\.latency.p50))
        latency.p90 = middle(runs.map(\.latency.p90))
        latency.p99 = middle(runs.map(\.latency.p99))
        latency.p999 = middle(runs.map(\.latency.p999))
        latency.max = middle(runs.map(\.latency.max))
        latency.count = middle(runs.map(\.latency.count))
        return RoundtripRun(
            answersPerSecond: middle(runs.map(\.answersPerSecond)), latency: latency,
            serverMicrosPerTicket: middle(runs.map(\.serverMicrosPerTicket)),
            serverCorePercent: middle(runs.map(\.serverCorePercent)),
            clientCorePercent: middle(runs.map(\.clientCorePercent)),
            workerCorePercent: middle(runs.map(\.workerCorePercent)),
            clientMicrosPerTicket: middle(runs.map(\.clientMicrosPerTicket)),
            workerMicrosPerTicket: middle(runs.map(\.workerMicrosPerTicket)),
            sent: runs.map(\.sent).reduce(0, +), lost: runs.map(\.lost).reduce(0, +),
            duplicates: runs.map(\.duplicates).reduce(0, +), errors: runs.map(\.errors).reduce(0, +),
            deferredSends: runs.map(\.deferredSends).reduce(0, +), lateP99Micros: middle(runs.map(\.lateP99Micros)))
    }
}
