import Histogram

/// One `dispatch` setting: the routing core in this process, no sockets.
struct DispatchSpec: Codable, Sendable {
    var workers: Int
    /// Tickets waiting in queues while every worker is full (0: workers idle instead, and
    /// the decision measured is a new ticket's offer).
    var waiting: Int
    var skills = 200
    var skillsPerWorker = 6
    /// Distinct skill sets tickets ask for (half single skills, half pairs, each within
    /// some worker's skills): a contact centre routes on a catalogue, not on every
    /// combination of its 200 skills.
    var skillSets = 1_000
    var capacity = 2
    /// Operations timed per kind.
    var operations = 20_000

    var name: String { "dispatch_w\(workers)_q\(waiting)_skills\(skills)" }
}

/// Nanoseconds, as medians and 99th percentiles.
struct NanosecondSummary: Codable, Sendable {
    var p50: UInt64
    var p99: UInt64
    var samples: UInt64

    init(_ histogram: Histogram<UInt64>) {
        p50 = histogram.valueAtPercentile(50)
        p99 = histogram.valueAtPercentile(99)
        samples = histogram.totalCount
    }
}

/// What one `dispatch` setting measured.
struct DispatchRow: Codable, Sendable {
    var scenario: String
    var spec: DispatchSpec
    /// Q = 0: a new ASK offered at once to the least-loaded capable worker.
    var askToOffer: NanosecondSummary?
    /// Q > 0: a full worker that answered while away reports `active`; the core picks the
    /// best waiting ticket it may take and offers it. The dispatch decision, alone.
    var freeToOffer: NanosecondSummary?
    /// Q > 0: a worker ANSWERs; the core finishes that ticket (ANSWERED, retention,
    /// timers) and makes the same decision for the slot it freed.
    var answerToOffer: NanosecondSummary?
    /// Q > 0: a new ASK that finds every capable worker full and waits.
    var askToQueue: NanosecondSummary?
    /// An ASK with a skill set never seen before: the core builds that requirement's
    /// index (its capable workers) once, then reuses it.
    var newSkillSet: NanosecondSummary?
    var heartbeat: NanosecondSummary
    /// `tick` with nothing due: the loop calls it on every wake-up.
    var idleTick: NanosecondSummary
    /// `tick` firing the broker's heartbeat to every worker.
    var sweepNanoseconds: UInt64
    var sweepNanosecondsPerWorker: Double
    var bytesPerWorker: Double
    var bytesPerWaitingTicket: Double?
    var setupSeconds: Double
    /// Cost of reading the clock around each timed call, included in every figure.
    var clockOverheadNanoseconds: UInt64
}
