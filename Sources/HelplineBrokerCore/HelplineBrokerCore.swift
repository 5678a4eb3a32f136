import HelplineWire

/// The Helpline routing core: a pure, deterministic state machine. No sockets, no clock, no
/// randomness. Events go in with the `now` they happened at; actions come out, in order,
/// for the broker loop to perform. One owner drives it; it needs no locks.
///
/// `Body` is the opaque ticket or answer body. The core keeps it beside the ticket and
/// forwards it (ASK body with ASSIGN, ANSWER body with ANSWERED) without looking inside.
///
/// ```swift
/// var core = HelplineBrokerCore<Frame>(configuration: BrokerConfiguration(), now: clock.now)
/// core.receive(message, body: frame, from: connection, now: clock.now)
/// core.tick(now: clock.now)          // when `core.nextTimer` is due
/// for action in core.takeActions() { perform(action) }
/// ```
///
/// The entry points are `@inlinable` so the loop's module compiles them for its concrete
/// `Body` (they only store bodies and turn emissions into actions); the routing itself is
/// not generic and stays behind `BrokerState`.
public struct HelplineBrokerCore<Body> {
    @usableFromInline var state: BrokerState
    /// ASK bodies by ticket slot, until the ticket finishes.
    @usableFromInline var askBodies: [Body?] = []
    /// ANSWER bodies by ticket slot, until the ticket is pruned (RESUME replays them).
    @usableFromInline var answerBodies: [Body?] = []
    @usableFromInline var actions: [BrokerAction<Body>] = []
    /// A spare emissions array, empty with its capacity: `resolveEmissions` swaps it with
    /// the state's so that neither array is reallocated.
    @usableFromInline var resolving: [Emission] = []
    /// With journaling: ASK bodies of tickets finished since the last commit, kept until it
    /// succeeds (a failed commit re-opens those tickets, see `+Journal`).
    @usableFromInline var uncommittedForgottenAskBodies: [(ticket: TicketReference, slot: Int32, body: Body)] = []

    /// A core with no tickets and no workers; `now` is the start of its uptime.
    @inlinable
    public init(configuration: BrokerConfiguration = BrokerConfiguration(), now: Timestamp) {
        state = BrokerState(configuration: configuration, now: now)
    }

    /// The configuration the core runs with.
    @inlinable
    public var configuration: BrokerConfiguration { state.configuration }

    /// Handles a decoded HLP/Client command. `body` is the ASK body (ignored otherwise).
    /// `bodyDigest` is the loop's fingerprint of that body, if it computes one: a repeated
    /// ASK with the same id and a different digest is 409; without digests bodies are not
    /// compared. `owner` names the key that sent it (CURVE): a ticket asked under a key is
    /// seen and cancelled under that key only; nil (no keys) sees every ticket asked
    /// without one.
    @inlinable
    public mutating func receive(
        _ message: ClientMessage, body: Body?, bodyDigest: UInt64? = nil, from connection: ConnectionID,
        owner: String? = nil, now: Timestamp
    ) {
        if let created = state.receive(message, bodyDigest: bodyDigest, from: connection, owner: owner, now: now) {
            Self.store(body, for: created, in: &askBodies)
        }
        resolveEmissions()
    }

    /// Handles a decoded HLP/Worker command. `body` is the ANSWER body (ignored otherwise).
    @inlinable
    public mutating func receive(_ message: WorkerMessage, body: Body?, from connection: ConnectionID, now: Timestamp) {
        if let answered = state.receive(message, from: connection, now: now) {
            Self.store(body, for: answered, in: &answerBodies)
        }
        resolveEmissions()
    }

    /// A message the loop could not decode: ERROR to its sender only, counted in REPORT.
    @inlinable
    public mutating func reject(_ error: ErrorReply, signature: Signature, from connection: ConnectionID, now: Timestamp) {
        state.reject(error, signature: signature, from: connection, now: now)
        resolveEmissions()
    }

    /// The transport saw the connection drop (socket monitor): a worker on it is dead now
    /// and its tickets are re-offered at once. A client's open tickets stay (RESUME).
    @inlinable
    public mutating func connectionClosed(_ connection: ConnectionID, now: Timestamp) {
        state.connectionClosed(connection, now: now)
        resolveEmissions()
    }

    /// Fires every timer due at or before `now`.
    @inlinable
    public mutating func tick(now: Timestamp) {
        state.tick(now: now)
        resolveEmissions()
    }

    /// When `tick` next has work; `nil` = none. The loop polls with this as its timeout.
    /// It may be a little early (a cancelled timer): `tick` then simply does nothing.
    @inlinable
    public var nextTimer: Timestamp? { state.nextTimer }

    /// The actions produced since the last call, in order.
    @inlinable
    public mutating func takeActions() -> [BrokerAction<Body>] {
        let taken = actions
        actions.removeAll(keepingCapacity: true)
        return taken
    }

    /// Hands each action produced since the last call to `perform`, in order, and keeps the
    /// buffer for the next batch (no allocation in steady state). If `perform` throws, the
    /// actions it did not get stay for the next call.
    @inlinable
    public mutating func drainActions(_ perform: (BrokerAction<Body>) throws -> Void) rethrows {
        var performed = 0
        defer {
            if performed == actions.count {
                actions.removeAll(keepingCapacity: true)
            } else {
                actions.removeFirst(performed)
            }
        }
        for action in actions {
            try perform(action)
            performed += 1
        }
    }

    /// The snapshot STATUS answers: queues by skill set, workers with load, capacity and
    /// presence, tickets by state, and counters (errors among them).
    @inlinable
    public func report(now: Timestamp) -> Report {
        state.report(now: now)
    }

    @inlinable
    static func store(_ body: Body?, for ticket: TicketHandle, in bodies: inout [Body?]) {
        let slot = Int(ticket.slot)
        while bodies.count <= slot { bodies.append(nil) }
        bodies[slot] = body
    }

    /// Turns the state machine's emissions into actions, attaching the stored bodies.
    @inlinable
    mutating func resolveEmissions() {
        // Each emission is moved out, not copied (`for emission in` copied every reply,
        // directive and record it carries): swapped with a placeholder that carries nothing,
        // so the array still holds a value there and releasing it later costs nothing.
        var pending: [Emission] = []
        swap(&pending, &resolving)
        swap(&pending, &state.emissions)
        for index in pending.indices {
            var emission = Emission.forgetBodies(TicketHandle(slot: -1))
            swap(&emission, &pending[index])
            switch consume emission {
            case .toClient(let connection, let reply, let reference):
                actions.append(.sendToClient(connection, reply, body: body(reference)))
            case .toWorker(let connection, let directive, let reference):
                actions.append(.sendToWorker(connection, directive, body: body(reference)))
            case .journal(let record, let reference):
                actions.append(.journal(record, body: body(reference)))
            case .forgetAskBody(let ticket):
                forgetAskBody(ticket)
            case .forgetBodies(let ticket):
                if Int(ticket.slot) < askBodies.count { askBodies[Int(ticket.slot)] = nil }
                if Int(ticket.slot) < answerBodies.count { answerBodies[Int(ticket.slot)] = nil }
            }
        }
        pending.removeAll(keepingCapacity: true)
        resolving = pending
    }

    @inlinable
    func body(_ reference: BodyReference) -> Body? {
        switch reference {
        case .none: nil
        case .ask(let ticket): Int(ticket.slot) < askBodies.count ? askBodies[Int(ticket.slot)] : nil
        case .answer(let ticket): Int(ticket.slot) < answerBodies.count ? answerBodies[Int(ticket.slot)] : nil
        }
    }
}

extension HelplineBrokerCore: Sendable where Body: Sendable {}
