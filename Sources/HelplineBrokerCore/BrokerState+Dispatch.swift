import HelplineWire

extension BrokerState {
    /// The best available worker for a ticket, never one that declined it: the top of its
    /// requirement's heap (O(1) amortised, see `+Membership`); for a live ticket without a
    /// skilled live agent free, the top of the any-live-agent heap.
    mutating func bestWorker(for ticket: TicketHandle) -> WorkerHandle? {
        flushDirtyWorkers()
        let requirement = tickets[ticket].requirement
        if let worker = bestWorker(in: requirement, for: ticket) { return worker }
        if tickets[ticket].role == .live, requirement != liveAny { return bestWorker(in: liveAny, for: ticket) }
        return nil
    }

    /// Offers a ticket in transit to a worker: ASSIGN with the client's body, accept timer.
    mutating func offer(_ ticket: TicketHandle, to worker: WorkerHandle, now: Timestamp) {
        tickets[ticket].attempts += 1
        record(.offered(reference(ticket), worker: workers[worker].name, attempt: tickets[ticket].attempts, at: now))
        setState(ticket, .offered(to: worker, since: now))
        workers[worker].held.append(ticket)
        workers[worker].lastAssigned = nextAssignment
        nextAssignment += 1
        markDirty(worker)
        let acceptTimeout = configuration.effectiveAcceptTimeout
        let token = arm(.acceptTimeout, target: ticket.slot, due: now.advanced(by: acceptTimeout))
        tickets[ticket].holdTimer = token
        let askedAt = tickets[ticket].askedAt
        let role = tickets[ticket].role
        let assign = Assign(
            ticket: tickets[ticket].id, role: role, skills: tickets[ticket].ask.skills, priority: tickets[ticket].priority,
            options: tickets[ticket].ask.options, ageMilliseconds: Int(now.milliseconds(since: askedAt)),
            acceptTimeoutMilliseconds: Int(acceptTimeout),
            deadlineMilliseconds: Int(max(0, tickets[ticket].deadline.milliseconds(since: now))),
            attempt: tickets[ticket].attempts, transferReason: role == .live ? tickets[ticket].liveReason : nil,
            note: tickets[ticket].note)
        send(.assign(assign), to: workers[worker].connection, body: .ask(ticket))
    }

    /// Places a ticket arriving in a queue (ASK, transfer): QUEUED to its client first (the
    /// acknowledgment), then ASSIGN if a worker is free, else it waits at the back.
    mutating func place(_ ticket: TicketHandle, now: Timestamp) {
        let id = tickets[ticket].id
        let role = tickets[ticket].role
        let replyTo = tickets[ticket].replyTo
        if let worker = bestWorker(for: ticket) {
            send(.queued(Queued(ticket: id, role: role, stage: .offered, position: 0)), to: replyTo)
            offer(ticket, to: worker, now: now)
        } else {
            let position = requirements[queueOwner(of: ticket)].queue.countAhead(ofNew: tickets[ticket].priority)
            enqueue(ticket, atFront: false)
            send(.queued(Queued(ticket: id, role: role, stage: .waiting, position: position)), to: replyTo)
        }
    }

    /// Re-dispatches tickets taken back (decline, dead worker, accept timeout, lease,
    /// re-registration) at once, best first; those no worker can take now wait at the
    /// front of their priority, in their original order. A HILA ticket no alive HILA could
    /// serve any more goes to the live queue (hila-lost).
    mutating func reoffer(_ batch: [TicketHandle], now: Timestamp) {
        let ordered = batch.sorted { tickets[$0].servedBefore(tickets[$1]) }
        var unplaced: [TicketHandle] = []
        for ticket in ordered {
            rearmMaxWaitIfDue(ticket, now: now)
            if tickets[ticket].role == .hila, !couldEverBeServed(ticket) {
                transfer(ticket, reason: .hilaLost, note: nil, now: now)
            } else if let worker = bestWorker(for: ticket) {
                offer(ticket, to: worker, now: now)
            } else if maxWaitPassed(ticket, now: now) {
                transfer(ticket, reason: .maxWait, note: nil, now: now)
            } else {
                unplaced.append(ticket)
            }
        }
        for ticket in unplaced.reversed() { enqueue(ticket, atFront: true) }
    }

    /// A HILA ticket back from the HILA that had accepted it, before its `max_wait` has
    /// passed, waits for a HILA again under its max-wait timer (max_wait runs from ASK,
    /// and counts while the ticket is waiting or offered).
    private mutating func rearmMaxWaitIfDue(_ ticket: TicketHandle, now: Timestamp) {
        guard tickets[ticket].role == .hila, tickets[ticket].acceptedByHILA else { return }
        let due = tickets[ticket].askedAt.advanced(by: Int64(tickets[ticket].ask.maxWaitMilliseconds))
        guard now < due else { return }
        tickets[ticket].acceptedByHILA = false
        tickets[ticket].maxWaitTimer = arm(.maxWait, target: ticket.slot, due: due)
    }

    /// A HILA ticket back from the HILA that had accepted it (decline, lease, holder lost)
    /// after its `max_wait`: with no eligible HILA at once it goes to live agents (reroute
    /// rule max-wait). One never accepted still has its max-wait timer, which decides; and
    /// while the journal is unwritable the transfer waits like every other.
    private func maxWaitPassed(_ ticket: TicketHandle, now: Timestamp) -> Bool {
        guard tickets[ticket].role == .hila, tickets[ticket].acceptedByHILA, !journalUnwritable else { return false }
        return now >= tickets[ticket].askedAt.advanced(by: Int64(tickets[ticket].ask.maxWaitMilliseconds))
    }

    /// Whether an alive HILA that did not decline it could serve the ticket, whatever its
    /// presence and load (reroute rules 1 and 4).
    func couldEverBeServed(_ ticket: TicketHandle) -> Bool {
        if reroutesSuspended { return true }
        let requirement = tickets[ticket].requirement
        var capable = requirements[requirement].capable
        for name in tickets[ticket].declinedBy {
            guard let worker = workersByName[name], workers[worker].role == requirements[requirement].role else { continue }
            if classes[workers[worker].workerClass].skills.isSuperset(of: requirements[requirement].skills) { capable -= 1 }
        }
        return capable > 0
    }

    /// Moves a HILA ticket in transit to the live queue: TRANSFERRED to its client, then
    /// placed like a new live ticket (QUEUED, and ASSIGN if a live agent is free).
    ///
    /// A ticket transferred on arrival (`atArrival`, reason no-hila) is acknowledged first:
    /// QUEUED (role live) is the ASK's acknowledgment and precedes every other command about
    /// the ticket; later transfers announce TRANSFERRED before the new QUEUED. `worker` is
    /// the HILA that sent TRANSFER, for the journal.
    mutating func transfer(
        _ ticket: TicketHandle, reason: TransferReason, note: String?, by worker: String? = nil, atArrival: Bool = false,
        now: Timestamp
    ) {
        precondition(tickets[ticket].state == .inTransit && tickets[ticket].role == .hila, "transfer a HILA ticket in transit")
        guard let live = internRequirement(role: .live, skillNames: tickets[ticket].ask.skills) else {
            preconditionFailure("the ticket's skills are interned by its HILA requirement")
        }
        retainRequirement(live)
        releaseRequirement(tickets[ticket].requirement)
        tickets[ticket].requirement = live
        tickets[ticket].role = .live
        tickets[ticket].liveReason = reason
        tickets[ticket].note = note
        disarm(ticket, .maxWait)
        counters.transferred += 1
        record(.transferred(reference(ticket), reason: reason, note: note, worker: worker, at: now))
        let transferred = ClientReply.transferred(Transferred(ticket: tickets[ticket].id, reason: reason, note: note))
        let replyTo = tickets[ticket].replyTo
        if atArrival {
            place(ticket, now: now)
            send(transferred, to: replyTo)
        } else {
            send(transferred, to: replyTo)
            place(ticket, now: now)
        }
    }

    /// Moves waiting HILA tickets that no alive HILA could serve any more (the last capable
    /// one left, or the rest declined them) to the live queue, in serving order.
    mutating func transferUnservable(in affected: [RequirementID], now: Timestamp) {
        var unservable: [TicketHandle] = []
        for requirement in affected where requirements[requirement].role == .hila {
            unservable += requirements[requirement].queue.tickets.filter { !couldEverBeServed($0) }
        }
        for ticket in unservable.sorted(by: { tickets[$0].servedBefore(tickets[$1]) }) {
            dequeue(ticket)
            transfer(ticket, reason: .hilaLost, note: nil, now: now)
        }
    }

    /// A worker with room takes waiting tickets it may serve, highest priority and oldest
    /// first, until it is full or nothing fits.
    mutating func refill(_ worker: WorkerHandle, now: Timestamp) {
        while workers.contains(worker), workers[worker].isAvailable, let ticket = bestWaitingTicket(for: worker) {
            dequeue(ticket)
            offer(ticket, to: worker, now: now)
        }
    }

    /// The waiting ticket a worker should take next. A HILA compares the queue heads of the
    /// requirements its class covers (a dense array read per requirement, no queue touched);
    /// only if it declined the winner does it walk the queues.
    func bestWaitingTicket(for worker: WorkerHandle) -> TicketHandle? {
        let name = workers[worker].name
        if workers[worker].role == .live {
            return requirements[liveAny].queue.first(where: { !tickets[$0].declinedBy.contains(name) })?.ticket
        }
        guard hilaWaiting > 0 else { return nil }
        let covered = classes[workers[worker].workerClass].covered
        var bestOrder = UInt64.max
        var bestRequirement: RequirementID?
        for requirement in covered {
            let order = queueHeads[Int(requirement.slot)]
            if order < bestOrder {
                bestOrder = order
                bestRequirement = requirement
            }
        }
        guard let requirement = bestRequirement, let head = requirements[requirement].queue.head else { return nil }
        if !tickets[head].declinedBy.contains(name) { return head }
        var best: (ticket: TicketHandle, order: UInt64)?
        for requirement in covered where queueHeads[Int(requirement.slot)] != .max {
            let eligible = requirements[requirement].queue.first(where: { !tickets[$0].declinedBy.contains(name) })
            guard let candidate = eligible else { continue }
            let order = TicketQueue.serveOrder(priority: candidate.priority, key: candidate.key)
            if order < best?.order ?? .max { best = (candidate.ticket, order) }
        }
        return best?.ticket
    }
}
