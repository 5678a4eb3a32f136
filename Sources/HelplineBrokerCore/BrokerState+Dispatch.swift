import HelplineWire

/// 1-HLP.md §Dispatch: who gets which ticket. One verb family: a ticket is dispatched on
/// arrival (ASK, transfer), on return from a worker (decline, death, timeouts), and a freed
/// worker is dispatched waiting tickets; `offer` sends the ASSIGN in every case.
extension BrokerState {
    /// 1-HLP.md [R20], [R21], [R50].
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

    /// 1-HLP.md [R25].
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

    /// 1-HLP.md [R23], [R56].
    /// Places a ticket arriving in a queue (ASK, transfer): QUEUED to its client first (the
    /// acknowledgment), then ASSIGN if a worker is free, else it waits at the back.
    mutating func dispatchOnArrival(_ ticket: TicketHandle, now: Timestamp) {
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

    /// 1-HLP.md [R26], [R41], [R43], [R45].
    /// Re-dispatches tickets taken back (decline, dead worker, accept timeout, lease,
    /// re-registration) at once, best first; those no worker can take now wait at the
    /// front of their priority, in their original order. A HILA ticket no alive HILA could
    /// serve any more goes to the live queue (hila-lost).
    mutating func dispatchOnReturn(_ batch: [TicketHandle], now: Timestamp) {
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

    /// 1-HLP.md [R24].
    /// A worker with room takes waiting tickets it may serve, highest priority and oldest
    /// first, until it is full or nothing fits.
    mutating func dispatchToFreed(_ worker: WorkerHandle, now: Timestamp) {
        while workers.contains(worker), workers[worker].isAvailable, let ticket = bestWaitingTicket(for: worker) {
            dequeue(ticket)
            offer(ticket, to: worker, now: now)
        }
    }

    /// 1-HLP.md [R22], [R24], [R26].
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
