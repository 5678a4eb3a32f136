import HelplineBrokerCore
import HelplineWire
import Testing

typealias Action = BrokerAction<String>

/// Drives a core like the broker loop would, on an injected clock, and checks the
/// invariants after every step. Each step returns exactly the actions it produced.
struct Harness {
    var core: HelplineBrokerCore<String>
    private(set) var now: Timestamp
    let configuration: BrokerConfiguration

    init(configuration: BrokerConfiguration = BrokerConfiguration(), start: Int64 = 0) {
        self.configuration = configuration
        now = Timestamp(milliseconds: start)
        core = HelplineBrokerCore(configuration: configuration, now: now)
    }

    /// Client connections are 1, 2, 3...; worker connections 101, 102...
    static func client(_ number: UInt64) -> ConnectionID { ConnectionID(raw: number) }
    static func console(_ number: UInt64) -> ConnectionID { ConnectionID(raw: 100 + number) }

    // MARK: Steps

    @discardableResult
    mutating func send(
        _ message: ClientMessage, body: String? = nil, digest: UInt64? = nil, from connection: ConnectionID,
        owner: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) -> [Action] {
        core.receive(message, body: body, bodyDigest: digest, from: connection, owner: owner, now: now)
        return finishStep(sourceLocation)
    }

    @discardableResult
    mutating func send(
        _ message: WorkerMessage, body: String? = nil, from connection: ConnectionID,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [Action] {
        core.receive(message, body: body, from: connection, now: now)
        return finishStep(sourceLocation)
    }

    /// ASK with the spec's defaults, from client 1 unless told.
    @discardableResult
    mutating func ask(
        _ id: String, skills: [String] = [], role: Role = .hila, priority: Int = 0, options: [String] = [],
        maxWait: Int = WireDefaults.maxWaitMilliseconds, deadline: Int = WireDefaults.deadlineMilliseconds,
        body: String? = nil, from connection: ConnectionID = Harness.client(1), owner: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [Action] {
        let ask = Ask(
            ticket: id, skills: skills, role: role, priority: priority, options: options,
            maxWaitMilliseconds: maxWait, deadlineMilliseconds: deadline)
        return send(.ask(ask), body: body ?? "body-\(id)", from: connection, owner: owner, sourceLocation: sourceLocation)
    }

    /// READY on console `number` (connection 100 + number).
    @discardableResult
    mutating func ready(
        _ name: String, console number: UInt64, role: Role = .hila, skills: [String] = [], capacity: Int = 1,
        heartbeat: Int = 1_000, holding: [String] = [], presence: Presence = .active,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [Action] {
        let ready = Ready(
            name: name, role: role, skills: skills, capacity: capacity, heartbeatMilliseconds: heartbeat,
            holding: holding, presence: presence)
        return send(.ready(ready), from: Harness.console(number), sourceLocation: sourceLocation)
    }

    /// Moves the clock to `milliseconds` and fires what is due.
    @discardableResult
    mutating func advance(to milliseconds: Int64, sourceLocation: SourceLocation = #_sourceLocation) -> [Action] {
        now = Timestamp(milliseconds: milliseconds)
        core.tick(now: now)
        return finishStep(sourceLocation)
    }

    @discardableResult
    mutating func advance(by milliseconds: Int64, sourceLocation: SourceLocation = #_sourceLocation) -> [Action] {
        advance(to: now.milliseconds + milliseconds, sourceLocation: sourceLocation)
    }

    /// Moves the clock without ticking (messages arriving before the loop's next tick).
    mutating func setClock(_ milliseconds: Int64) {
        now = Timestamp(milliseconds: milliseconds)
    }

    @discardableResult
    mutating func closeConnection(_ connection: ConnectionID, sourceLocation: SourceLocation = #_sourceLocation) -> [Action] {
        core.connectionClosed(connection, now: now)
        return finishStep(sourceLocation)
    }

    @discardableResult
    mutating func reject(
        _ error: ErrorReply, signature: Signature, from connection: ConnectionID,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [Action] {
        core.reject(error, signature: signature, from: connection, now: now)
        return finishStep(sourceLocation)
    }

    /// Asks for a REPORT over the wire and returns it.
    mutating func status(from connection: ConnectionID = Harness.client(9)) -> Report? {
        guard case .sendToClient(_, .report(let report), _)? = send(.status, from: connection).first else { return nil }
        return report
    }

    private mutating func finishStep(_ sourceLocation: SourceLocation) -> [Action] {
        let violations = BrokerInvariants.violations(of: core)
        #expect(violations == [], sourceLocation: sourceLocation)
        return core.takeActions()
    }

    // MARK: Expected actions

    static func toClient(_ connection: ConnectionID, _ reply: ClientReply, body: String? = nil) -> Action {
        .sendToClient(connection, reply, body: body)
    }

    static func toWorker(_ connection: ConnectionID, _ directive: WorkerDirective, body: String? = nil) -> Action {
        .sendToWorker(connection, directive, body: body)
    }

    static func queued(_ id: String, role: Role = .hila, stage: TicketStage = .waiting, position: Int = 0, to connection: ConnectionID = client(1)) -> Action {
        toClient(connection, .queued(Queued(ticket: id, role: role, stage: stage, position: position)))
    }

    static func offeredAck(_ id: String, role: Role = .hila, to connection: ConnectionID = client(1)) -> Action {
        queued(id, role: role, stage: .offered, position: 0, to: connection)
    }

    /// The ASSIGN a console gets for a ticket asked with defaults `age` ms ago.
    func assign(
        _ id: String, to number: UInt64, role: Role = .hila, skills: [String] = [], priority: Int = 0,
        options: [String] = [], age: Int = 0, deadline: Int = WireDefaults.deadlineMilliseconds, attempt: Int = 1,
        transfer: TransferReason? = nil, note: String? = nil, body: String? = nil
    ) -> Action {
        let assign = Assign(
            ticket: id, role: role, skills: skills, priority: priority, options: options, ageMilliseconds: age,
            acceptTimeoutMilliseconds: configuration.acceptTimeoutMilliseconds, deadlineMilliseconds: deadline - age,
            attempt: attempt, transferReason: transfer, note: note)
        return Harness.toWorker(Harness.console(number), .assign(assign), body: body ?? "body-\(id)")
    }

    static func welcome(
        to number: UInt64, heartbeat: Int = 1_000, attached: [String] = [], dropped: [String] = [],
        configuration: BrokerConfiguration = BrokerConfiguration()
    ) -> Action {
        toWorker(
            console(number),
            .welcome(
                Welcome(
                    heartbeatMilliseconds: heartbeat, liveness: configuration.liveness,
                    acceptTimeoutMilliseconds: configuration.acceptTimeoutMilliseconds, attached: attached,
                    dropped: dropped)))
    }

    static func revoke(_ id: String, from number: UInt64, _ reason: RevokeReason) -> Action {
        toWorker(console(number), .revoke(ticket: id, reason: reason))
    }

    static func transferred(_ id: String, _ reason: TransferReason, note: String? = nil, to connection: ConnectionID = client(1)) -> Action {
        toClient(connection, .transferred(Transferred(ticket: id, reason: reason, note: note)))
    }

    static func clientError(_ code: ErrorCode, id: String? = nil, command: Command, to connection: ConnectionID = client(1)) -> (Action) -> Bool {
        { action in
            guard case .sendToClient(connection, .error(let error), nil) = action else { return false }
            return error.code == code && error.ticket == id && error.command == command.rawValue
        }
    }

    static func workerError(_ code: ErrorCode, id: String? = nil, command: Command, to number: UInt64) -> (Action) -> Bool {
        { action in
            guard case .sendToWorker(console(number), .error(let error), nil) = action else { return false }
            return error.code == code && error.ticket == id && error.command == command.rawValue
        }
    }
}

/// Whether `actions` is exactly one action matching `predicate`.
func isSingle(_ actions: [Action], _ predicate: (Action) -> Bool) -> Bool {
    actions.count == 1 && predicate(actions[0])
}
