/// A command a client sends to the broker (spec §"HLP/Client").
public enum ClientMessage: Sendable, Equatable {
    /// Raise a ticket. A body frame (the ticket body) follows the header.
    case ask(Ask)
    /// Withdraw an open ticket.
    case cancel(ticket: String)
    /// Ask for the current state or stored outcome of tickets after a reconnect.
    case resume(tickets: [String])
    /// Ask for a broker snapshot (REPORT).
    case status
    /// Liveness probe; the broker answers HEARTBEAT.
    case heartbeat
}

/// The ASK header: what the broker routes on. The prompt, context, transcript and
/// customer travel in the body, which the broker never decodes.
public struct Ask: Sendable, Equatable {
    /// Chosen by the client; the idempotency key. `id`, 1...128 bytes, required.
    public var ticket: String
    /// Skills a worker must all have. `skills`, 0...32 tags.
    public var skills: [String]
    /// The kind of human wanted first. `role`, default `hila`.
    public var role: Role
    /// 0...9, higher served first. `priority`, default 0.
    public var priority: Int
    /// Response options offered to the human. `options`, 0...16 labels.
    public var options: [String]
    /// How long it may wait for a HILA to accept before it goes to live agents.
    /// `max_wait`, milliseconds, default 60,000.
    public var maxWaitMilliseconds: Int
    /// How long from ASK until the ticket expires. `deadline`, milliseconds, default 3,600,000.
    public var deadlineMilliseconds: Int

    /// Creates an ASK header; unspecified fields take the spec's defaults.
    public init(
        ticket: String, skills: [String] = [], role: Role = WireDefaults.role,
        priority: Int = WireDefaults.priority, options: [String] = [],
        maxWaitMilliseconds: Int = WireDefaults.maxWaitMilliseconds,
        deadlineMilliseconds: Int = WireDefaults.deadlineMilliseconds
    ) {
        self.ticket = ticket
        self.skills = skills
        self.role = role
        self.priority = priority
        self.options = options
        self.maxWaitMilliseconds = maxWaitMilliseconds
        self.deadlineMilliseconds = deadlineMilliseconds
    }
}
