import HelplineWire

/// The HLP/Worker commands after READY (1-HLP.md §Dispatch, the rules for ACCEPT, ANSWER,
/// TRANSFER, DECLINE and EXTEND); READY and DISCONNECT are in `+OpeningAndClosing` and
/// `+AbsentHumans`.
extension BrokerState {
    /// 1-HLP.md [R10], [R11], [R37].
    /// Handles one HLP/Worker command. Returns the ticket an ANSWER finished, so the facade
    /// can store the answer body.
    @usableFromInline
    mutating func receive(_ message: WorkerMessage, from connection: ConnectionID, now: Timestamp) -> TicketHandle? {
        let now = advance(to: now)
        defer { flushDirtyWorkers() }
        if case .ready(let ready) = message {
            self.ready(ready, from: connection, now: now)
            return nil
        }
        guard let worker = workersByConnection[connection] else {
            // A DISCONNECT from a stranger asks for what is already true.
            if case .disconnect = message { return nil }
            // 18/MDP: unknown peers are told to register. After a broker restart this is
            // how consoles learn to send READY (with the tickets they hold).
            counters.errors += 1
            send(.disconnect(reason: "not registered: send READY"), to: connection)
            return nil
        }
        workers[worker].heartbeat.lastSeen = now
        switch message {
        case .ready:
            preconditionFailure("READY handled above")
        case .heartbeat(let presence):
            setPresence(of: worker, presence, now: now)
        case .accept(let id, let lease):
            accept(id, lease: lease, by: worker, now: now)
        case .answer(let answer):
            return self.answer(answer, by: worker, now: now)
        case .transfer(let id, let note):
            transfer(id, note: note, by: worker, now: now)
        case .decline(let id, let reason):
            decline(id, reason: reason, by: worker, now: now)
        case .extend(let id, let lease):
            extend(id, lease: lease, by: worker, now: now)
        case .disconnect:
            unregister(worker, now: now)
        }
        return nil
    }

    /// 1-HLP.md [R27], [R34].
    /// The ticket `id` if `worker` holds it; otherwise ERROR 404 (unknown id) or 403.
    private mutating func heldTicket(_ id: String, by worker: WorkerHandle, command: Command) -> TicketHandle? {
        let connection = workers[worker].connection
        guard let ticket = ticketsByID[id] else {
            refuseWorker(connection, .unknownTicket, "unknown ticket", ticket: id, command: command)
            return nil
        }
        guard tickets[ticket].state.holder == worker else {
            refuseWorker(connection, .forbidden, "ticket not held by this worker", ticket: id, command: command)
            return nil
        }
        return ticket
    }

    /// 1-HLP.md [R28], [R52].
    /// ACCEPT: a HILA starts work (ASSIGNED hila to the client, lease armed if asked); a live
    /// agent takes the conversation over, which ends the ticket (ASSIGNED live).
    private mutating func accept(_ id: String, lease: Int, by worker: WorkerHandle, now: Timestamp) {
        guard let ticket = heldTicket(id, by: worker, command: .accept) else { return }
        guard WireLimits.leaseRangeMilliseconds.contains(lease) else {
            refuseWorker(workers[worker].connection, .invalid, "lease out of range", ticket: id, command: .accept)
            return
        }
        let name = workers[worker].name
        switch tickets[ticket].state {
        case .offered:
            if tickets[ticket].role == .live {
                if refuseWorkerIfUnwritable(workers[worker].connection, ticket: id, command: .accept) { return }
                takeFromHolder(ticket, releasedBecause: nil, now: now)
                finish(ticket, .takenOver(worker: name), notifying: tickets[ticket].replyTo, now: now)
                dispatchToFreed(worker, now: now)
                return
            }
            disarm(ticket, .hold)
            disarm(ticket, .maxWait)
            tickets[ticket].acceptedByHILA = true
            record(.accepted(reference(ticket), worker: name, at: now))
            setState(ticket, .accepted(by: worker, since: now, leaseUntil: nil))
            setLease(of: ticket, milliseconds: lease, now: now)
            send(.assigned(Assigned(ticket: id, worker: name, role: .hila)), to: tickets[ticket].replyTo)
        case .accepted:
            // ACCEPT is valid only on an offered ticket (Dispatch); EXTEND renews a lease.
            refuseWorker(workers[worker].connection, .forbidden, "ticket is already accepted", ticket: id, command: .accept)
        case .waiting, .reserved, .inTransit, .finished:
            preconditionFailure("a held ticket is offered or accepted")
        }
    }

    /// 1-HLP.md [R29], [R30].
    /// ANSWER: ends a HILA ticket (ANSWERED with the worker's body). Allowed on an offered
    /// ticket too: an implicit accept, so bots can answer at once; then no ASSIGNED is sent.
    private mutating func answer(_ answer: Answer, by worker: WorkerHandle, now: Timestamp) -> TicketHandle? {
        guard let ticket = heldTicket(answer.ticket, by: worker, command: .answer) else { return nil }
        let connection = workers[worker].connection
        guard tickets[ticket].role == .hila else {
            refuseWorker(connection, .forbidden, "a live ticket ends on ACCEPT, not ANSWER", ticket: answer.ticket, command: .answer)
            return nil
        }
        if answer.decision == .option {
            guard let option = answer.option, tickets[ticket].ask.options.contains(option) else {
                refuseWorker(connection, .invalid, "option is not one the ticket offered", ticket: answer.ticket, command: .answer)
                return nil
            }
        } else if answer.option != nil {
            refuseWorker(connection, .invalid, "option is only for decision option", ticket: answer.ticket, command: .answer)
            return nil
        }
        if refuseWorkerIfUnwritable(connection, ticket: answer.ticket, command: .answer) { return nil }
        let answered = Answered(
            ticket: answer.ticket, decision: answer.decision, option: answer.option, worker: workers[worker].name,
            elapsedMilliseconds: Int(now.milliseconds(since: tickets[ticket].askedAt)))
        takeFromHolder(ticket, releasedBecause: nil, now: now)
        finish(ticket, .answered(answered), notifying: tickets[ticket].replyTo, now: now)
        dispatchToFreed(worker, now: now)
        return ticket
    }

    /// 1-HLP.md [R31], [R48].
    /// TRANSFER: the HILA hands the ticket to the live queue with a note (reason hila).
    private mutating func transfer(_ id: String, note: String?, by worker: WorkerHandle, now: Timestamp) {
        guard let ticket = heldTicket(id, by: worker, command: .transfer) else { return }
        let connection = workers[worker].connection
        guard tickets[ticket].role == .hila else {
            refuseWorker(connection, .forbidden, "ticket is already with live agents", ticket: id, command: .transfer)
            return
        }
        if let note, note.utf8.count > WireLimits.maxTextBytes {
            refuseWorker(connection, .tooLarge, "note too long", ticket: id, command: .transfer)
            return
        }
        if refuseWorkerIfUnwritable(connection, ticket: id, command: .transfer) { return }
        takeFromHolder(ticket, releasedBecause: nil, now: now)
        transfer(ticket, reason: .hila, note: note, by: workers[worker].name, now: now)
        dispatchToFreed(worker, now: now)
    }

    /// 1-HLP.md [R26], [R32].
    /// DECLINE: the ticket goes back to the front of its priority, never to this worker again.
    private mutating func decline(_ id: String, reason: String?, by worker: WorkerHandle, now: Timestamp) {
        guard let ticket = heldTicket(id, by: worker, command: .decline) else { return }
        takeFromHolder(ticket, releasedBecause: .declined, note: reason, now: now)
        tickets[ticket].declinedBy.append(workers[worker].name)
        dispatchOnReturn([ticket], now: now)
        dispatchToFreed(worker, now: now)
    }

    /// 1-HLP.md [R33], [R45].
    /// EXTEND: renews the explicit lease of an accepted ticket.
    private mutating func extend(_ id: String, lease: Int, by worker: WorkerHandle, now: Timestamp) {
        guard let ticket = heldTicket(id, by: worker, command: .extend) else { return }
        let connection = workers[worker].connection
        guard case .accepted = tickets[ticket].state else {
            refuseWorker(connection, .forbidden, "ACCEPT the ticket before EXTEND", ticket: id, command: .extend)
            return
        }
        guard lease > 0, WireLimits.leaseRangeMilliseconds.contains(lease) else {
            refuseWorker(connection, .invalid, "lease out of range", ticket: id, command: .extend)
            return
        }
        setLease(of: ticket, milliseconds: lease, now: now)
    }

    /// Arms (lease > 0) or clears the lease of an accepted ticket.
    private mutating func setLease(of ticket: TicketHandle, milliseconds lease: Int, now: Timestamp) {
        guard case .accepted(let worker, let since, _) = tickets[ticket].state else { preconditionFailure("lease on an accepted ticket") }
        disarm(ticket, .hold)
        guard lease > 0 else { return }
        let until = now.advanced(by: Int64(lease))
        setState(ticket, .accepted(by: worker, since: since, leaseUntil: until))
        tickets[ticket].holdTimer = arm(.lease, target: ticket.slot, due: until)
    }
}
