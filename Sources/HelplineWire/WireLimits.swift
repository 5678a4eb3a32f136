/// Every limit of HLP/1, one place, each with its reason (spec §"Limits").
///
/// A value over a limit is answered with 413 too-large (sizes, counts) or 422 invalid
/// (ranges); nothing over a limit is ever accepted.
public enum WireLimits {
    /// A header is a small map of routing fields; 64 KiB holds the largest legal one
    /// (a RESUME of 256 ids of 128 bytes, a READY with 100 held tickets) with room to spare.
    public static let maxHeaderBytes = 64 * 1024
    /// REPORT alone lists every worker and queue, so it may outgrow a routing header:
    /// 4 MiB holds tens of thousands of workers; the broker lists at most
    /// `maxReportWorkers` and says how many in `counts`.
    public static let maxReportHeaderBytes = 4 * 1024 * 1024
    /// Workers a REPORT lists at most (about 100 bytes each), so it stays within its limit.
    public static let maxReportWorkers = 20_000
    /// Bodies carry prompts, transcripts and edited drafts: 1 MiB is a long transcript,
    /// and the broker keeps every open ticket's body in memory.
    public static let maxBodyBytes = 1024 * 1024
    /// Ticket ids are idempotency keys chosen by clients (UUIDs, "order-1182-refund");
    /// 128 bytes fits any sane scheme and keeps indexes small.
    public static let maxTicketIDBytes = 128
    /// Worker names are stable identities shown to humans and in audit trails.
    public static let maxNameBytes = 64
    /// A skill tag is a short word ("refunds", "es-language").
    public static let maxSkillBytes = 64
    /// Skills per ticket and per worker: dispatch interns them into bitsets.
    public static let maxSkillsPerEntity = 32
    /// Offered response options are buttons on a console: 16 is already a long menu.
    public static let maxOptions = 16
    /// An option label is a button caption.
    public static let maxOptionBytes = 64
    /// Notes, error texts and reasons: a sentence or a short paragraph.
    public static let maxTextBytes = 1024
    /// RESUME asks for at most this many tickets at once, so that 256 ids of the largest
    /// size (128 bytes) fit in one header; a client with more sends several RESUMEs.
    public static let maxResumeIDs = 256
    /// A human serves a handful of tickets at once; 100 covers bots behind `helpline work`.
    public static let maxCapacity = 100
    /// Priorities 0 (lowest, the default) to 9 (highest).
    public static let maxPriority = 9
    /// Heartbeat intervals a worker may propose; the broker clamps into its own range.
    public static let heartbeatRangeMilliseconds = 100...60_000
    /// The interval a broker may state in WELCOME: it clamps every proposal into this range,
    /// so a console can rely on it (and refuses a WELCOME outside it).
    public static let negotiatedHeartbeatRangeMilliseconds = 250...30_000
    /// A ticket may wait for a HILA up to a day before it goes to live agents.
    public static let maxWaitRangeMilliseconds = 0...86_400_000
    /// A ticket lives at most a week; after its deadline it is EXPIRED.
    public static let deadlineRangeMilliseconds = 1...604_800_000
    /// An explicit lease on an accepted ticket: 0 (none) up to a day.
    public static let leaseRangeMilliseconds = 0...86_400_000
    /// The header limit for `command`: REPORT's is larger (see `maxReportHeaderBytes`).
    public static func maxHeaderBytes(for command: Command) -> Int {
        command == .report ? maxReportHeaderBytes : maxHeaderBytes
    }
    /// Containers in a header nest this deep at most (REPORT: map > list > map > list).
    public static let maxNestingDepth = 8
}

/// Defaults the spec gives for fields a sender leaves out.
public enum WireDefaults {
    /// ASK `role`.
    public static let role = Role.hila
    /// ASK `priority`.
    public static let priority = 0
    /// ASK `max_wait`: a minute for a HILA, then live agents.
    public static let maxWaitMilliseconds = 60_000
    /// ASK `deadline`: an hour, then EXPIRED.
    public static let deadlineMilliseconds = 3_600_000
    /// READY `heartbeat`.
    public static let heartbeatMilliseconds = 1_000
    /// READY `capacity`.
    public static let capacity = 1
}
