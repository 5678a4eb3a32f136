import HelplineWire

/// The routing state machine behind `HelplineBrokerCore`: every ticket, worker, index and
/// timer, and the rules. Events in (each with its `now`), emissions out. Not generic, so
/// the hot paths compile specialised whatever body type the facade carries.
///
/// Extensions by the spec's rules (1-HLP.md §Rules), so a rule is read in one file:
/// `+Clients` (ASK, CANCEL, RESUME, STATUS), `+OpeningAndClosing` (READY),
/// `+WorkerCommands` (ACCEPT, ANSWER, TRANSFER, DECLINE, EXTEND), `+Dispatch` (who gets
/// what), `+AbsentHumans` (a worker dies or leaves, accept timeout, away, lease),
/// `+Heartbeating`, `+Reroute` (to live agents), `+Deadlines`. Beneath them: `+Tickets`
/// (a ticket's moves: queue, holder, finish), `+Index` (requirements, worker classes),
/// `+Membership` (worker heaps), `+Timers` (arming and firing), `+Report`, `+Invariants`
/// (the checks `BrokerInvariants` runs), `+Journal` (records, unwritable journal),
/// `+Restore` (tickets back from the journal, reservations), `+JournalFailure` (undoing a
/// batch that did not commit), `+Refusals`.
@usableFromInline
struct BrokerState: Sendable {
    @usableFromInline let configuration: BrokerConfiguration
    let startedAt: Timestamp
    /// The latest `now` seen; a caller's clock going backwards is read as standing still.
    var clock: Timestamp

    var tickets = Slab<TicketHandle, TicketRecord>()
    var ticketsByID: [String: TicketHandle] = [:]
    var workers = Slab<WorkerHandle, WorkerRecord>()
    var workersByName: [String: WorkerHandle] = [:]
    var workersByConnection: [ConnectionID: WorkerHandle] = [:]
    /// `heapPositions[membership]`: where a worker sits in one requirement heap, or -1 (see
    /// `WorkerRecord.memberships`). One flat array beside the heaps so they can update it
    /// while they move entries.
    var heapPositions: [Int32] = []
    var freeMemberships: [Int32] = []
    /// Workers whose load, presence or class changed since the heaps last saw them.
    var dirtyWorkers: [WorkerHandle] = []

    var skills = SkillTable()
    var requirements = Slab<RequirementID, Requirement>()
    var requirementsByKey: [SkillKey: RequirementID] = [:]
    /// `queueHeads[requirement]`: `TicketQueue.serveOrder` of its queue's head, `.max` if
    /// empty. A dense copy so a freed HILA compares the heads of every requirement its class
    /// covers without touching their queues (one cache line per 8 requirements).
    var queueHeads: [UInt64] = []
    var classes = Slab<WorkerClassID, WorkerClass>()
    var classesByKey: [SkillKey: WorkerClassID] = [:]
    var coverage = CoverageIndex()
    /// The (live, no skills) requirement: its queue is the one live queue (any live agent
    /// may take any live ticket) and its heap holds every available live agent.
    var liveAny = RequirementID(slot: 0)
    /// The (hila, no skills) requirement, pinned too: every HILA class covers it, so
    /// building it would read every class.
    var hilaAny = RequirementID(slot: 0)
    /// Idle requirements, oldest first, with the epoch that marks an entry as current.
    var idleRequirements = RingBuffer<(requirement: RequirementID, epoch: UInt64)>()
    var idleRequirementCount = 0

    var timers = TimerHeap()
    /// Timers armed and neither fired nor cancelled (the heap also holds stale entries).
    var armedTimers = 0
    /// Finished tickets in finishing order: retention expires them front first.
    var retained = RingBuffer<(ticket: TicketHandle, finishedAt: Timestamp)>()

    /// Open tickets per reply connection (the per-client quota).
    var openByConnection: [ConnectionID: Int] = [:]
    var openTickets = 0
    /// Waiting tickets in HILA queues: a freed HILA skips its scan when there are none.
    var hilaWaiting = 0
    var counters = BrokerCounters()
    /// The last commit failed (full or read-only disk): nothing that needs a durable record
    /// before its acknowledgment may happen until a commit succeeds again. New tickets,
    /// answers, transfers, live take-overs and cancels are refused with 503; deadlines and
    /// max waits are retried every `journalRetryMilliseconds` (see `+Journal`).
    var journalUnwritable = false
    /// The restore grace and the reservations of restored tickets (see `+Restore`).
    var restoration = RestorationState()

    var nextBackKey: Int64 = 1
    var nextFrontKey: Int64 = -1
    var nextToken: UInt64 = 1
    var nextAssignment: UInt64 = 1
    var nextWorkerSerial: UInt64 = 1
    var nextTicketSequence: UInt64 = 1
    var nextIdleEpoch: UInt64 = 1

    @usableFromInline var emissions: [Emission] = []

    @usableFromInline
    init(configuration: BrokerConfiguration, now: Timestamp) {
        self.configuration = configuration
        startedAt = now
        clock = now
        guard let live = internRequirement(role: .live, skillNames: []), let hila = internRequirement(role: .hila, skillNames: [])
        else { preconditionFailure("the empty skill set always interns") }
        liveAny = live
        hilaAny = hila
        // Pinned (never idle, never freed): the live queue lives in the first whether or not
        // a ticket needs it, and both are covered by every class of their role.
        requirements[live].openTickets = 1
        requirements[hila].openTickets = 1
    }

    /// Moves the clock to `now` (never backwards) and returns the time to act on.
    mutating func advance(to now: Timestamp) -> Timestamp {
        if now > clock { clock = now }
        return clock
    }

    // MARK: Emitting

    mutating func send(_ reply: ClientReply, to connection: ConnectionID, body: BodyReference = .none) {
        emissions.append(.toClient(connection, reply, body))
    }

    mutating func send(_ directive: WorkerDirective, to connection: ConnectionID, body: BodyReference = .none) {
        emissions.append(.toWorker(connection, directive, body))
    }

    /// Refuses a client command: ERROR to that connection only, counted in REPORT.
    mutating func refuseClient(
        _ connection: ConnectionID, _ code: ErrorCode, _ text: String, ticket: String? = nil, command: Command
    ) {
        counters.countError(code)
        send(ClientReply.error(ErrorReply(code: code, text: text, ticket: ticket, command: command.rawValue)), to: connection)
    }

    /// Refuses a worker command: ERROR to that connection only; the worker stays registered.
    mutating func refuseWorker(
        _ connection: ConnectionID, _ code: ErrorCode, _ text: String, ticket: String? = nil, command: Command
    ) {
        counters.countError(code)
        send(WorkerDirective.error(ErrorReply(code: code, text: text, ticket: ticket, command: command.rawValue)), to: connection)
    }

    /// A message the loop could not decode: ERROR to the sender, on its sub-protocol.
    /// A worker gets ERROR too, not DISCONNECT: a console whose READY is malformed would
    /// only send the same READY again, and the ERROR tells its operator why.
    @usableFromInline
    mutating func reject(_ error: ErrorReply, signature: Signature, from connection: ConnectionID, now: Timestamp) {
        let now = advance(to: now)
        counters.countError(error.code)
        switch signature {
        case .client:
            send(ClientReply.error(error), to: connection)
        case .worker:
            if let worker = workersByConnection[connection] { workers[worker].heartbeat.lastSeen = now }
            send(WorkerDirective.error(error), to: connection)
        }
    }

    // MARK: Counters for keys and tokens

    mutating func takeToken() -> UInt64 {
        defer { nextToken += 1 }
        return nextToken
    }

    mutating func takeBackKey() -> Int64 {
        defer { nextBackKey += 1 }
        return nextBackKey
    }

    mutating func takeFrontKey() -> Int64 {
        defer { nextFrontKey -= 1 }
        return nextFrontKey
    }
}
