import HelplineBrokerCore
import HelplineJournal
import HelplineWire
import Testing

/// The whole durable path at random: the core's records committed to a real SQLite
/// journal (or failing to commit), the broker "crashing" (the core thrown away, the
/// uncommitted batch with it) and restored from the journal, consoles re-registering with
/// what they hold. After every step the core's invariants hold; at the end every ticket a
/// client saw acknowledged has exactly one outcome, and every message it got about the
/// outcome says the same.
@Suite struct RandomCrashTests {
    @Test(arguments: Array(UInt64(1)...6))
    func randomRunWithCrashesAndFailedCommits_everyAcknowledgedTicketHasOneOutcome(seed: UInt64) throws {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        var world = try CrashWorld(path: directory.file("h.db"), seed: seed)
        for _ in 0..<1_500 { try world.step() }
        try world.finish()
        #expect(world.problems == [], "seed \(seed)")
        #expect(world.acknowledged.count > 20, "the run must acknowledge tickets to prove anything")
        #expect(world.restarts > 3 && world.failedCommits > 3, "the run must crash and fail commits")
    }
}

/// A broker (core + journal), some consoles and clients, driven by a seeded generator.
struct CrashWorld {
    let path: String
    var random: SplitMix
    var now: Int64 = 0
    var core: HelplineBrokerCore<String>
    var journal: Journal
    let configuration = BrokerConfiguration(
        acceptTimeoutMilliseconds: 4_000, retentionMilliseconds: 10_000_000, journaling: true, restoreGraceMilliseconds: 2_000)
    let clock = JournalClock(wallMilliseconds: 1_700_000_000_000, monotonic: .zero)

    /// Tickets held per console name, as each console believes.
    var consoles: [String: (connection: ConnectionID, held: Set<String>, registered: Bool)] = [:]
    var nextConnection: UInt64 = 1_000
    /// Ids acknowledged to a client, and every distinct final message about each.
    var acknowledged: Set<String> = []
    var outcomes: [String: Set<String>] = [:]
    var problems: [String] = []
    var restarts = 0
    var failedCommits = 0
    /// Whether the next commit fails (a full disk for one batch).
    var failNext = false
    let ids = (0..<60).map { "t\($0)" }
    let names = ["ana", "bea", "cid", "lee"]

    init(path: String, seed: UInt64) throws {
        self.path = path
        random = SplitMix(seed: seed)
        core = HelplineBrokerCore(configuration: configuration, now: .zero)
        journal = try Journal(path: path, sync: .normal, clock: clock)
    }

    var time: Timestamp { Timestamp(milliseconds: now) }

    mutating func step() throws {
        switch random.next(100) {
        case 0..<30: ask(ids[random.next(ids.count)])
        case 30..<35: core.receive(.cancel(ticket: ids[random.next(ids.count)]), body: nil, from: ConnectionID(raw: 1), now: time)
        case 35..<40: core.receive(.resume(tickets: Array(ids.shuffled(using: &random).prefix(5))), body: nil, from: ConnectionID(raw: 1), now: time)
        case 40..<48: register(names[random.next(names.count)])
        case 48..<75: workOnATicket()
        case 75..<90:
            now += Int64(random.next(1_500))
            core.tick(now: time)
        case 90..<93: failNext = true
        case 93..<96: try crash()
        default:
            if let name = names.randomElement(using: &random), let console = consoles[name], console.registered {
                core.connectionClosed(console.connection, now: time)
                consoles[name]?.registered = false
            }
        }
        try settle()
        let violations = BrokerInvariants.violations(of: core)
        if !violations.isEmpty { problems.append("step at \(now): \(violations)") }
    }

    mutating func ask(_ id: String) {
        // The same content for an id, always: a resend, never a conflict.
        let number = Int(id.dropFirst())!
        let ask = Ask(ticket: id, role: number % 5 == 0 ? .live : .hila, priority: number % 3, deadlineMilliseconds: 30_000 + number * 1_000)
        core.receive(.ask(ask), body: "question \(id)", bodyDigest: UInt64(number), from: ConnectionID(raw: 1), now: time)
    }

    mutating func register(_ name: String) {
        nextConnection += 1
        let connection = ConnectionID(raw: nextConnection)
        let held = consoles[name]?.held ?? []
        consoles[name] = (connection, held, true)
        let role: Role = name == "lee" ? .live : .hila
        let ready = Ready(name: name, role: role, capacity: 3, heartbeatMilliseconds: 30_000, holding: held.sorted())
        core.receive(.ready(ready), body: nil, from: connection, now: time)
    }

    mutating func workOnATicket() {
        let candidates = consoles.filter { $0.value.registered && !$0.value.held.isEmpty }.keys.sorted()
        guard let name = candidates.randomElement(using: &random), let console = consoles[name],
            let id = console.held.sorted().randomElement(using: &random)
        else { return }
        let message: WorkerMessage
        switch random.next(10) {
        case 0..<2: message = .accept(ticket: id, leaseMilliseconds: 0)
        case 2..<7: message = .answer(Answer(ticket: id, decision: .approve))
        case 7..<8: message = .transfer(ticket: id, note: "busy")
        default: message = .decline(ticket: id, reason: nil)
        }
        if case .accept = message {} else { consoles[name]?.held.remove(id) }
        core.receive(message, body: "answer \(id) by \(name)", from: console.connection, now: time)
    }

    /// The loop's group commit: records of the batch committed (or failed), then its sends.
    mutating func settle() throws {
        var pending = core.takeActions()
        for _ in 0..<6 {
            guard pending.contains(where: { if case .journal = $0 { true } else { false } }) else {
                deliver(pending)
                // The loop's probe: the disk is back, the core may acknowledge again.
                guard !core.isJournalWritable, !failNext else { return }
                core.journalCommitted(now: time)
                pending = core.takeActions()
                continue
            }
            if failNext {
                failNext = false
                failedCommits += 1
                journal.rollback()
                core.journalFailed(pending, now: time)
            } else {
                for case .journal(let record, let body) in pending {
                    var bytes = body.map { Array($0.utf8) }
                    if var unwrapped = bytes {
                        try unwrapped.withUnsafeMutableBytes { try journal.append(record, body: UnsafeRawBufferPointer($0)) }
                        bytes = unwrapped
                    } else {
                        try journal.append(record, body: nil)
                    }
                }
                try journal.commit()
                deliver(pending)
                core.journalCommitted(now: time)
            }
            pending = core.takeActions()
        }
        deliver(pending.filter { if case .journal = $0 { false } else { true } })
    }

    /// The sends reach the peers: consoles learn what they hold, clients their outcomes.
    mutating func deliver(_ actions: [BrokerAction<String>]) {
        for action in actions {
            switch action {
            case .journal:
                continue
            case .sendToClient(_, let reply, let body):
                switch reply {
                case .queued(let queued): acknowledged.insert(queued.ticket)
                case .answered(let answered):
                    outcomes[answered.ticket, default: []].insert("answered \(answered.decision) by \(answered.worker): \(body ?? "")")
                case .assigned(let assigned) where assigned.role == .live:
                    outcomes[assigned.ticket, default: []].insert("taken over by \(assigned.worker)")
                case .expired(let id): outcomes[id, default: []].insert("expired")
                case .cancelled(let id): outcomes[id, default: []].insert("cancelled")
                default: break
                }
            case .sendToWorker(let connection, let directive, _):
                guard let name = consoles.first(where: { $0.value.connection == connection })?.key else { continue }
                switch directive {
                case .assign(let assign): consoles[name]?.held.insert(assign.ticket)
                case .revoke(let id, _): consoles[name]?.held.remove(id)
                case .welcome(let welcome): for id in welcome.dropped { consoles[name]?.held.remove(id) }
                case .disconnect: consoles[name]?.registered = false
                case .error(let error):
                    if let id = error.ticket, error.code == .forbidden || error.code == .unknownTicket { consoles[name]?.held.remove(id) }
                default: break
                }
            }
        }
    }

    /// kill -9: the core and the uncommitted batch are gone; a new broker restores from the
    /// journal file, and every console finds out and registers again.
    mutating func crash() throws {
        restarts += 1
        journal.rollback()
        _ = core.takeActions()
        journal = try Journal(path: path, sync: .normal, clock: clock)
        core = HelplineBrokerCore(configuration: configuration, now: time)
        let restored = try journal.restoredTickets { String(decoding: $0, as: UTF8.self) }
        _ = core.restore(restored, now: time)
        for name in consoles.keys.sorted() { consoles[name]?.registered = false }
        try settle()
        for name in consoles.keys.sorted() where random.next(3) > 0 { register(name) }
    }

    /// No more failures: time runs past every deadline; a client RESUMEs every id.
    mutating func finish() throws {
        failNext = false
        for _ in 0..<5 {
            now += 60_000
            core.tick(now: time)
            try settle()
        }
        core.receive(.resume(tickets: Array(ids.prefix(WireLimits.maxResumeIDs))), body: nil, from: ConnectionID(raw: 2), now: time)
        try settle()
        for id in acknowledged.sorted() {
            let seen = outcomes[id] ?? []
            if seen.isEmpty { problems.append("\(id) acknowledged but never reached an outcome") }
            if seen.count > 1 { problems.append("\(id) reached \(seen.count) different outcomes: \(seen.sorted())") }
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failing seed replays exactly.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

