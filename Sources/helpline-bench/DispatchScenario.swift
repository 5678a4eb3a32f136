import HelplineBrokerCore
import HelplineWire
import Histogram

/// The `dispatch` scenario: the broker core driven in-process by a harness that keeps
/// its own book of who holds what. Every call is timed alone with CLOCK_MONOTONIC; the
/// harness's bookkeeping is outside the timed region.
struct DispatchScenario {
    let spec: DispatchSpec
    private var core: HelplineBrokerCore<Int32>
    private var random = SplitMix64(seed: 0x4865_6C70_6C69_6E65)
    private let skillNames: [String]
    private var workerSkills: [[String]] = []
    /// The skill sets tickets ask for.
    private var catalogue: [[String]] = []
    /// Tickets each worker holds, oldest first (capacity is small: arrays are fine).
    private var held: [[String]]
    private var nextTicket = 0
    private var now = Timestamp(milliseconds: 1_000_000)

    /// Far beyond the run: no accept timeout, max-wait or deadline may fire mid-measure.
    static let neverMilliseconds = 86_400_000
    static let clientConnection = ConnectionID(raw: 1 << 48)

    init(_ spec: DispatchSpec) {
        self.spec = spec
        var configuration = BrokerConfiguration()
        configuration.acceptTimeoutMilliseconds = Self.neverMilliseconds
        configuration.maxOpenTicketsPerClient = 100_000_000
        configuration.maxWaitingTickets = 100_000_000
        configuration.maxWorkers = 10_000_000
        core = HelplineBrokerCore(configuration: configuration, now: now)
        skillNames = (0..<spec.skills).map { "skill-\($0)" }
        held = Array(repeating: [], count: spec.workers)
    }

    private static func workerConnection(_ index: Int) -> ConnectionID { ConnectionID(raw: UInt64(index) + 1) }

    /// Sets the state up, measures, returns the row.
    static func run(_ spec: DispatchSpec) -> DispatchRow {
        var scenario = DispatchScenario(spec)
        return scenario.measure()
    }

    private mutating func measure() -> DispatchRow {
        let setupStart = BenchClock.now()
        let beforeWorkers = HeapBytes.inUse()
        registerWorkers()
        let bytesPerWorker = Double(HeapBytes.inUse() - beforeWorkers) / Double(spec.workers)
        buildCatalogue()
        var bytesPerTicket: Double?
        if spec.waiting > 0 {
            fillEveryWorker()
            let beforeTickets = HeapBytes.inUse()
            for _ in 0..<spec.waiting { _ = askWaiting() }
            bytesPerTicket = Double(HeapBytes.inUse() - beforeTickets) / Double(spec.waiting)
        }
        let setupSeconds = Double(BenchClock.now() - setupStart) / 1e9

        var row = DispatchRow(
            scenario: spec.name, spec: spec, heartbeat: NanosecondSummary(Self.histogram()),
            idleTick: NanosecondSummary(Self.histogram()), sweepNanoseconds: 0, sweepNanosecondsPerWorker: 0,
            bytesPerWorker: bytesPerWorker, bytesPerWaitingTicket: bytesPerTicket, setupSeconds: setupSeconds,
            clockOverheadNanoseconds: Self.clockOverhead())
        if spec.waiting > 0 {
            var free = Self.histogram()
            var answer = Self.histogram()
            var queue = Self.histogram()
            // Each round takes two waiting tickets and asks two: Q stays where it is.
            for _ in 0..<spec.operations {
                answer.record(answerAndRedispatch(worker: random.next(below: spec.workers)))
                queue.record(askWaiting())
                free.record(returnAndRedispatch(worker: random.next(below: spec.workers)))
                queue.record(askWaiting())
            }
            row.freeToOffer = NanosecondSummary(free)
            row.answerToOffer = NanosecondSummary(answer)
            row.askToQueue = NanosecondSummary(queue)
        } else {
            var offer = Self.histogram()
            for _ in 0..<spec.operations { offer.record(askOfferedAtOnce()) }
            row.askToOffer = NanosecondSummary(offer)
        }
        var fresh = Self.histogram()
        for _ in 0..<Self.newSkillSetSamples { fresh.record(askWithNewSkillSet()) }
        row.newSkillSet = NanosecondSummary(fresh)
        measureTimers(into: &row)
        return row
    }

    /// New skill sets timed per setting: each costs a scan of the workers that have its
    /// first skill, so a few hundred say enough.
    static let newSkillSetSamples = 200

    // MARK: Setup

    private mutating func registerWorkers() {
        for index in 0..<spec.workers {
            var chosen = Set<Int>()
            while chosen.count < min(spec.skillsPerWorker, spec.skills) { chosen.insert(random.next(below: spec.skills)) }
            let skills = chosen.sorted().map { skillNames[$0] }
            workerSkills.append(skills)
            let ready = Ready(name: "worker-\(index)", role: .hila, skills: skills, capacity: spec.capacity, heartbeatMilliseconds: 1_000)
            core.receive(.ready(ready), body: nil, from: Self.workerConnection(index), now: now)
            core.drainActions { _ in }
        }
    }

    /// Tickets any HILA may take, until every worker is at capacity.
    private mutating func fillEveryWorker() {
        for _ in 0..<(spec.workers * spec.capacity) {
            core.receive(.ask(ask(skills: [])), body: 0, from: Self.clientConnection, now: now)
            record(core.takeActions())
        }
    }

    private mutating func ask(skills: [String]) -> Ask {
        nextTicket += 1
        return Ask(
            ticket: Self.ticketID(nextTicket), skills: skills, maxWaitMilliseconds: Self.neverMilliseconds,
            deadlineMilliseconds: Self.neverMilliseconds * 7)
    }

    /// One or two of a random worker's skills, so a capable HILA exists (a ticket no HILA
    /// could serve would go straight to the live queue).
    private mutating func skillsOfSomeWorker(pair: Bool) -> [String] {
        let skills = workerSkills[random.next(below: spec.workers)]
        let first = random.next(below: skills.count)
        guard pair else { return [skills[first]] }
        let second = (first + 1 + random.next(below: skills.count - 1)) % skills.count
        return [skills[first], skills[second]]
    }

    /// The catalogue, and one ticket per entry (offered at once, answered) so every
    /// requirement is interned before anything is timed.
    private mutating func buildCatalogue() {
        for index in 0..<spec.skillSets { catalogue.append(skillsOfSomeWorker(pair: index % 2 == 1)) }
        for skills in catalogue {
            core.receive(.ask(ask(skills: skills)), body: 0, from: Self.clientConnection, now: now)
            answerAtOnce(core.takeActions())
        }
    }

    private mutating func ticketSkills() -> [String] {
        catalogue[random.next(below: catalogue.count)]
    }

    /// A UUID-sized id (36 bytes), as real clients send: the id's memory counts too.
    private static func ticketID(_ number: Int) -> String {
        let hex = String(number, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    // MARK: Timed operations

    /// A new ticket that waits (every capable worker full).
    private mutating func askWaiting() -> UInt64 {
        let message = ClientMessage.ask(ask(skills: ticketSkills()))
        let start = BenchClock.now()
        core.receive(message, body: 0, from: Self.clientConnection, now: now)
        let elapsed = BenchClock.now() - start
        record(core.takeActions())
        return elapsed
    }

    /// A worker answers its oldest ticket; the core offers it the best waiting one.
    private mutating func answerAndRedispatch(worker: Int) -> UInt64 {
        guard !held[worker].isEmpty else { return askWaiting() }
        let ticket = held[worker].removeFirst()
        let message = WorkerMessage.answer(Answer(ticket: ticket, decision: .approve))
        let start = BenchClock.now()
        core.receive(message, body: nil, from: Self.workerConnection(worker), now: now)
        let elapsed = BenchClock.now() - start
        record(core.takeActions())
        return elapsed
    }

    /// The decision alone: the worker steps away, answers (no offer while away, untimed),
    /// then reports `active` again, and that HEARTBEAT is timed: the core picks the best
    /// waiting ticket the worker may take and offers it.
    private mutating func returnAndRedispatch(worker: Int) -> UInt64 {
        guard !held[worker].isEmpty else { return askWaiting() }
        let connection = Self.workerConnection(worker)
        core.receive(.heartbeat(presence: .away), body: nil, from: connection, now: now)
        let ticket = held[worker].removeFirst()
        core.receive(.answer(Answer(ticket: ticket, decision: .approve)), body: nil, from: connection, now: now)
        record(core.takeActions())
        let start = BenchClock.now()
        core.receive(.heartbeat(presence: .active), body: nil, from: connection, now: now)
        let elapsed = BenchClock.now() - start
        record(core.takeActions())
        return elapsed
    }

    /// Q = 0: a new ticket offered at once; answered afterwards (untimed) to keep loads low.
    private mutating func askOfferedAtOnce() -> UInt64 {
        let message = ClientMessage.ask(ask(skills: ticketSkills()))
        let start = BenchClock.now()
        core.receive(message, body: 0, from: Self.clientConnection, now: now)
        let elapsed = BenchClock.now() - start
        answerAtOnce(core.takeActions())
        return elapsed
    }

    /// A pair of skills no catalogue entry has (most of the time: a clash only makes the
    /// sample cheaper). Waits when workers are full, is offered and answered when not.
    private mutating func askWithNewSkillSet() -> UInt64 {
        let message = ClientMessage.ask(ask(skills: skillsOfSomeWorker(pair: true)))
        let start = BenchClock.now()
        core.receive(message, body: 0, from: Self.clientConnection, now: now)
        let elapsed = BenchClock.now() - start
        if spec.waiting > 0 { record(core.takeActions()) } else { answerAtOnce(core.takeActions()) }
        return elapsed
    }

    private mutating func answerAtOnce(_ actions: [BrokerAction<Int32>]) {
        for (worker, ticket) in assigned(actions) {
            core.receive(.answer(Answer(ticket: ticket, decision: .approve)), body: nil, from: Self.workerConnection(worker), now: now)
            core.drainActions { _ in }
        }
    }

    /// Heartbeats from every worker, then the sweep that heartbeats them all back, three times.
    private mutating func measureTimers(into row: inout DispatchRow) {
        var heartbeats = Self.histogram()
        var idle = Self.histogram()
        var sweeps: [UInt64] = []
        // The workers proposed 1 s; their timers were armed at registration, at `now`.
        let interval = Int64(1_000)
        for _ in 0..<3 {
            // Every worker, every round: one left silent would die mid-sweep and skew it.
            for worker in 0..<spec.workers {
                let start = BenchClock.now()
                core.receive(.heartbeat(presence: .active), body: nil, from: Self.workerConnection(worker), now: now)
                heartbeats.record(BenchClock.now() - start)
            }
            for _ in 0..<1_000 {
                let start = BenchClock.now()
                core.tick(now: now)
                idle.record(BenchClock.now() - start)
            }
            now = now.advanced(by: interval)
            let start = BenchClock.now()
            core.tick(now: now)
            sweeps.append(BenchClock.now() - start)
            core.drainActions { _ in }
        }
        row.heartbeat = NanosecondSummary(heartbeats)
        row.idleTick = NanosecondSummary(idle)
        row.sweepNanoseconds = sweeps.sorted()[sweeps.count / 2]
        row.sweepNanosecondsPerWorker = Double(row.sweepNanoseconds) / Double(spec.workers)
    }

    // MARK: Bookkeeping (untimed)

    private mutating func record(_ actions: [BrokerAction<Int32>]) {
        for (worker, ticket) in assigned(actions) { held[worker].append(ticket) }
    }

    private func assigned(_ actions: [BrokerAction<Int32>]) -> [(Int, String)] {
        actions.compactMap { action in
            guard case .sendToWorker(let connection, .assign(let assign), _) = action else { return nil }
            return (Int(connection.raw) - 1, assign.ticket)
        }
    }

    private static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 100_000_000_000, numberOfSignificantValueDigits: .three)
    }

    /// Median cost of the two clock reads around an empty region.
    private static func clockOverhead() -> UInt64 {
        var samples = histogram()
        for _ in 0..<10_000 {
            let start = BenchClock.now()
            samples.record(BenchClock.now() - start)
        }
        return samples.valueAtPercentile(50)
    }
}
