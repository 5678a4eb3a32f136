import HelplineWire

/// A ticket's moves between its places (queue, holder, in transit, finished), each keeping
/// the stage counts, the holder's `held` list and the journal in step.
extension BrokerState {
    /// The requirement whose queue holds the ticket while it waits: its own for a HILA
    /// ticket, the one live queue for a live ticket.
    func queueOwner(of ticket: TicketHandle) -> RequirementID {
        tickets[ticket].role == .live ? liveAny : tickets[ticket].requirement
    }

    /// Changes a ticket's state and the stage counts with it.
    mutating func setState(_ ticket: TicketHandle, _ state: consuming TicketState) {
        // The old state's kind only: passing the state itself copied its payload (an
        // outcome's strings) several times a ticket.
        count(tickets[ticket].state.kind, by: -1)
        count(state.kind, by: 1)
        tickets[ticket].state = state
    }

    private mutating func count(_ kind: TicketState.Kind, by delta: Int) {
        switch kind {
        case .waiting: counters.waiting += delta
        case .offered: counters.offered += delta
        case .accepted: counters.accepted += delta
        case .reserved: counters.reserved += delta
        case .finished: counters.retained += delta
        case .inTransit: break
        }
    }

    /// Puts a ticket in transit into its queue: at the back when it arrives (ASK, transfer),
    /// at the front of its priority when it comes back (decline, death, timeouts).
    mutating func enqueue(_ ticket: TicketHandle, atFront: Bool) {
        precondition(tickets[ticket].state == .inTransit, "only a ticket in transit joins a queue")
        let owner = queueOwner(of: ticket)
        let priority = tickets[ticket].priority
        let key = atFront ? takeFrontKey() : takeBackKey()
        if atFront {
            requirements[owner].queue.prepend(ticket, priority: priority, key: key)
        } else {
            requirements[owner].queue.append(ticket, priority: priority, key: key)
        }
        if !tickets[ticket].declinedBy.isEmpty { requirements[owner].declinedWaiting += 1 }
        if tickets[ticket].role == .hila { hilaWaiting += 1 }
        queueHeads[Int(owner.slot)] = requirements[owner].queue.headOrder
        setState(ticket, .waiting(queueKey: key))
    }

    /// Takes a waiting ticket out of its queue; it is then in transit.
    mutating func dequeue(_ ticket: TicketHandle) {
        guard case .waiting(let key) = tickets[ticket].state else { preconditionFailure("dequeue of a ticket not waiting") }
        let owner = queueOwner(of: ticket)
        requirements[owner].queue.remove(priority: tickets[ticket].priority, key: key)
        if !tickets[ticket].declinedBy.isEmpty { requirements[owner].declinedWaiting -= 1 }
        if tickets[ticket].role == .hila { hilaWaiting -= 1 }
        queueHeads[Int(owner.slot)] = requirements[owner].queue.headOrder
        setState(ticket, .inTransit)
    }

    /// Takes an offered or accepted ticket from its worker; it is then in transit.
    /// Returns the worker, whose load just dropped.
    ///
    /// The one place a holder's loss of a ticket is journaled: `releasedBecause` is the
    /// `released` record's reason; nil when the ticket's next record says why it left
    /// (ANSWER and live ACCEPT finish it, TRANSFER moves it) or when undoing a batch that
    /// did not commit.
    @discardableResult
    mutating func takeFromHolder(
        _ ticket: TicketHandle, releasedBecause reason: ReleaseReason?, note: String? = nil, now: Timestamp
    ) -> WorkerHandle {
        guard let worker = tickets[ticket].state.holder else { preconditionFailure("ticket has no holder") }
        guard let index = workers[worker].held.firstIndex(of: ticket) else {
            preconditionFailure("holder does not list the ticket")
        }
        workers[worker].held.remove(at: index)
        release(ticket, from: worker, because: reason, note: note, now: now)
        markDirty(worker)
        return worker
    }

    /// The ticket's side of leaving its holder (the caller updates the worker's `held`):
    /// journaled with `reason` if given, hold timer cancelled, in transit.
    mutating func release(
        _ ticket: TicketHandle, from worker: WorkerHandle, because reason: ReleaseReason?, note: String?, now: Timestamp
    ) {
        if let reason { record(.released(reference(ticket), worker: workers[worker].name, reason: reason, note: note, at: now)) }
        disarm(ticket, .hold)
        setState(ticket, .inTransit)
    }

    /// Takes an open ticket out of wherever it is. Returns the worker that held it, if any;
    /// `releasedBecause` as for `takeFromHolder`.
    mutating func detach(_ ticket: TicketHandle, releasedBecause reason: ReleaseReason?, now: Timestamp) -> WorkerHandle? {
        switch tickets[ticket].state {
        case .waiting:
            dequeue(ticket)
            return nil
        case .offered, .accepted:
            return takeFromHolder(ticket, releasedBecause: reason, now: now)
        case .reserved:
            releaseReservation(ticket)
            return nil
        case .inTransit:
            return nil
        case .finished:
            preconditionFailure("detaching a finished ticket")
        }
    }

    /// Moves future replies of a ticket to `connection` (ASK or RESUME from it).
    mutating func redirectReplies(of ticket: TicketHandle, to connection: ConnectionID) {
        let previous = tickets[ticket].replyTo
        guard previous != connection else { return }
        if tickets[ticket].state.isOpen {
            decrementOpen(previous)
            openByConnection[connection, default: 0] += 1
        }
        tickets[ticket].replyTo = connection
    }

    mutating func decrementOpen(_ connection: ConnectionID) {
        // One lookup (a read then a write hashed the connection twice, on every finish).
        guard let index = openByConnection.index(forKey: connection) else { return }
        let left = openByConnection.values[index] - 1
        if left > 0 { openByConnection.values[index] = left } else { openByConnection.remove(at: index) }
    }

    /// Ends a ticket in transit with its one final outcome, sent to `connection` (its reply
    /// connection, or the one that sent CANCEL). The ticket is then retained for replays.
    mutating func finish(_ ticket: TicketHandle, _ outcome: TicketOutcome, notifying connection: ConnectionID, now: Timestamp) {
        precondition(tickets[ticket].state == .inTransit, "finish a ticket taken out of its place first")
        setState(ticket, .finished(outcome, at: now))
        tickets[ticket].finalOutcomes += 1
        if case .answered = outcome {
            record(.finished(reference(ticket), outcome.journal, at: now), body: .answer(ticket))
        } else {
            record(.finished(reference(ticket), outcome.journal, at: now))
        }
        switch outcome {
        case .answered: counters.answered += 1
        case .takenOver: counters.takenOver += 1
        case .cancelled: counters.cancelled += 1
        case .expired: counters.expired += 1
        }
        sendOutcome(of: ticket, to: connection)
        releaseRequirement(tickets[ticket].requirement)
        decrementOpen(tickets[ticket].replyTo)
        openTickets -= 1
        disarm(ticket, .deadline)
        disarm(ticket, .maxWait)
        disarm(ticket, .hold)
        emissions.append(.forgetAskBody(ticket))
        retained.append((ticket, now))
        while retained.count > max(0, configuration.maxRetainedTickets) { pruneOldestRetained() }
    }

    /// Sends a finished ticket's outcome (first time, or again for RESUME, ASK, CANCEL).
    mutating func sendOutcome(of ticket: TicketHandle, to connection: ConnectionID) {
        guard case .finished(let outcome, _) = tickets[ticket].state else { preconditionFailure("no outcome yet") }
        let id = tickets[ticket].id
        switch outcome {
        case .answered(let answered): send(.answered(answered), to: connection, body: .answer(ticket))
        case .takenOver(let worker): send(.assigned(Assigned(ticket: id, worker: worker, role: .live)), to: connection)
        case .cancelled: send(.cancelled(ticket: id), to: connection)
        case .expired: send(.expired(ticket: id), to: connection)
        }
    }

    /// Sends where an open ticket stands (RESUME, repeated ASK): TRANSFERRED first if it was
    /// moved to the live queue, then QUEUED with its stage and position; or its outcome.
    mutating func sendState(of ticket: TicketHandle, to connection: ConnectionID) {
        let record = tickets[ticket]
        let position: Int
        switch record.state {
        case .finished:
            sendOutcome(of: ticket, to: connection)
            return
        case .waiting(let key):
            position = requirements[queueOwner(of: ticket)].queue.position(priority: record.priority, key: key)
        case .offered, .accepted, .reserved:
            position = 0
        case .inTransit:
            preconditionFailure("a ticket is never in transit between events")
        }
        if record.role == .live, let reason = record.liveReason, reason != .requested {
            send(.transferred(Transferred(ticket: record.id, reason: reason, note: record.note)), to: connection)
        }
        let stage = record.state.stage ?? .waiting
        send(.queued(Queued(ticket: record.id, role: record.role, stage: stage, position: position)), to: connection)
    }

    /// Forgets finished tickets whose retention ran out.
    mutating func pruneRetained(now: Timestamp) {
        let retention = Int64(max(0, configuration.retentionMilliseconds))
        while let first = retained.first, first.finishedAt.advanced(by: retention) <= now {
            pruneOldestRetained()
        }
    }

    mutating func pruneOldestRetained() {
        let ticket = retained.removeFirst().ticket
        record(.pruned(reference(ticket)))
        ticketsByID[tickets[ticket].id] = nil
        counters.retained -= 1
        tickets.remove(ticket)
        emissions.append(.forgetBodies(ticket))
    }

    /// REVOKE to the worker that held the ticket (`takeFromHolder` journaled the release).
    mutating func revoke(_ ticket: TicketHandle, from worker: WorkerHandle, reason: RevokeReason) {
        counters.revoked += 1
        send(.revoke(ticket: tickets[ticket].id, reason: reason), to: workers[worker].connection)
    }
}
