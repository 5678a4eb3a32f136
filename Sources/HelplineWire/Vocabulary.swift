// The enumerated string values of HLP/1 (spec §"Vocabulary"). On the wire each is a
// MessagePack str holding the raw value; any other string is 422 invalid.

/// Which kind of human a ticket wants, or a worker is.
public enum Role: String, Sendable, CaseIterable, Hashable {
    /// Human-in-the-loop agent: answers and hands the conversation back to the AI agent.
    case hila
    /// Live agent: takes the customer conversation over.
    case live
}

/// A console's report of its human, carried by the worker's HEARTBEAT.
public enum Presence: String, Sendable, CaseIterable, Hashable {
    /// The human is at the console: the broker may offer new tickets.
    case active
    /// The human stepped away: tickets held are kept, no new ones are offered.
    case away
}

/// What the human decided, carried by ANSWER and ANSWERED.
public enum Decision: String, Sendable, CaseIterable, Hashable {
    /// Go ahead as the agent proposed.
    case approve
    /// Do not; the body MAY say why.
    case reject
    /// Go ahead with the human's edited content, carried in the body.
    case edit
    /// Free text answer, carried in the body.
    case answer
    /// One of the options the ticket offered, named in the `option` field.
    case option
}

/// Why a ticket moved to the live-agent queue (TRANSFERRED, ASSIGN).
public enum TransferReason: String, Sendable, CaseIterable, Hashable {
    /// The client asked for role `live` in ASK.
    case requested
    /// No HILA that could ever serve the ticket is registered and alive.
    case noHILA = "no-hila"
    /// The ticket waited longer than its `max_wait` without a HILA accepting it.
    case maxWait = "max-wait"
    /// A HILA sent TRANSFER.
    case hila
    /// Its HILA died or declined and no other eligible HILA remains.
    case hilaLost = "hila-lost"
}

/// Why the broker took a ticket back from a worker (REVOKE).
public enum RevokeReason: String, Sendable, CaseIterable, Hashable {
    /// The client sent CANCEL.
    case cancelled
    /// The worker did not ACCEPT within the accept timeout; it is now set away.
    case acceptTimeout = "accept-timeout"
    /// The ticket waited past its `max_wait` for a HILA and moved to live agents.
    case maxWait = "max-wait"
    /// The ticket's deadline passed.
    case expired
    /// An accepted ticket's lease ran out without ANSWER or EXTEND.
    case leaseExpired = "lease-expired"
}

/// Where a ticket stands, as RESUME and QUEUED report it.
public enum TicketStage: String, Sendable, CaseIterable, Hashable {
    /// Waiting in a queue (the `role` field says which).
    case waiting
    /// Offered to a worker that has not accepted yet.
    case offered
    /// A human accepted it and is working on it.
    case accepted
}
