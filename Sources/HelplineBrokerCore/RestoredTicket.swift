import HelplineWire

/// One ticket read back from the journal after a restart, for
/// `HelplineBrokerCore.restore(_:now:)`. The journal replays a ticket's records into this;
/// times are already on the loop's monotonic clock (the journal keeps wall-clock time).
public struct RestoredTicket<Body> {
    /// The ASK header as first received.
    public var ask: Ask
    /// The loop's fingerprint of the ASK body, compared on a repeated ASK.
    public var bodyDigest: UInt64?
    /// The ASK body (needed while the ticket is open: ASSIGN carries it).
    public var askBody: Body?
    /// The broker's ASK order number.
    public var sequence: UInt64
    /// When the first ASK arrived: `max_wait`, `deadline` and age count from it.
    public var askedAt: Timestamp
    /// The queue it is in now: `hila`, or `live` after a transfer (or when asked live).
    public var role: Role
    /// Why it is in the live queue: `requested` when asked live, the transfer reason after
    /// a transfer; `nil` for a HILA ticket.
    public var transferReason: TransferReason?
    /// The transferring HILA's note.
    public var note: String?
    /// Offers made so far.
    public var attempts: Int
    /// Workers that declined it: it is never offered to them again.
    public var declinedBy: [String]
    /// A HILA accepted it at least once (its max wait no longer applies).
    public var acceptedByHILA: Bool
    /// Where it stood when the journal last heard of it.
    public var stage: RestoredStage
    /// The answer body of an answered ticket (RESUME replays it).
    public var answerBody: Body?
    /// The key that asked it, which alone may see it again (nil: asked without keys).
    public var owner: String?

    /// A restored ticket; the fields after `stage` default to what a plain waiting ticket has.
    public init(
        ask: Ask, bodyDigest: UInt64?, askBody: Body?, sequence: UInt64, askedAt: Timestamp, stage: RestoredStage,
        role: Role? = nil, transferReason: TransferReason? = nil, note: String? = nil, attempts: Int = 0,
        declinedBy: [String] = [], acceptedByHILA: Bool = false, answerBody: Body? = nil,
        owner: String? = nil
    ) {
        self.ask = ask
        self.bodyDigest = bodyDigest
        self.askBody = askBody
        self.sequence = sequence
        self.askedAt = askedAt
        self.stage = stage
        self.role = role ?? ask.role
        self.transferReason = transferReason ?? (ask.role == .live ? .requested : nil)
        self.note = note
        self.attempts = attempts
        self.declinedBy = declinedBy
        self.acceptedByHILA = acceptedByHILA
        self.answerBody = answerBody
        self.owner = owner
    }
}

extension RestoredTicket: Sendable where Body: Sendable {}

/// Where a restored ticket stood.
public enum RestoredStage: Sendable, Equatable {
    /// In its queue. `order` is the journal position of the move that put it there; tickets
    /// that came back from a worker (`atFront`) go ahead of the others of their priority,
    /// the latest first, as they did before the restart.
    case waiting(atFront: Bool, order: UInt64)
    /// Offered to or accepted by the worker `name`: reserved for that name during the
    /// restore grace, so its READY `holding` re-attaches it; re-dispatched after.
    case held(by: String, accepted: Bool)
    /// Finished with this outcome at `at`; kept for RESUME until retention runs out.
    case finished(JournalOutcome, at: Timestamp)
}

/// What `restore` did.
public struct RestoreSummary: Sendable, Equatable {
    /// Open tickets back in their queues.
    public var waiting = 0
    /// Open tickets reserved for the worker that held them.
    public var reserved = 0
    /// Finished tickets kept for RESUME.
    public var finished = 0
    /// Ids that could not be restored (invalid header, skill table full, or an older
    /// ticket with an id a newer one reused): their journal records are pruned.
    public var skipped: [String] = []

    /// An empty summary.
    public init() {}
}
