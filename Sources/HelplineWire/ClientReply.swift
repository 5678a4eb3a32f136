/// A command the broker sends to a client (spec §"HLP/Client").
public enum ClientReply: Sendable, Equatable {
    /// The ticket is accepted (and durable); where it waits.
    case queued(Queued)
    /// A human accepted the ticket. For role `live` this ends the ticket.
    case assigned(Assigned)
    /// A HILA answered; the worker's body frame follows. Ends the ticket.
    case answered(Answered)
    /// The ticket moved to the live-agent queue. Not an end: ASSIGNED (live) or EXPIRED follows.
    case transferred(Transferred)
    /// The deadline passed before a human took the ticket over. Ends the ticket.
    case expired(ticket: String)
    /// The client's CANCEL took effect. Ends the ticket.
    case cancelled(ticket: String)
    /// The broker snapshot asked for by STATUS.
    case report(Report)
    /// The request was refused; see `ErrorReply.code`.
    case error(ErrorReply)
    /// Answer to the client's HEARTBEAT.
    case heartbeat
}

/// QUEUED: accepted, and where it waits.
public struct Queued: Sendable, Equatable {
    /// `id`.
    public var ticket: String
    /// `role`: the queue it waits in.
    public var role: Role
    /// `stage`: `waiting`, `offered` or `accepted` (RESUME and repeated ASK report later stages).
    public var stage: TicketStage
    /// `position`: tickets ahead of it in its queue; 0 when offered or accepted.
    public var position: Int

    /// Creates a QUEUED header.
    public init(ticket: String, role: Role, stage: TicketStage = .waiting, position: Int) {
        self.ticket = ticket
        self.role = role
        self.stage = stage
        self.position = position
    }
}

/// ASSIGNED: which human took the ticket.
public struct Assigned: Sendable, Equatable {
    /// `id`.
    public var ticket: String
    /// `worker`: the worker's stable name.
    public var worker: String
    /// `role`: `hila` (an answer will follow) or `live` (the live agent took the
    /// conversation over; this ends the ticket).
    public var role: Role

    /// Creates an ASSIGNED header.
    public init(ticket: String, worker: String, role: Role) {
        self.ticket = ticket
        self.worker = worker
        self.role = role
    }
}

/// ANSWERED: the human's decision. The body frame is the worker's ANSWER body, byte for byte.
public struct Answered: Sendable, Equatable {
    /// `id`.
    public var ticket: String
    /// `decision`.
    public var decision: Decision
    /// `option`: the chosen label when `decision` is `option`, else absent.
    public var option: String?
    /// `worker`: who answered.
    public var worker: String
    /// `elapsed`: milliseconds from ASK to ANSWER, as the broker measured.
    public var elapsedMilliseconds: Int

    /// Creates an ANSWERED header.
    public init(ticket: String, decision: Decision, option: String? = nil, worker: String, elapsedMilliseconds: Int) {
        self.ticket = ticket
        self.decision = decision
        self.option = option
        self.worker = worker
        self.elapsedMilliseconds = elapsedMilliseconds
    }
}

/// TRANSFERRED: the ticket now waits for a live agent.
public struct Transferred: Sendable, Equatable {
    /// `id`.
    public var ticket: String
    /// `reason`.
    public var reason: TransferReason
    /// `note`: the HILA's note for the live agent, when a HILA transferred it.
    public var note: String?

    /// Creates a TRANSFERRED header.
    public init(ticket: String, reason: TransferReason, note: String? = nil) {
        self.ticket = ticket
        self.reason = reason
        self.note = note
    }
}

/// ERROR: a refusal. Sent on both sub-protocols.
public struct ErrorReply: Sendable, Equatable, Error {
    /// `code`.
    public var code: ErrorCode
    /// `text`: a human-readable explanation, ≤ 1024 bytes.
    public var text: String
    /// `id`: the ticket concerned, when there is one.
    public var ticket: String?
    /// `command`: the command byte that was refused, when it could be read.
    public var command: UInt8?

    /// Creates an ERROR header.
    public init(code: ErrorCode, text: String, ticket: String? = nil, command: UInt8? = nil) {
        self.code = code
        self.text = text
        self.ticket = ticket
        self.command = command
    }
}
