import HelplineBrokerCore
import HelplineWire

/// The broker-core fuzz target: the input is a sequence of events — commands from many
/// fake clients and consoles (names reused across connections, ids reused across
/// clients), dropped connections, refusals from the loop, the clock moving — and after
/// every event the core's own invariant checker (`BrokerInvariants`) must find nothing:
/// each ticket in exactly one state, no worker above capacity, no ticket held by a dead or
/// unknown worker, every finished ticket with exactly one outcome, indexes exact, dispatch
/// complete. From the actions alone, no ticket may get a second outcome, and when the
/// input ends and every deadline passes, every acknowledged ticket has had exactly one.
/// Any broken rule is a crash, with the step that broke it.
///
/// The first byte chooses whether the core journals. With journaling, the driver settles
/// each event's actions as the broker loop does (`BrokerJournal.settle`): it commits the
/// records, or — while the input has the disk failing — reports the batch failed, so the
/// core undoes what it had not yet told anyone; only what would really be sent counts.
package struct CoreFuzzer {
    /// Small quotas and timers, so short inputs reach 429s, accept timeouts, leases,
    /// max-wait transfers, expiry and retention.
    static let configuration = BrokerConfiguration(
        acceptTimeoutMilliseconds: 2_000, maxOpenTicketsPerClient: 5, maxWaitingTickets: 14, maxWorkers: 5,
        retentionMilliseconds: 20_000, maxRetainedTickets: 12)
    static let skills = ["a", "b", "c", "d"]
    static let options = ["yes", "no"]
    static let clients = 6
    static let consoles = 8
    static let names = 6
    static let ids = 18
    /// A long input is a long run; past this many events the rest is ignored, so one input
    /// cannot take seconds (the invariant check is O(everything) per step).
    static let maxSteps = 2_000

    /// Rounds of commit-or-fail per event, as the loop's `settle` allows.
    static let maxSettleRounds = 8

    private var core: HelplineBrokerCore<UInt32>
    private let journaling: Bool
    /// The disk is failing: every commit fails until the input heals it.
    private var diskFailing = false
    private var now: Int64 = 0
    /// Ids with an acknowledged ticket (a QUEUED went out) and no outcome yet.
    private var open: Set<String> = []
    private var input: FuzzInput
    private let bytes: [UInt8]
    private var step = 0
    /// Describing every event costs more than running it under the sanitizer, so a run
    /// keeps no trace; a failing input is run again with `tracing` to say what led there.
    private let tracing: Bool
    private let trace = EventTrace()

    /// One fuzz input.
    package static func run(_ data: UnsafeRawBufferPointer) {
        run(bytes: Array(data))
    }

    /// One fuzz input from bytes (tests replaying the corpus).
    package static func run(bytes: [UInt8]) {
        var fuzzer = CoreFuzzer(bytes: bytes, tracing: false)
        fuzzer.runAll()
    }

    private init(bytes: [UInt8], tracing: Bool) {
        self.bytes = bytes
        self.tracing = tracing
        input = FuzzInput(bytes: bytes)
        journaling = input.flag()
        var configuration = Self.configuration
        configuration.journaling = journaling
        core = HelplineBrokerCore(configuration: configuration, now: .zero)
    }

    private mutating func runAll() {
        while !input.isExhausted, step < Self.maxSteps {
            let queried = event()
            check(queried: queried)
            step += 1
        }
        // Nothing more arrives: every deadline (a week at most) and every retention passes.
        now += 8 * 86_400_000
        // The disk works again, as it must for anything to end.
        if diskFailing {
            diskFailing = false
            core.journalCommitted(now: Timestamp(milliseconds: now))
        }
        core.tick(now: Timestamp(milliseconds: now))
        record("the end of time")
        check(queried: [])
        if !open.isEmpty { fail("tickets never ended: \(open.sorted())") }
    }

    // MARK: Events

    /// Performs one event; returns the ids it asked about (whose stored outcomes may be
    /// replayed, which is not a second outcome).
    private mutating func event() -> [String] {
        let instant = Timestamp(milliseconds: now)
        switch input.below(20) {
        case 0, 1, 2:
            let ask = makeAsk()
            let digest = UInt64(input.below(3))
            record("ASK \(ask.ticket) \(ask.role.rawValue) \(ask.skills) digest \(digest)")
            core.receive(.ask(ask), body: UInt32(step), bodyDigest: digest, from: client(), now: instant)
            return [ask.ticket]
        case 3:
            let id = ticketID()
            record("CANCEL \(id)")
            core.receive(.cancel(ticket: id), body: nil, from: client(), now: instant)
            return [id]
        case 4:
            let ids = (0...input.below(3)).map { _ in ticketID() }
            record("RESUME \(ids)")
            core.receive(.resume(tickets: ids), body: nil, from: client(), now: instant)
            return ids
        case 5:
            let message: ClientMessage = input.flag() ? .status : .heartbeat
            record("\(message)")
            core.receive(message, body: nil, from: client(), now: instant)
        case 6, 7:
            let ready = makeReady()
            let console = console()
            record("READY \(ready.name) \(ready.role.rawValue) \(ready.skills) cap \(ready.capacity) holding \(ready.holding) on \(console.raw)")
            core.receive(.ready(ready), body: nil, from: console, now: instant)
        case 8, 9, 10, 11, 12, 13:
            let (message, console) = makeWorkerCommand()
            record("\(message) from \(console.raw)")
            core.receive(message, body: UInt32(step), from: console, now: instant)
        case 14:
            let connection = input.flag() ? console() : client()
            record("closed \(connection.raw)")
            core.connectionClosed(connection, now: instant)
        case 15:
            let code = ErrorCode.allCases[input.below(ErrorCode.allCases.count)]
            let signature: Signature = input.flag() ? .client : .worker
            let connection = signature == .worker ? console() : client()
            record("reject \(code.rawValue) from \(connection.raw)")
            core.reject(ErrorReply(code: code, text: "fuzz", ticket: input.flag() ? ticketID() : nil), signature: signature, from: connection, now: instant)
        case 16:
            let connection = console()
            record("refuse and disconnect \(connection.raw)")
            core.refuseAndDisconnect(ErrorReply(code: .unauthorized, text: "fuzz", command: Command.ready.rawValue), from: connection, now: instant)
        case 17 where journaling:
            // The disk fills up, or comes back (the loop's retry finds it writable).
            diskFailing.toggle()
            record(diskFailing ? "disk fails" : "disk heals")
            if !diskFailing { core.journalCommitted(now: instant) }
        default:
            // Mostly short steps (timers due soon), sometimes long ones (deadlines, retention).
            now += input.flag() ? Int64(input.below(256)) * 16 : Int64(input.uint16()) * 8
            record("tick \(now)")
            core.tick(now: Timestamp(milliseconds: now))
        }
        return []
    }

    private mutating func makeAsk() -> Ask {
        let id = ticketID()
        var skills: [String] = []
        let mask = input.byte()
        for (bit, skill) in Self.skills.enumerated() where mask & (1 << bit) != 0 && skills.count < 2 { skills.append(skill) }
        return Ask(
            ticket: id, skills: skills, role: input.below(6) == 0 ? .live : .hila, priority: input.below(10),
            options: input.flag() ? Self.options : [], maxWaitMilliseconds: input.below(16) * 600,
            deadlineMilliseconds: 1 + input.uint16())
    }

    private mutating func makeReady() -> Ready {
        let name = "w\(input.below(Self.names))"
        var skills: [String] = []
        let mask = input.byte()
        for (bit, skill) in Self.skills.enumerated() where mask & (1 << bit) != 0 { skills.append(skill) }
        let held = core.worker(name)?.held ?? []
        var holding = held.filter { _ in input.flag() }
        if input.below(4) == 0 { holding.append(ticketID()) }
        return Ready(
            name: name, role: input.below(4) == 0 ? .live : .hila, skills: skills, capacity: 1 + input.below(3),
            heartbeatMilliseconds: 100 + input.below(30) * 100, holding: holding,
            presence: input.below(6) == 0 ? .away : .active)
    }

    private mutating func makeWorkerCommand() -> (WorkerMessage, ConnectionID) {
        let console = console()
        // Mostly a ticket this console's worker holds, so commands reach deep states.
        let held = registeredName(on: console).flatMap { core.worker($0)?.held } ?? []
        let id = !held.isEmpty && input.below(8) != 0 ? held[input.below(held.count)] : ticketID()
        let message: WorkerMessage
        switch input.below(8) {
        case 0, 1: message = .accept(ticket: id, leaseMilliseconds: input.flag() ? input.below(64) * 100 : 0)
        case 2, 3:
            let decision = Decision.allCases[input.below(Decision.allCases.count)]
            let option: String? = decision == .option || input.below(8) == 0 ? (Self.options + ["maybe"])[input.below(3)] : nil
            message = .answer(Answer(ticket: id, decision: decision, option: option))
        case 4: message = .transfer(ticket: id, note: input.flag() ? "note" : nil)
        case 5: message = .decline(ticket: id, reason: nil)
        case 6: message = .extend(ticket: id, leaseMilliseconds: 1 + input.below(64) * 100)
        default: message = input.flag() ? .disconnect : .heartbeat(presence: input.below(4) == 0 ? .away : .active)
        }
        return (message, console)
    }

    private mutating func ticketID() -> String { "t\(input.below(Self.ids))" }
    private mutating func client() -> ConnectionID { ConnectionID(raw: UInt64(1 + input.below(Self.clients))) }
    private mutating func console() -> ConnectionID { ConnectionID(raw: UInt64(100 + input.below(Self.consoles))) }

    private func registeredName(on console: ConnectionID) -> String? {
        (0..<Self.names).map { "w\($0)" }.first { core.worker($0)?.connection == console }
    }

    // MARK: Checks

    private func record(_ event: @autoclosure () -> String) {
        if tracing { trace.append(event()) }
    }

    /// The actions that would go out: all of them without journaling; with it, those of
    /// each batch whose records committed, and after a failed commit only what the core
    /// still lets out — as `BrokerJournal.settle` does.
    private mutating func settle() -> [BrokerAction<UInt32>] {
        var pending = core.takeActions()
        guard journaling else { return pending }
        let instant = Timestamp(milliseconds: now)
        var sent: [BrokerAction<UInt32>] = []
        for _ in 0..<Self.maxSettleRounds {
            guard pending.contains(where: Self.isRecord) else { return sent + pending }
            if diskFailing {
                core.journalFailed(pending, now: instant)
            } else {
                core.journalCommitted(now: instant)
                sent += pending
            }
            pending = core.takeActions()
            if pending.isEmpty { return sent }
        }
        core.journalFailed(pending, now: instant)
        return sent + core.takeActions().filter { !Self.isRecord($0) }
    }

    private static func isRecord(_ action: BrokerAction<UInt32>) -> Bool {
        if case .journal = action { return true }
        return false
    }

    private mutating func check(queried: [String]) {
        let sent = settle()
        let violations = BrokerInvariants.violations(of: core)
        if !violations.isEmpty { fail(violations.joined(separator: "; ")) }
        for action in sent {
            guard case .sendToClient(_, let reply, _) = action else { continue }
            // Acknowledged: from the first QUEUED that goes out (with a journal, only once
            // the ticket is durable), the ticket must end in exactly one outcome.
            if case .queued(let queued) = reply { open.insert(queued.ticket) }
            guard let id = Self.finalOutcome(reply) else { continue }
            if open.remove(id) == nil, !queried.contains(id) { fail("second outcome for \(id): \(reply)") }
        }
        for id in open where core.ticket(id).map({ $0.stage == "finished" }) ?? true {
            fail("\(id) finished without an outcome message")
        }
    }

    private static func finalOutcome(_ reply: ClientReply) -> String? {
        switch reply {
        case .answered(let answered): answered.ticket
        case .assigned(let assigned): assigned.role == .live ? assigned.ticket : nil
        case .expired(let ticket), .cancelled(let ticket): ticket
        default: nil
        }
    }

    private func fail(_ problem: String) -> Never {
        if !tracing {
            // The same bytes fail the same way: run them again, describing each event.
            var traced = CoreFuzzer(bytes: bytes, tracing: true)
            traced.runAll()
        }
        fatalError("core fuzz step \(step): \(problem)\nlast events:\n  " + trace.events.joined(separator: "\n  "))
    }
}

/// The last events of a traced run (a class, so recording one does not mutate the fuzzer
/// while an event's description reads it).
private final class EventTrace {
    /// Events kept: enough to see how the state was built, short enough to read.
    static let kept = 24
    private(set) var events: [String] = []

    func append(_ event: String) {
        events.append(event)
        if events.count > Self.kept { events.removeFirst(events.count - Self.kept) }
    }
}
