import HelplineWire

extension BrokerState {
    /// The tickets a failed batch acknowledged: those it created (`asked`) and older ones it
    /// transferred or finished. Their sends must not go out.
    func acknowledgedTickets(in records: [JournalRecord]) -> (created: Set<TicketReference>, changed: Set<TicketReference>) {
        var created: Set<TicketReference> = []
        var changed: Set<TicketReference> = []
        for record in records where record.acknowledges {
            if case .asked(let ticket, _, _, _, _, _) = record { created.insert(ticket) } else { changed.insert(record.ticket) }
        }
        return (created, changed.subtracting(created))
    }

    /// Undoes what a batch whose commit failed acknowledged, and marks the journal
    /// unwritable. Tickets it created are forgotten and every connection it told about them
    /// gets ERROR 503 (nothing accepted, retry later). Older tickets it transferred or
    /// finished are open again in their HILA queue or their live queue and re-dispatched from
    /// the front; the worker whose ANSWER, TRANSFER or ACCEPT (live) it was gets ERROR 503,
    /// and so does a client whose CANCEL it was. Informational records need no undoing.
    ///
    /// `told` lists, per ticket id, the client connections the batch's dropped sends were for.
    /// O(retained tickets) for a finished ticket (the retention list is filtered): this is
    /// the rare path of a disk that filled up.
    mutating func compensate(failed records: [JournalRecord], told: [String: [ConnectionID]], now: Timestamp) {
        let now = advance(to: now)
        journalUnwritable = true
        let (created, changed) = acknowledgedTickets(in: records)
        var freed: [WorkerHandle] = []
        for ticket in created.sorted(by: { $0.sequence < $1.sequence }) {
            guard let handle = ticketsByID[ticket.id], tickets[handle].sequence == ticket.sequence else { continue }
            let replyTo = tickets[handle].replyTo
            if let holder = forget(handle) { freed.append(holder) }
            for connection in told[ticket.id] ?? [replyTo] {
                refuseClient(connection, .unavailable, Self.unwritableText, ticket: ticket.id, command: .ask)
            }
        }
        for ticket in changed.sorted(by: { $0.sequence < $1.sequence }) {
            guard let handle = ticketsByID[ticket.id], tickets[handle].sequence == ticket.sequence else { continue }
            reopen(handle, told: told[ticket.id] ?? [], records: records, freed: &freed, now: now)
        }
        for worker in freed where workers.contains(worker) { dispatchToFreed(worker, now: now) }
        flushDirtyWorkers()
    }

    /// Opens again a ticket whose transfer or outcome did not commit, tells whoever caused
    /// it that nothing was accepted, and re-dispatches it from the front of its queue.
    private mutating func reopen(
        _ ticket: TicketHandle, told: [ConnectionID], records: [JournalRecord], freed: inout [WorkerHandle], now: Timestamp
    ) {
        let id = tickets[ticket].id
        var transferredBy: String??
        for record in records {
            if case .transferred(let reference, _, _, let worker, _) = record, reference.id == id { transferredBy = .some(worker) }
        }
        if case .finished(let outcome, _) = tickets[ticket].state {
            unfinish(ticket, now: now)
            switch outcome {
            case .answered(let answered): refuseWorker(named: answered.worker, .answer, ticket: id)
            case .takenOver(let worker): refuseWorker(named: worker, .accept, ticket: id)
            case .cancelled:
                for connection in told { refuseClient(connection, .unavailable, Self.unwritableText, ticket: id, command: .cancel) }
            case .expired: break
            }
        } else if let holder = detach(ticket, releasedBecause: nil, now: now) {
            freed.append(holder)
        }
        if let transferredBy {
            untransfer(ticket, now: now)
            if let worker = transferredBy { refuseWorker(named: worker, .transfer, ticket: id) }
        }
        dispatchOnReturn([ticket], now: now)
    }

    private mutating func refuseWorker(named name: String, _ command: Command, ticket: String) {
        guard let worker = workersByName[name] else { return }
        refuseWorker(workers[worker].connection, .unavailable, Self.unwritableText, ticket: ticket, command: command)
    }

    /// Removes a ticket as if its ASK had never come. Returns the worker it was offered to.
    private mutating func forget(_ ticket: TicketHandle) -> WorkerHandle? {
        var holder: WorkerHandle?
        if case .finished = tickets[ticket].state {
            retained.retainAll { $0.ticket != ticket }
            setState(ticket, .inTransit)
        } else {
            holder = detach(ticket, releasedBecause: nil, now: clock)
            releaseRequirement(tickets[ticket].requirement)
            openTickets -= 1
            decrementOpen(tickets[ticket].replyTo)
            disarm(ticket, .deadline)
            disarm(ticket, .maxWait)
            disarm(ticket, .hold)
        }
        counters.asked -= 1
        ticketsByID[tickets[ticket].id] = nil
        tickets.remove(ticket)
        emissions.append(.forgetBodies(ticket))
        return holder
    }

    /// Turns a finished ticket back into an open one in transit, with its timers: a
    /// deadline or max wait already past is tried again after the retry interval.
    private mutating func unfinish(_ ticket: TicketHandle, now: Timestamp) {
        guard case .finished(let outcome, _) = tickets[ticket].state else { preconditionFailure("not finished") }
        retained.retainAll { $0.ticket != ticket }
        setState(ticket, .inTransit)
        tickets[ticket].finalOutcomes = 0
        switch outcome {
        case .answered: counters.answered -= 1
        case .takenOver: counters.takenOver -= 1
        case .cancelled: counters.cancelled -= 1
        case .expired: counters.expired -= 1
        }
        // The requirement was released when it finished and may have been freed since.
        guard let requirement = internRequirement(role: tickets[ticket].role, skillNames: tickets[ticket].ask.skills) else {
            preconditionFailure("the ticket's skills are still interned")
        }
        tickets[ticket].requirement = requirement
        retainRequirement(requirement)
        openTickets += 1
        openByConnection[tickets[ticket].replyTo, default: 0] += 1
        let retry = now.advanced(by: configuration.effectiveJournalRetry)
        let deadline = tickets[ticket].deadline
        tickets[ticket].deadlineTimer = arm(.deadline, target: ticket.slot, due: deadline > now ? deadline : retry)
        armMaxWaitAgain(ticket, now: now)
    }

    /// Moves a ticket in transit back from the live queue to its HILA queue.
    private mutating func untransfer(_ ticket: TicketHandle, now: Timestamp) {
        guard let hila = internRequirement(role: .hila, skillNames: tickets[ticket].ask.skills) else {
            preconditionFailure("the ticket's skills are interned by its live requirement")
        }
        retainRequirement(hila)
        releaseRequirement(tickets[ticket].requirement)
        tickets[ticket].requirement = hila
        tickets[ticket].role = .hila
        tickets[ticket].liveReason = nil
        tickets[ticket].note = nil
        counters.transferred -= 1
        armMaxWaitAgain(ticket, now: now)
    }

    private mutating func armMaxWaitAgain(_ ticket: TicketHandle, now: Timestamp) {
        disarm(ticket, .maxWait)
        guard tickets[ticket].role == .hila, !tickets[ticket].acceptedByHILA else { return }
        let due = tickets[ticket].askedAt.advanced(by: Int64(tickets[ticket].ask.maxWaitMilliseconds))
        let retry = now.advanced(by: configuration.effectiveJournalRetry)
        tickets[ticket].maxWaitTimer = arm(.maxWait, target: ticket.slot, due: due > now ? due : retry)
    }
}
