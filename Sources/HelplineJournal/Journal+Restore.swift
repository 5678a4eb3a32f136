import HelplineBrokerCore
import HelplineWire

extension Journal {
    /// Every ticket in the journal, its records replayed into where it stood, for
    /// `HelplineBrokerCore.restore`. `makeBody` turns stored bytes into the loop's body type
    /// (they are valid only during the call). ASK bodies are read for open tickets only,
    /// answer bodies for answered ones.
    public func restoredTickets<Body>(makeBody: (UnsafeRawBufferPointer) -> Body) throws(JournalError) -> [RestoredTicket<Body>] {
        try Self.restoredTickets(from: database, clock: clock, makeBody: makeBody)
    }

    /// The same from a journal that cannot be opened for writing (a read-only disk): a
    /// broker restarted there serves what it held and refuses new work until it can write.
    public static func restoredTickets<Body>(
        readOnlyPath path: String, clock: JournalClock, makeBody: (UnsafeRawBufferPointer) -> Body
    ) throws(JournalError) -> [RestoredTicket<Body>] {
        try restoredTickets(from: SQLiteDatabase(path: path, readOnly: true), clock: clock, makeBody: makeBody)
    }

    private static func restoredTickets<Body>(
        from database: SQLiteDatabase, clock: JournalClock, makeBody: (UnsafeRawBufferPointer) -> Body
    ) throws(JournalError) -> [RestoredTicket<Body>] {
        var replays = try JournalReplay.read(database, clock: clock)
        let answers = try answerBodies(database, makeBody)
        let askBody = try database.prepare("SELECT body FROM tickets WHERE seq = ?1", persistent: false)
        var restored: [RestoredTicket<Body>] = []
        restored.reserveCapacity(replays.count)
        for index in replays.indices {
            var body: Body?
            if case .finished = replays[index].stage {
                // A finished ticket is never offered again: its question stays on disk.
            } else {
                askBody.bind(1, Int64(bitPattern: replays[index].sequence))
                if try askBody.step("read body"), let bytes = askBody.blob(0) { body = makeBody(bytes) }
                askBody.reset()
            }
            restored.append(replays[index].restoredTicket(askBody: body, answerBody: answers[replays[index].sequence]))
        }
        replays.removeAll()
        return restored
    }

    private static func answerBodies<Body>(_ database: SQLiteDatabase, _ makeBody: (UnsafeRawBufferPointer) -> Body) throws(JournalError) -> [UInt64: Body] {
        let statement = try database.prepare("SELECT ticket, body FROM outcomes WHERE body IS NOT NULL", persistent: false)
        var bodies: [UInt64: Body] = [:]
        while try statement.step("read answers") {
            guard let bytes = statement.blob(1) else { continue }
            bodies[UInt64(bitPattern: statement.integer(0))] = makeBody(bytes)
        }
        return bodies
    }
}

/// One ticket's records replayed in journal order: where it stood last.
package struct JournalReplay {
    package var ask: Ask
    package var sequence: UInt64
    package var digest: UInt64?
    package var askedAt: Timestamp
    package var role: Role
    package var transferReason: TransferReason?
    /// The key that asked it (the `client_name` column), which alone may see it again.
    package var owner: String?
    package var note: String?
    package var attempts = 0
    package var declinedBy: [String] = []
    package var acceptedByHILA = false
    package var stage: RestoredStage

    /// Reads the tickets, events and outcomes tables, each in ticket order, and merges them.
    static func read(_ database: SQLiteDatabase, clock: JournalClock) throws(JournalError) -> [JournalReplay] {
        let tickets = try database.prepare(
            """
            SELECT seq, id, step, asked_at, role, skills, priority, options, max_wait, deadline, digest, client_name
            FROM tickets ORDER BY seq
            """, persistent: false)
        var replays: [JournalReplay] = []
        var bySequence: [UInt64: Int] = [:]
        while try tickets.step("read tickets") {
            let sequence = UInt64(bitPattern: tickets.integer(0))
            let ask = Ask(
                ticket: tickets.text(1) ?? "", skills: JournalSchema.split(tickets.text(5)),
                role: Role(rawValue: tickets.text(4) ?? "") ?? .hila, priority: Int(tickets.integer(6)),
                options: JournalSchema.split(tickets.text(7)), maxWaitMilliseconds: Int(tickets.integer(8)),
                deadlineMilliseconds: Int(tickets.integer(9)))
            bySequence[sequence] = replays.count
            replays.append(
                JournalReplay(
                    ask: ask, sequence: sequence, digest: tickets.optionalInteger(10).map { UInt64(bitPattern: $0) },
                    askedAt: clock.timestamp(epochMilliseconds: tickets.integer(3)), owner: tickets.text(11),
                    order: UInt64(bitPattern: tickets.integer(2))))
        }
        let events = try database.prepare(
            "SELECT ticket, step, kind, worker, reason, note, attempt FROM events ORDER BY ticket, step", persistent: false)
        while try events.step("read events") {
            guard let index = bySequence[UInt64(bitPattern: events.integer(0))] else { continue }
            replays[index].apply(
                kind: events.text(2) ?? "", step: UInt64(bitPattern: events.integer(1)), worker: events.text(3),
                reason: events.text(4), note: events.text(5), attempt: events.optionalInteger(6))
        }
        let outcomes = try database.prepare(
            "SELECT ticket, kind, at, worker, decision, option, elapsed FROM outcomes", persistent: false)
        while try outcomes.step("read outcomes") {
            guard let index = bySequence[UInt64(bitPattern: outcomes.integer(0))] else { continue }
            replays[index].finish(
                kind: outcomes.text(1) ?? "", at: clock.timestamp(epochMilliseconds: outcomes.integer(2)),
                worker: outcomes.text(3), decision: outcomes.text(4), option: outcomes.text(5), elapsed: outcomes.integer(6))
        }
        return replays
    }

    /// A ticket as asked, waiting in the queue at `order` (its step).
    package init(ask: Ask, sequence: UInt64, digest: UInt64?, askedAt: Timestamp, owner: String?, order: UInt64) {
        self.ask = ask
        self.sequence = sequence
        self.digest = digest
        self.askedAt = askedAt
        role = ask.role
        transferReason = ask.role == .live ? .requested : nil
        self.owner = owner
        stage = .waiting(atFront: false, order: order)
    }

    /// The ticket's outcome row (`kind` as stored).
    package mutating func finish(kind: String, at: Timestamp, worker: String?, decision: String?, option: String?, elapsed: Int64) {
        let outcome: JournalOutcome
        switch JournalOutcome.canonicalName(kind) {
        case "answered":
            outcome = .answered(
                Answered(
                    ticket: ask.ticket, decision: Decision(rawValue: decision ?? "") ?? .answer, option: option,
                    worker: worker ?? "", elapsedMilliseconds: Int(elapsed)))
        case "taken_over": outcome = .takenOver(worker: worker ?? "")
        case "cancelled": outcome = .cancelled
        default: outcome = .expired
        }
        stage = .finished(outcome, at: at)
    }

    /// One event of the ticket's life, in journal order.
    package mutating func apply(kind: String, step: UInt64, worker: String?, reason: String?, note: String?, attempt: Int64?) {
        switch kind {
        case "offered":
            attempts = Int(attempt ?? Int64(attempts + 1))
            stage = .held(by: worker ?? "", accepted: false)
        case "accepted":
            if role == .hila { acceptedByHILA = true }
            stage = .held(by: worker ?? "", accepted: true)
        case "released":
            if reason == ReleaseReason.declined.rawValue, let worker { declinedBy.append(worker) }
            // Back from its HILA: its max_wait (from ASK) applies again, as in the core;
            // if it has passed, the restored max-wait timer fires at once.
            acceptedByHILA = false
            stage = .waiting(atFront: true, order: step)
        case "transferred":
            role = .live
            transferReason = reason.flatMap(TransferReason.init(rawValue:)) ?? .hilaLost
            self.note = note
            stage = .waiting(atFront: false, order: step)
        default:
            break
        }
    }

    package func restoredTicket<Body>(askBody: Body?, answerBody: Body?) -> RestoredTicket<Body> {
        RestoredTicket(
            ask: ask, bodyDigest: digest, askBody: askBody, sequence: sequence, askedAt: askedAt, stage: stage, role: role,
            transferReason: transferReason, note: note, attempts: attempts, declinedBy: declinedBy,
            acceptedByHILA: acceptedByHILA, answerBody: answerBody, owner: owner)
    }
}
