import HelplineWire

/// Everything the core keeps about one ticket. The body is not here: the generic facade
/// stores it beside, so the routing code is not generic and runs specialised.
struct TicketRecord: Sendable {
    /// The client's idempotency key.
    let id: String
    /// The ASK header as received: routing fields, and the content a repeated ASK must match.
    let ask: Ask
    /// The loop's fingerprint of the body, if it gave one (compared on repeated ASK).
    let bodyDigest: UInt64?
    let askedAt: Timestamp
    /// ASK order: tickets returned together (a worker died) are re-placed oldest first.
    let sequence: UInt64
    /// What it needs now: (hila, skills) first, (live, skills) after a transfer. Released
    /// when the ticket finishes: a retained ticket's requirement may be freed and reused.
    var requirement: RequirementID
    /// The queue it belongs to now.
    var role: Role
    /// Why it is in the live queue (`requested` when the client asked for live).
    var liveReason: TransferReason?
    /// The transferring HILA's note for the live agent.
    var note: String?
    /// Replies go to the connection that last sent ASK or RESUME for this id.
    var replyTo: ConnectionID
    /// The key that asked it (CURVE); nil without keys. Only that key may see it again
    /// (RESUME, a repeated ASK) or cancel it.
    var owner: String?
    /// Offers made so far (ASSIGN's `attempt` is this after the increment).
    var attempts = 0
    /// Names of workers that declined it: it is never offered to them again.
    var declinedBy: [String] = []
    /// A HILA accepted it at least once: max wait no longer applies. Not part of `state`:
    /// it outlives the accepted state (a ticket given back keeps it through its queue and
    /// its next offer until `rearmMaxWaitIfDue` decides), and so does `maxWaitTimer`.
    var acceptedByHILA = false
    var state: TicketState
    /// Tokens of the armed timers; 0 = none. A fired entry whose token differs is stale.
    var deadlineTimer: UInt64 = 0
    var maxWaitTimer: UInt64 = 0
    /// The accept timer while offered, the lease timer while accepted with a lease. A field
    /// rather than a payload of `.offered` / `.accepted`: inside the state enum, every arm,
    /// disarm and firing rewrote the enum's payload, and the in-memory bench's instructions
    /// per ticket rose (measured with callgrind on `helpline-bench dispatch`).
    var holdTimer: UInt64 = 0
    /// Final outcomes sent: 1 once finished, never more (the invariant checker verifies).
    var finalOutcomes = 0

    init(
        id: String, ask: Ask, bodyDigest: UInt64?, askedAt: Timestamp, sequence: UInt64,
        requirement: RequirementID, replyTo: ConnectionID, owner: String? = nil
    ) {
        self.id = id
        self.ask = ask
        self.bodyDigest = bodyDigest
        self.askedAt = askedAt
        self.sequence = sequence
        self.requirement = requirement
        self.role = ask.role
        self.liveReason = ask.role == .live ? .requested : nil
        self.replyTo = replyTo
        self.owner = owner
        self.state = .inTransit
    }

    var priority: Int { ask.priority }

    var deadline: Timestamp { askedAt.advanced(by: Int64(ask.deadlineMilliseconds)) }

    /// Whether `other` is the same request: a repeated ASK with it gets this ticket's state;
    /// anything else is 409. Skills compare as sets (duplicates mean the same); bodies only
    /// when both sides have a fingerprint.
    func hasSameContent(as other: Ask, bodyDigest otherDigest: UInt64?) -> Bool {
        guard ask.role == other.role, ask.priority == other.priority, ask.options == other.options,
            ask.maxWaitMilliseconds == other.maxWaitMilliseconds,
            ask.deadlineMilliseconds == other.deadlineMilliseconds,
            Set(ask.skills) == Set(other.skills)
        else { return false }
        if let bodyDigest, let otherDigest { return bodyDigest == otherDigest }
        return true
    }

    /// Serving order among tickets: higher priority first, then ASK order.
    func servedBefore(_ other: TicketRecord) -> Bool {
        priority != other.priority ? priority > other.priority : sequence < other.sequence
    }
}

extension TicketRecord: SlabElement {
    static let vacant = TicketRecord(
        id: "", ask: Ask(ticket: ""), bodyDigest: nil, askedAt: .zero, sequence: 0,
        requirement: RequirementID(slot: -1), replyTo: ConnectionID(raw: 0))
}
