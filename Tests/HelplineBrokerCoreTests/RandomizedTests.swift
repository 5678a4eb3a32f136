import HelplineBrokerCore
import HelplineWire
import Testing

/// A seeded long run: thousands of random events from many fake clients and consoles
/// (names reused across connections, deaths, timeouts, bad commands), the invariants
/// checked after every step, and every ticket's outcomes counted from the actions alone.
@Suite struct RandomizedTests {
    @Test(arguments: [1, 7, 42] as [UInt64])
    func randomizedLongRun_invariantsHoldAfterEveryStep(seed: UInt64) {
        var run = RandomRun(seed: seed)
        for step in 0..<6_000 {
            let event = run.step()
            let violations = BrokerInvariants.violations(of: run.core)
            if !violations.isEmpty || !run.problems.isEmpty {
                Issue.record("seed \(seed) step \(step) after \(event): \(violations + run.problems)")
                return
            }
        }
        // Nothing more happens: every open ticket must still end, exactly once.
        run.finish()
        #expect(run.problems == [])
        #expect(run.open.isEmpty, "tickets never ended: \(run.open.sorted())")
        #expect(BrokerInvariants.violations(of: run.core) == [])
        #expect(run.outcomes > 100)
        // The run reached every rule, not just the easy paths.
        let reached = Set(run.seen.keys)
        let required: Set<String> = [
            "answered", "assigned-hila", "assigned-live", "cancelled", "expired", "assign-again",
            "revoke-accept-timeout", "revoke-cancelled", "revoke-expired", "revoke-max-wait", "revoke-lease-expired",
            "transferred-no-hila", "transferred-max-wait", "transferred-hila", "transferred-hila-lost",
            "welcome-attached", "disconnect", "client-error-404", "client-error-409", "client-error-429",
            "worker-error-403", "worker-error-404", "worker-error-422", "queued-offered",
        ]
        #expect(required.subtracting(reached).isEmpty, "never reached: \(required.subtracting(reached).sorted())")
    }
}

/// SplitMix64: a tiny, seedable generator, so a failing run replays exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct RandomRun {
    static let configuration = BrokerConfiguration(
        acceptTimeoutMilliseconds: 2_500, maxOpenTicketsPerClient: 6, maxWaitingTickets: 25, maxWorkers: 8,
        retentionMilliseconds: 15_000)
    static let skills = ["a", "b", "c", "d"]
    static let options = ["yes", "no"]

    var core = HelplineBrokerCore<String>(configuration: RandomRun.configuration, now: .zero)
    var rng: SplitMix64
    var now: Int64 = 0
    /// Ids the actions say are open (asked, no final outcome yet).
    var open: Set<String> = []
    var outcomes = 0
    var problems: [String] = []
    /// The name last registered on each console.
    var nameOnConsole: [UInt64: String] = [:]
    /// What the run made the core do, by kind (to show the run reaches every rule).
    var seen: [String: Int] = [:]

    init(seed: UInt64) {
        rng = SplitMix64(state: seed)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }
    mutating func someSkills() -> [String] { (0..<int(0...2)).map { _ in pick(Self.skills) } }
    mutating func ticketID() -> String { "t\(int(0...59))" }

    /// One random event; returns its description.
    mutating func step() -> String {
        let roll = int(1...100)
        let instant = Timestamp(milliseconds: now)
        let description: String
        var queried: [String] = []
        switch roll {
        case 1...22:
            let id = ticketID()
            // Mostly the same content per id (repeated ASK), sometimes not (409).
            var hash = SplitMix64(state: id.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) })
            let ask = Ask(
                ticket: id, skills: chance(90) ? [Self.skills[Int(hash.next() % 4)]] : someSkills(),
                role: hash.next() % 8 == 0 ? .live : .hila, priority: Int(hash.next() % 10),
                options: hash.next() % 2 == 0 ? Self.options : [], maxWaitMilliseconds: Int(hash.next() % 8_000),
                deadlineMilliseconds: 1 + Int(hash.next() % 40_000))
            let existed = core.ticket(id) != nil
            queried = [id]
            core.receive(.ask(ask), body: "body-\(id)", from: client(), now: instant)
            if !existed, core.ticket(id) != nil { open.insert(id) }
            description = "ASK \(id)"
        case 23...27:
            let id = ticketID()
            queried = [id]
            core.receive(.cancel(ticket: id), body: nil, from: client(), now: instant)
            description = "CANCEL \(id)"
        case 28...30:
            queried = (0..<int(1...3)).map { _ in ticketID() }
            core.receive(.resume(tickets: queried), body: nil, from: client(), now: instant)
            description = "RESUME \(queried)"
        case 31...32:
            core.receive(chance(50) ? .status : .heartbeat, body: nil, from: client(), now: instant)
            description = "STATUS/HEARTBEAT"
        case 33...40:
            let console = UInt64(int(1...10))
            let name = "w\(int(0...9))"
            let held = core.worker(name)?.held ?? []
            let ready = Ready(
                name: name, role: chance(80) ? .hila : .live, skills: someSkills(), capacity: int(1...3),
                heartbeatMilliseconds: int(100...3_000), holding: held.filter { _ in chance(70) } + (chance(20) ? [ticketID()] : []),
                presence: chance(85) ? .active : .away)
            core.receive(.ready(ready), body: nil, from: Harness.console(console), now: instant)
            nameOnConsole[console] = name
            description = "READY \(name) on \(console)"
        case 41...55:
            let console = someConsole()
            core.receive(.heartbeat(presence: chance(85) ? .active : .away), body: nil, from: Harness.console(console), now: instant)
            description = "HEARTBEAT from \(console)"
        case 56...83:
            description = workerCommand(at: instant)
        case 84...85:
            let console = UInt64(int(1...10))
            core.connectionClosed(Harness.console(console), now: instant)
            description = "closed \(console)"
        case 86:
            let error = ErrorReply(code: .malformed, text: "fuzz")
            core.reject(error, signature: chance(50) ? .client : .worker, from: chance(50) ? client() : Harness.console(1), now: instant)
            description = "reject"
        default:
            now += Int64(int(0...700))
            core.tick(now: Timestamp(milliseconds: now))
            description = "tick \(now)"
        }
        account(core.takeActions(), queried: queried)
        return description
    }

    private mutating func workerCommand(at instant: Timestamp) -> String {
        let console = someConsole()
        let name = nameOnConsole[console] ?? "w0"
        let held = core.worker(name)?.held ?? []
        let id = !held.isEmpty && chance(85) ? pick(held) : ticketID()
        let message: WorkerMessage
        switch int(1...9) {
        case 1...3: message = .accept(ticket: id, leaseMilliseconds: chance(30) ? int(1...4_000) : 0)
        case 4...5:
            let decision = pick(Decision.allCases)
            let option: String? = decision == .option ? pick(Self.options + ["maybe"]) : nil
            message = .answer(Answer(ticket: id, decision: decision, option: option))
        case 6: message = .transfer(ticket: id, note: chance(50) ? "note" : nil)
        case 7: message = .decline(ticket: id, reason: nil)
        case 8: message = .extend(ticket: id, leaseMilliseconds: int(1...4_000))
        default: message = .disconnect
        }
        core.receive(message, body: "answer-\(id)", from: Harness.console(console), now: instant)
        return "\(message) from \(console)"
    }

    /// Mostly a console with a live registration, sometimes any (strangers get DISCONNECT).
    private mutating func someConsole() -> UInt64 {
        let registered = nameOnConsole.keys.sorted().filter { core.worker(nameOnConsole[$0]!)?.connection == Harness.console($0) }
        return !registered.isEmpty && chance(85) ? pick(registered) : UInt64(int(1...10))
    }

    private mutating func client() -> ConnectionID { Harness.client(UInt64(int(1...5))) }

    /// Counts final outcomes per ticket from the actions alone. Replays (a finished ticket
    /// asked, resumed or cancelled again) are not outcomes.
    private mutating func account(_ actions: [BrokerAction<String>], queried: [String]) {
        for action in actions {
            seen[Self.kind(of: action), default: 0] += 1
            guard case .sendToClient(_, let reply, _) = action, let id = Self.finalOutcomeTicket(reply) else { continue }
            if open.remove(id) != nil {
                outcomes += 1
            } else if !queried.contains(id) {
                problems.append("second outcome for \(id): \(reply)")
            }
        }
        for id in open where core.ticket(id)?.stage == "finished" || core.ticket(id) == nil {
            problems.append("\(id) ended without an outcome message")
        }
    }

    static func kind(of action: BrokerAction<String>) -> String {
        switch action {
        case .sendToClient(_, .error(let error), _): "client-error-\(error.code.rawValue)"
        case .sendToClient(_, .transferred(let transferred), _): "transferred-\(transferred.reason.rawValue)"
        case .sendToClient(_, .assigned(let assigned), _): "assigned-\(assigned.role.rawValue)"
        case .sendToClient(_, .queued(let queued), _): "queued-\(queued.stage.rawValue)"
        case .sendToClient(_, let reply, _): "\(reply)".prefix { $0 != "(" }.description
        case .sendToWorker(_, .error(let error), _): "worker-error-\(error.code.rawValue)"
        case .sendToWorker(_, .revoke(_, let reason), _): "revoke-\(reason.rawValue)"
        case .sendToWorker(_, .assign(let assign), _): assign.attempt > 1 ? "assign-again" : "assign"
        case .sendToWorker(_, .welcome(let welcome), _): welcome.attached.isEmpty ? "welcome" : "welcome-attached"
        case .sendToWorker(_, let directive, _): "\(directive)".prefix { $0 != "(" }.description
        case .journal: "journal"
        }
    }

    private static func finalOutcomeTicket(_ reply: ClientReply) -> String? {
        switch reply {
        case .answered(let answered): answered.ticket
        case .assigned(let assigned): assigned.role == .live ? assigned.ticket : nil
        case .expired(let ticket), .cancelled(let ticket): ticket
        default: nil
        }
    }

    /// Lets every deadline pass with no more messages: consoles die, tickets expire.
    mutating func finish() {
        now += 600_000
        core.tick(now: Timestamp(milliseconds: now))
        account(core.takeActions(), queried: [])
    }
}
