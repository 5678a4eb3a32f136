// The contract between the scenarios and a load-client process.

/// What a load client was asked to do (see `LoadClientCommand` for the flags).
struct LoadClientPlan: Sendable {
    var wire: BenchWire
    var endpoint: String
    var sockets: Int
    /// Closed loop: tickets kept in flight per socket. Paced: the most a socket may have
    /// in flight before the client falls behind its schedule.
    var inflight: Int
    var bodyBytes: Int
    /// Tickets per second for this process; 0 = closed loop.
    var rate: Double
    /// > 0: send exactly this many tickets at the start, then only wait for outcomes.
    var count: Int
    var startAt: UInt64
    var warmupNanoseconds: UInt64
    var measureNanoseconds: UInt64
    /// After sending stops: how long to wait for the outcomes still owed.
    var drainNanoseconds: UInt64
    /// After every outcome arrived: how long to keep listening for a second one.
    var lingerNanoseconds: UInt64
    /// Report each TRANSFERRED as an event line (failover measures them).
    var reportEvents: Bool
    /// Prefix of this process's ticket ids, unique in the run.
    var tag: String
    /// With `count`: stop once every ticket is QUEUED, not answered (tickets left waiting).
    var untilQueued = false
}

/// What a load client saw, printed as its last JSON line.
struct LoadClientResult: Codable, Sendable {
    var sent = 0
    /// Final outcomes received inside the measurement window; latency counts these.
    var answeredInWindow = 0
    var answered = 0
    var takenOver = 0
    var expired = 0
    var cancelled = 0
    var queued = 0
    var transferred = 0
    var errors = 0
    /// A second final outcome for a ticket that already had one: must be 0.
    var duplicates = 0
    /// Tickets sent whose outcome never came: must be 0.
    var lost = 0
    /// Replies that could not be read.
    var malformed = 0
    var windowNanoseconds: UInt64 = 0
    /// Paced runs: sends that could not go out because every socket was at its cap.
    var deferredSends = 0
    /// Paced runs: how late sends left, against their schedule (µs, 99th percentile).
    var lateP99Micros: UInt64 = 0
    var latency = LatencySamples()
}
