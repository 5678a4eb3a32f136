/// A command a worker sends to the broker (spec §"HLP/Worker").
public enum WorkerMessage: Sendable, Equatable {
    /// Register (or re-register after a reconnect). Must be the worker's first command.
    case ready(Ready)
    /// Liveness, carrying the human's presence.
    case heartbeat(presence: Presence)
    /// The human picked the ticket up. `lease` 0 means held while the console lives.
    case accept(ticket: String, leaseMilliseconds: Int)
    /// The human's answer; a body frame (the answer body) follows the header.
    case answer(Answer)
    /// Hand the ticket to the live-agent queue, with an optional note for the live agent.
    case transfer(ticket: String, note: String?)
    /// Give the ticket back; the broker never offers it to this worker again.
    case decline(ticket: String, reason: String?)
    /// Still working: renew the lease on an accepted ticket.
    case extend(ticket: String, leaseMilliseconds: Int)
    /// The worker leaves; every ticket it holds is re-dispatched at once.
    case disconnect
}

/// READY: who the worker is and what it can take.
public struct Ready: Sendable, Equatable {
    /// `name`: the worker's stable identity, 1...64 bytes. A READY with a known name from a
    /// new connection replaces the old connection.
    public var name: String
    /// `role`: `hila` or `live`. Required.
    public var role: Role
    /// `skills`: 0...32 tags.
    public var skills: [String]
    /// `capacity`: tickets held at once, 1...100, default 1.
    public var capacity: Int
    /// `heartbeat`: proposed interval in milliseconds, default 1,000; the broker clamps it.
    public var heartbeatMilliseconds: Int
    /// `holding`: tickets the console still holds after a reconnect.
    public var holding: [String]
    /// `presence`: the human's presence at registration, default `active`.
    public var presence: Presence

    /// Creates a READY header.
    public init(
        name: String, role: Role, skills: [String] = [], capacity: Int = WireDefaults.capacity,
        heartbeatMilliseconds: Int = WireDefaults.heartbeatMilliseconds, holding: [String] = [],
        presence: Presence = .active
    ) {
        self.name = name
        self.role = role
        self.skills = skills
        self.capacity = capacity
        self.heartbeatMilliseconds = heartbeatMilliseconds
        self.holding = holding
        self.presence = presence
    }
}

/// ANSWER: the human's decision on a ticket the worker holds.
public struct Answer: Sendable, Equatable {
    /// `id`.
    public var ticket: String
    /// `decision`.
    public var decision: Decision
    /// `option`: required when `decision` is `option`, and one of the ticket's options.
    public var option: String?

    /// Creates an ANSWER header.
    public init(ticket: String, decision: Decision, option: String? = nil) {
        self.ticket = ticket
        self.decision = decision
        self.option = option
    }
}
