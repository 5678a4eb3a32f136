import HelplineWire

extension ConnectionID {
    /// The reply connection of a restored ticket until a client RESUMEs or repeats its ASK:
    /// a zero-length routing id, which no transport hands out, so sends to it are dropped.
    static let nobody = ConnectionID(raw: 0)
}

extension BrokerState {
    /// Puts tickets read back from the journal into a fresh state: waiting tickets in their
    /// queues in their old order, held ones reserved for their worker's name, finished ones
    /// retained with their outcome. Returns each ticket's handle (nil when skipped).
    mutating func restore(_ restored: [RestoredTicket<Void>], now: Timestamp) -> ([TicketHandle?], RestoreSummary) {
        precondition(tickets.count == 0 && workers.count == 0, "restore into a fresh core only")
        let now = advance(to: now)
        var summary = RestoreSummary()
        var handles = [TicketHandle?](repeating: nil, count: restored.count)
        // A pruned ticket's id may have been reused: the newest ticket with an id wins.
        let order = restored.indices.sorted { restored[$0].sequence < restored[$1].sequence }
        var newest: [String: Int] = [:]
        for index in order { newest[restored[index].ask.ticket] = index }
        var waiting: [(ticket: TicketHandle, atFront: Bool, order: UInt64)] = []
        var finished: [(ticket: TicketHandle, at: Timestamp, sequence: UInt64)] = []
        for index in order {
            let entry = restored[index]
            nextTicketSequence = max(nextTicketSequence, entry.sequence + 1)
            guard newest[entry.ask.ticket] == index, let ticket = insertRestored(entry) else {
                summary.skipped.append(entry.ask.ticket)
                record(.pruned(TicketReference(id: entry.ask.ticket, sequence: entry.sequence)))
                continue
            }
            handles[index] = ticket
            switch entry.stage {
            case .waiting(let atFront, let position):
                waiting.append((ticket, atFront, position))
                summary.waiting += 1
            case .held(let name, let accepted):
                setState(ticket, .reserved(for: name, accepted: accepted))
                restoration.reservations[name, default: []].append(ticket)
                summary.reserved += 1
            case .finished(let outcome, let at):
                setState(ticket, .finished(TicketOutcome(outcome), at: at))
                tickets[ticket].finalOutcomes = 1
                finished.append((ticket, at, entry.sequence))
                summary.finished += 1
            }
        }
        // Arrivals at the back in the order they arrived; returns to the front in the order
        // they came back, so the latest return is served first, as before the restart.
        for entry in waiting.filter({ !$0.atFront }).sorted(by: { $0.order < $1.order }) { enqueue(entry.ticket, atFront: false) }
        for entry in waiting.filter(\.atFront).sorted(by: { $0.order < $1.order }) { enqueue(entry.ticket, atFront: true) }
        for entry in finished.sorted(by: { ($0.at, $0.sequence) < ($1.at, $1.sequence) }) { retained.append((entry.ticket, entry.at)) }
        while retained.count > max(0, configuration.maxRetainedTickets) { pruneOldestRetained() }
        restoration.graceUntil = now.advanced(by: configuration.effectiveRestoreGrace)
        // The grace lets consoles re-register before open tickets are judged unservable;
        // with no open ticket restored there is nothing to hold back.
        if configuration.effectiveRestoreGrace == 0 || summary.waiting + summary.reserved == 0 {
            endRestoreGrace(now: now)
        }
        return (handles, summary)
    }

    /// Inserts one restored ticket, open ones with their requirement and timers; nil when
    /// its header breaks a rule or its skills no longer fit the skill table.
    private mutating func insertRestored(_ entry: RestoredTicket<Void>) -> TicketHandle? {
        guard Self.problem(with: entry.ask) == nil else { return nil }
        var requirement = RequirementID(slot: -1)
        if case .finished = entry.stage {
            // A finished ticket holds no requirement (see `TicketRecord.requirement`).
        } else {
            guard let interned = internRequirement(role: entry.role, skillNames: entry.ask.skills) else { return nil }
            requirement = interned
        }
        var record = TicketRecord(
            id: entry.ask.ticket, ask: entry.ask, bodyDigest: entry.bodyDigest, askedAt: entry.askedAt,
            sequence: entry.sequence, requirement: requirement, replyTo: .nobody, owner: entry.owner)
        record.role = entry.role
        record.liveReason = entry.role == .live ? entry.transferReason ?? .requested : nil
        record.note = entry.note
        record.attempts = entry.attempts
        record.declinedBy = entry.declinedBy
        record.acceptedByHILA = entry.acceptedByHILA
        let ticket = tickets.insert(record)
        ticketsByID[entry.ask.ticket] = ticket
        if case .finished = entry.stage { return ticket }
        retainRequirement(requirement)
        openTickets += 1
        openByConnection[.nobody, default: 0] += 1
        tickets[ticket].deadlineTimer = arm(.deadline, target: ticket.slot, due: tickets[ticket].deadline)
        if entry.role == .hila, !entry.acceptedByHILA {
            let due = entry.askedAt.advanced(by: Int64(entry.ask.maxWaitMilliseconds))
            tickets[ticket].maxWaitTimer = arm(.maxWait, target: ticket.slot, due: due)
        }
        return ticket
    }

    /// The restore grace is over: tickets no console claimed go back to the front of their
    /// queues, and HILA tickets no HILA can serve move to live agents.
    mutating func endRestoreGrace(now: Timestamp) {
        restoration.graceUntil = nil
        var lapsed: [TicketHandle] = []
        for name in restoration.reservations.keys.sorted() {
            for ticket in restoration.reservations[name] ?? [] {
                setState(ticket, .inTransit)
                record(.released(reference(ticket), worker: name, reason: .holderLost, note: nil, at: now))
                lapsed.append(ticket)
            }
        }
        restoration.reservations = [:]
        dispatchOnReturn(lapsed, now: now)
        sweepUnservable(now: now)
    }

    /// A READY from `name`, which held restored tickets: those its `holding` lists (in its
    /// role, up to its capacity) are attached to it in their stage; the others lapse.
    mutating func claimReservations(
        for worker: WorkerHandle, holding: [String], now: Timestamp
    ) -> (attached: [String], dropped: [String], lapsed: [TicketHandle]) {
        let name = workers[worker].name
        let reserved = restoration.reservations.removeValue(forKey: name) ?? []
        var attached: [String] = []
        var dropped: [String] = []
        var claimed: Set<TicketHandle> = []
        for id in holding {
            guard let ticket = ticketsByID[id], case .reserved(name, let accepted) = tickets[ticket].state,
                tickets[ticket].role == workers[worker].role, workers[worker].load < workers[worker].capacity
            else {
                dropped.append(id)
                continue
            }
            if accepted {
                setState(ticket, .accepted(by: worker, since: now, leaseUntil: nil))
            } else {
                setState(ticket, .offered(to: worker, since: now))
                tickets[ticket].holdTimer = arm(.acceptTimeout, target: ticket.slot, due: now.advanced(by: configuration.effectiveAcceptTimeout))
            }
            workers[worker].held.append(ticket)
            markDirty(worker)
            claimed.insert(ticket)
            attached.append(id)
        }
        let lapsed = reserved.filter { !claimed.contains($0) }
        for ticket in lapsed {
            setState(ticket, .inTransit)
            record(.released(reference(ticket), worker: name, reason: .holderLost, note: nil, at: now))
        }
        return (attached, dropped, lapsed)
    }

    /// Takes a reserved ticket out of its reservation (CANCEL, deadline, max wait): it is then in transit.
    mutating func releaseReservation(_ ticket: TicketHandle) {
        guard case .reserved(let name, _) = tickets[ticket].state else { preconditionFailure("not reserved") }
        restoration.reservations[name]?.removeAll { $0 == ticket }
        if restoration.reservations[name]?.isEmpty == true { restoration.reservations[name] = nil }
        setState(ticket, .inTransit)
    }
}

extension TicketOutcome {
    /// The core's outcome for a journal outcome.
    init(_ outcome: JournalOutcome) {
        switch outcome {
        case .answered(let answered): self = .answered(answered)
        case .takenOver(let worker): self = .takenOver(worker: worker)
        case .cancelled: self = .cancelled
        case .expired: self = .expired
        }
    }

    /// The journal's outcome for this one.
    var journal: JournalOutcome {
        switch self {
        case .answered(let answered): .answered(answered)
        case .takenOver(let worker): .takenOver(worker: worker)
        case .cancelled: .cancelled
        case .expired: .expired
        }
    }
}
