/// The routing core's timers, clamps and quotas. Every default is a named constant with its
/// reason in `BrokerConfiguration.Defaults`.
public struct BrokerConfiguration: Sendable, Equatable {
    /// The interval used when a READY proposes none (0). Workers normally propose their own.
    public var heartbeatMilliseconds: Int
    /// Proposals below this are raised to it (see `Defaults.minimumHeartbeatMilliseconds`).
    public var minimumHeartbeatMilliseconds: Int
    /// Proposals above this are lowered to it (see `Defaults.maximumHeartbeatMilliseconds`).
    public var maximumHeartbeatMilliseconds: Int
    /// Heartbeat intervals a worker may stay silent before it is declared dead.
    public var liveness: Int
    /// How long an ASSIGN may wait for ACCEPT before it is revoked and the worker set away.
    public var acceptTimeoutMilliseconds: Int
    /// Open tickets whose replies go to one client connection; more is 429.
    public var maxOpenTicketsPerClient: Int
    /// Open tickets (waiting, offered or accepted) in the whole broker; more is 429.
    public var maxWaitingTickets: Int
    /// Registered workers; a READY beyond this is 429.
    public var maxWorkers: Int
    /// How long a finished ticket is kept so a repeated ASK or a RESUME gets its outcome.
    public var retentionMilliseconds: Int
    /// Finished tickets kept at most; the oldest are pruned early beyond this.
    public var maxRetainedTickets: Int
    /// Emit `.journal` records (the loop persists them). Off: the core keeps no durable
    /// history and emits nothing extra.
    public var journaling: Bool
    /// After a restore, how long tickets a worker held stay reserved for its name (so its
    /// READY `holding` re-attaches them), and how long no HILA ticket is rerouted for lack
    /// of HILAs (they are re-registering). `nil`: liveness × the default heartbeat.
    public var restoreGraceMilliseconds: Int?
    /// While the journal is unwritable, how often a deadline or max wait that would end or
    /// transfer a ticket is tried again (the outcome cannot be persisted until then).
    public var journalRetryMilliseconds: Int

    /// Creates a configuration; every parameter defaults to its `Defaults` constant.
    public init(
        heartbeatMilliseconds: Int = Defaults.heartbeatMilliseconds,
        minimumHeartbeatMilliseconds: Int = Defaults.minimumHeartbeatMilliseconds,
        maximumHeartbeatMilliseconds: Int = Defaults.maximumHeartbeatMilliseconds,
        liveness: Int = Defaults.liveness,
        acceptTimeoutMilliseconds: Int = Defaults.acceptTimeoutMilliseconds,
        maxOpenTicketsPerClient: Int = Defaults.maxOpenTicketsPerClient,
        maxWaitingTickets: Int = Defaults.maxWaitingTickets,
        maxWorkers: Int = Defaults.maxWorkers,
        retentionMilliseconds: Int = Defaults.retentionMilliseconds,
        maxRetainedTickets: Int = Defaults.maxRetainedTickets,
        journaling: Bool = false,
        restoreGraceMilliseconds: Int? = nil,
        journalRetryMilliseconds: Int = Defaults.journalRetryMilliseconds
    ) {
        self.heartbeatMilliseconds = heartbeatMilliseconds
        self.minimumHeartbeatMilliseconds = minimumHeartbeatMilliseconds
        self.maximumHeartbeatMilliseconds = maximumHeartbeatMilliseconds
        self.liveness = liveness
        self.acceptTimeoutMilliseconds = acceptTimeoutMilliseconds
        self.maxOpenTicketsPerClient = maxOpenTicketsPerClient
        self.maxWaitingTickets = maxWaitingTickets
        self.maxWorkers = maxWorkers
        self.retentionMilliseconds = retentionMilliseconds
        self.maxRetainedTickets = maxRetainedTickets
        self.journaling = journaling
        self.restoreGraceMilliseconds = restoreGraceMilliseconds
        self.journalRetryMilliseconds = journalRetryMilliseconds
    }

    /// The defaults, each with the reason for its value.
    public enum Defaults {
        /// One second: a dead console is noticed within `liveness` seconds, and 10,000
        /// workers cost 10,000 tiny messages a second, nothing for the loop.
        public static let heartbeatMilliseconds = 1_000
        /// Below a quarter second heartbeats of many consoles become real load and a GC
        /// pause or a busy laptop would be taken for a dead console.
        public static let minimumHeartbeatMilliseconds = 250
        /// Beyond 30 s a dead console holds its tickets for minutes (× liveness).
        public static let maximumHeartbeatMilliseconds = 30_000
        /// Three missed heartbeats, as in 18/MDP: one lost or late message is not death.
        public static let liveness = 3
        /// Thirty seconds for a human to notice a new ticket and pick it up.
        public static let acceptTimeoutMilliseconds = 30_000
        /// One agent process with more than 10,000 open questions is a runaway loop.
        public static let maxOpenTicketsPerClient = 10_000
        /// A million open tickets with bodies of a few KiB is a few GiB: the memory bound.
        public static let maxWaitingTickets = 1_000_000
        /// Ten times the largest contact centre we plan for (10,000 consoles).
        public static let maxWorkers = 100_000
        /// A day: long enough for an agent process to crash, restart and RESUME.
        public static let retentionMilliseconds = 86_400_000
        /// Bounds the memory of finished tickets when the retention period is long and the
        /// traffic heavy; the oldest outcomes are forgotten first.
        public static let maxRetainedTickets = 1_000_000
        /// A second: a full disk is freed by a human, so retrying faster buys nothing, and
        /// a deadline passed while the journal is unwritable is late by at most this.
        public static let journalRetryMilliseconds = 1_000
    }

    /// A worker's proposed heartbeat interval, clamped into the broker's range.
    func clampedHeartbeat(proposed: Int) -> Int {
        let lower = max(1, minimumHeartbeatMilliseconds)
        let upper = max(lower, maximumHeartbeatMilliseconds)
        let wanted = proposed > 0 ? proposed : heartbeatMilliseconds
        return min(max(wanted, lower), upper)
    }

    /// Liveness as used: at least one interval, at most a million (a dead console would
    /// otherwise never be noticed, and interval × liveness must not overflow).
    var effectiveLiveness: Int { min(max(1, liveness), 1_000_000) }

    /// The restore grace as used: liveness × the default heartbeat unless set (spec:
    /// "at least liveness × the default heartbeat"), never negative.
    var effectiveRestoreGrace: Int64 {
        Int64(max(0, restoreGraceMilliseconds ?? effectiveLiveness * max(1, heartbeatMilliseconds)))
    }

    /// The journal retry interval as used: at least 1 ms, so a deferred timer never spins.
    var effectiveJournalRetry: Int64 { Int64(max(1, journalRetryMilliseconds)) }

    /// Accept timeout as used: at least 1 ms, so an offer is never revoked in the tick that made it.
    var effectiveAcceptTimeout: Int64 { Int64(max(1, acceptTimeoutMilliseconds)) }
}
