/// A command the broker sends to a worker (spec §"HLP/Worker").
public enum WorkerDirective: Sendable, Equatable {
    /// READY accepted: the negotiated timings and which held tickets were re-attached.
    case welcome(Welcome)
    /// A ticket offered to the worker; the client's body frame follows the header.
    case assign(Assign)
    /// The broker took a ticket back; the worker must drop it and not answer it.
    case revoke(ticket: String, reason: RevokeReason)
    /// Liveness.
    case heartbeat
    /// A refused command; the connection stays registered.
    case error(ErrorReply)
    /// The broker ends the registration; the worker must reconnect and send READY.
    case disconnect(reason: String?)
}

/// WELCOME: the broker's answer to READY.
public struct Welcome: Sendable, Equatable {
    /// `heartbeat`: the interval both sides use, in milliseconds (the proposal, clamped).
    public var heartbeatMilliseconds: Int
    /// `liveness`: heartbeats missed before a peer is declared dead.
    public var liveness: Int
    /// `accept_timeout`: milliseconds an ASSIGN may wait for ACCEPT before it is revoked.
    public var acceptTimeoutMilliseconds: Int
    /// `attached`: held tickets (from READY `holding`) the worker keeps.
    public var attached: [String]
    /// `dropped`: held tickets the worker must forget (finished, or given to someone else).
    public var dropped: [String]

    /// Creates a WELCOME header.
    public init(
        heartbeatMilliseconds: Int, liveness: Int, acceptTimeoutMilliseconds: Int,
        attached: [String] = [], dropped: [String] = []
    ) {
        self.heartbeatMilliseconds = heartbeatMilliseconds
        self.liveness = liveness
        self.acceptTimeoutMilliseconds = acceptTimeoutMilliseconds
        self.attached = attached
        self.dropped = dropped
    }
}

/// ASSIGN: a ticket offered to a worker.
public struct Assign: Sendable, Equatable {
    /// `id`.
    public var ticket: String
    /// `role`: the queue it came from.
    public var role: Role
    /// `skills`.
    public var skills: [String]
    /// `priority`.
    public var priority: Int
    /// `options`.
    public var options: [String]
    /// `age`: milliseconds since the client's ASK.
    public var ageMilliseconds: Int
    /// `accept_timeout`: milliseconds the worker has to ACCEPT.
    public var acceptTimeoutMilliseconds: Int
    /// `deadline`: milliseconds left before the ticket expires.
    public var deadlineMilliseconds: Int
    /// `attempt`: 1 for the first offer, more after reroutes.
    public var attempt: Int
    /// `transfer`: why it reached the live queue (live tickets only).
    public var transferReason: TransferReason?
    /// `note`: the transferring HILA's note (live tickets only).
    public var note: String?

    /// Creates an ASSIGN header.
    public init(
        ticket: String, role: Role, skills: [String], priority: Int, options: [String],
        ageMilliseconds: Int, acceptTimeoutMilliseconds: Int, deadlineMilliseconds: Int,
        attempt: Int, transferReason: TransferReason? = nil, note: String? = nil
    ) {
        self.ticket = ticket
        self.role = role
        self.skills = skills
        self.priority = priority
        self.options = options
        self.ageMilliseconds = ageMilliseconds
        self.acceptTimeoutMilliseconds = acceptTimeoutMilliseconds
        self.deadlineMilliseconds = deadlineMilliseconds
        self.attempt = attempt
        self.transferReason = transferReason
        self.note = note
    }
}
