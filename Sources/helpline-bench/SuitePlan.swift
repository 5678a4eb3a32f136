/// Which scenarios a run includes and how long each lasts.
struct SuitePlan: Codable, Sendable {
    var name: String
    /// Runs per headline and paced figure; the table shows their median.
    var repeats: Int
    /// Measure the C forwarder beside Helpline (off only for the smoke run, which must
    /// not need gcc).
    var forwarderBaseline = true
    var timing: RoundtripTiming
    /// The headline load, measured on Helpline, the forwarder (and Majordomo when given).
    var main: RoundtripSpec
    /// Helpline with capacity 1, compared with Majordomo (whose workers hold one request).
    var capacityOne: RoundtripSpec?
    /// Further closed-loop loads, Helpline beside the forwarder.
    var extra: [RoundtripSpec]
    /// Run Helpline and the forwarder paced at half of Helpline's measured maximum.
    var paced: Bool
    var dispatch: [DispatchSpec]
    var failover: [FailoverSpec]
    var presence: [PresenceSpec]
    /// The floor scenarios: memory against tickets finished, tickets waiting, consoles
    /// connected, and a soak. `make bench` runs a short soak; the rest are `floor` runs.
    var finished: [FinishedSpec] = []
    var waiting: [WaitingSpec] = []
    var consoles: [ConsolesSpec] = []
    var soak: [SoakSpec] = []

    /// The headline load of the issue: 10 agents, 10 consoles of capacity 10, 10 tickets
    /// in flight per agent, 200-byte bodies.
    static let headline = RoundtripSpec(clients: 10, workers: 10, capacity: 10, inflight: 10, bodyBytes: 200)

    /// `make bench`: every scenario, medians of 5, under 5 minutes on 2 cores.
    static let standard = SuitePlan(
        name: "default", repeats: 5, timing: RoundtripTiming(),
        main: headline,
        capacityOne: RoundtripSpec(clients: 10, workers: 10, capacity: 1, inflight: 10, bodyBytes: 200),
        extra: [
            RoundtripSpec(clients: 10, workers: 10, capacity: 10, inflight: 10, bodyBytes: 4_096),
            RoundtripSpec(clients: 100, workers: 10, capacity: 10, inflight: 1, bodyBytes: 200),
        ],
        paced: true,
        dispatch: [100, 1_000, 10_000, 100_000].flatMap { workers in
            [0, 1_000, 100_000].map { DispatchSpec(workers: workers, waiting: $0) }
        },
        failover: [
            FailoverSpec(victims: 1), FailoverSpec(victims: 2), FailoverSpec(victims: 4),
            FailoverSpec(victims: 1, fault: .freeze),
        ],
        presence: [PresenceSpec()],
        soak: [SoakSpec(minutes: 1, sampleSeconds: 10, retentionMilliseconds: 10_000)])

    /// `--quick`: one of each kind, short runs (about 30 s).
    static let quick = SuitePlan(
        name: "quick", repeats: 1,
        timing: RoundtripTiming(warmupMilliseconds: 300, measureMilliseconds: 1_000),
        main: headline, capacityOne: nil, extra: [], paced: true,
        dispatch: [1_000, 10_000].flatMap { workers in [0, 10_000].map { DispatchSpec(workers: workers, waiting: $0, operations: 5_000) } },
        failover: [FailoverSpec(victims: 1), FailoverSpec(victims: 1, fault: .freeze)],
        presence: [PresenceSpec()])

    /// `--smoke`: a tiny roundtrip and dispatch, so the test suite can check that the bench
    /// still runs end to end (debug builds; no figure means anything).
    static let smoke = SuitePlan(
        name: "smoke", repeats: 1, forwarderBaseline: false,
        timing: RoundtripTiming(
            warmupMilliseconds: 100, measureMilliseconds: 300, drainMilliseconds: 3_000, clientProcesses: 1,
            workerProcesses: 1),
        main: RoundtripSpec(clients: 2, workers: 2, capacity: 2, inflight: 2, bodyBytes: 64),
        capacityOne: nil, extra: [], paced: false,
        dispatch: [DispatchSpec(workers: 100, waiting: 100, operations: 500)],
        failover: [], presence: [],
        finished: [FinishedSpec(tickets: 100, batch: 50, consoles: 2, capacity: 5)],
        waiting: [WaitingSpec(tickets: 200, batch: 100)],
        consoles: [ConsolesSpec(consoles: 20, perProcess: 10, idleMilliseconds: 500)],
        soak: [SoakSpec(minutes: 0.05, sampleSeconds: 1, rate: 50, retentionMilliseconds: 500, clients: 2, consoles: 2)])

}
