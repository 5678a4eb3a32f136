import HelplineWire

extension BrokerState {
    /// When `tick` next has work; `nil` = none.
    @usableFromInline
    var nextTimer: Timestamp? {
        var next = timers.first.map { Timestamp(milliseconds: $0.due) }
        if let grace = restoration.graceUntil { next = min(next ?? grace, grace) }
        if let oldest = retained.first {
            let due = oldest.finishedAt.advanced(by: Int64(max(0, configuration.retentionMilliseconds)))
            next = min(next ?? due, due)
        }
        return next
    }

    /// Fires every timer due at or before `now`, in (due, arming) order, then prunes
    /// finished tickets whose retention ran out.
    @usableFromInline
    mutating func tick(now: Timestamp) {
        let now = advance(to: now)
        while let first = timers.first, first.due <= now.milliseconds {
            _ = timers.popFirst()
            guard isArmed(first) else { continue }
            armedTimers -= 1
            fire(first, now: now)
        }
        if let grace = restoration.graceUntil, grace <= now { endRestoreGrace(now: now) }
        pruneRetained(now: now)
        flushDirtyWorkers()
    }

    /// Arms a timer and returns its token, to be stored in the record it belongs to.
    mutating func arm(_ kind: TimerHeap.Kind, target: Int32, due: Timestamp) -> UInt64 {
        let token = takeToken()
        timers.push(TimerHeap.Entry(due: due.milliseconds, token: token, kind: kind, target: target))
        armedTimers += 1
        // Cancelled timers stay in the heap until due; compact when they dominate so the
        // heap's memory follows the armed timers, not the traffic.
        if timers.count > 2 * armedTimers + 1024 {
            var heap = timers
            timers = TimerHeap()
            heap.compact { isArmed($0) }
            timers = heap
        }
        return token
    }

    /// Which of a ticket's timers.
    enum TicketTimer {
        case deadline, maxWait, hold
    }

    /// Cancels one of a ticket's timers (a no-op if none is armed).
    mutating func disarm(_ ticket: TicketHandle, _ timer: TicketTimer) {
        let token: UInt64
        switch timer {
        case .deadline:
            token = tickets[ticket].deadlineTimer
            tickets[ticket].deadlineTimer = 0
        case .maxWait:
            token = tickets[ticket].maxWaitTimer
            tickets[ticket].maxWaitTimer = 0
        case .hold:
            token = tickets[ticket].holdTimer
            tickets[ticket].holdTimer = 0
        }
        if token != 0 { armedTimers -= 1 }
    }

    /// Whether a heap entry is still the armed timer of its record.
    func isArmed(_ entry: TimerHeap.Entry) -> Bool {
        switch entry.kind {
        case .heartbeat:
            let worker = WorkerHandle(slot: entry.target)
            return workers.contains(worker) && workers[worker].heartbeat.timer == entry.token
        case .deadline, .maxWait, .acceptTimeout, .lease:
            let ticket = TicketHandle(slot: entry.target)
            guard tickets.contains(ticket) else { return false }
            switch entry.kind {
            case .deadline: return tickets[ticket].deadlineTimer == entry.token
            case .maxWait: return tickets[ticket].maxWaitTimer == entry.token
            default: return tickets[ticket].holdTimer == entry.token
            }
        }
    }

    private mutating func fire(_ entry: TimerHeap.Entry, now: Timestamp) {
        switch entry.kind {
        case .heartbeat:
            let worker = WorkerHandle(slot: entry.target)
            workers[worker].heartbeat.timer = 0
            heartbeatDue(worker, now: now)
        case .deadline:
            let ticket = TicketHandle(slot: entry.target)
            tickets[ticket].deadlineTimer = 0
            expire(ticket, now: now)
        case .maxWait:
            let ticket = TicketHandle(slot: entry.target)
            tickets[ticket].maxWaitTimer = 0
            maxWaitElapsed(ticket, now: now)
        case .acceptTimeout:
            let ticket = TicketHandle(slot: entry.target)
            tickets[ticket].holdTimer = 0
            acceptTimedOut(ticket, now: now)
        case .lease:
            let ticket = TicketHandle(slot: entry.target)
            tickets[ticket].holdTimer = 0
            leaseExpired(ticket, now: now)
        }
    }

    /// Arms a worker's one timer at its next heartbeat or its death, whichever comes first.
    mutating func armHeartbeat(of worker: WorkerHandle) {
        let schedule = workers[worker].heartbeat
        let death = schedule.lastSeen.advanced(by: schedule.intervalMilliseconds * Int64(configuration.effectiveLiveness))
        workers[worker].heartbeat.timer = arm(.heartbeat, target: worker.slot, due: min(schedule.nextSend, death))
    }

    /// Silent for liveness × interval: dead, its tickets re-dispatched. Otherwise send the
    /// HEARTBEAT that is due and re-arm: messages only moved `lastSeen`, never the heap.
    private mutating func heartbeatDue(_ worker: WorkerHandle, now: Timestamp) {
        let schedule = workers[worker].heartbeat
        let death = schedule.lastSeen.advanced(by: schedule.intervalMilliseconds * Int64(configuration.effectiveLiveness))
        if now >= death {
            counters.deadWorkers += 1
            unregister(worker, now: now)
            return
        }
        if now >= schedule.nextSend {
            send(WorkerDirective.heartbeat, to: workers[worker].connection)
            workers[worker].heartbeat.nextSend = now.advanced(by: schedule.intervalMilliseconds)
        }
        armHeartbeat(of: worker)
    }

    /// Deadline: EXPIRED to the client, REVOKE (expired) to a holder. Applies in every open state.
    private mutating func expire(_ ticket: TicketHandle, now: Timestamp) {
        if deferWhileUnwritable(ticket, .deadline, now: now) { return }
        let holder = detach(ticket)
        if let holder { revoke(ticket, from: holder, reason: .expired) }
        finish(ticket, .expired, notifying: tickets[ticket].replyTo, now: now)
        if let holder { refill(holder, now: now) }
    }

    /// Max wait: a HILA ticket no HILA accepted in time goes to the live queue; an offer
    /// pending is revoked (max-wait).
    private mutating func maxWaitElapsed(_ ticket: TicketHandle, now: Timestamp) {
        // Disarmed on accept and on transfer, so the ticket still waits for a HILA.
        precondition(tickets[ticket].role == .hila && !tickets[ticket].acceptedByHILA, "max wait of a ticket a HILA took")
        if deferWhileUnwritable(ticket, .maxWait, now: now) { return }
        let holder = detach(ticket)
        if let holder { revoke(ticket, from: holder, reason: .maxWait) }
        transfer(ticket, reason: .maxWait, note: nil, now: now)
        if let holder { refill(holder, now: now) }
    }

    /// Accept timeout: REVOKE, the worker is set away (the human is not there), and the
    /// ticket is re-dispatched from the front of its priority.
    private mutating func acceptTimedOut(_ ticket: TicketHandle, now: Timestamp) {
        let holder = takeFromHolder(ticket)
        revoke(ticket, from: holder, reason: .acceptTimeout)
        workers[holder].presence = .away(.missedOffer(heartbeatSeen: false))
        markDirty(holder)
        reoffer([ticket], now: now)
    }

    /// Lease ran out without ANSWER or EXTEND: REVOKE, re-dispatch.
    private mutating func leaseExpired(_ ticket: TicketHandle, now: Timestamp) {
        let holder = takeFromHolder(ticket)
        revoke(ticket, from: holder, reason: .leaseExpired)
        reoffer([ticket], now: now)
        refill(holder, now: now)
    }

    private mutating func revoke(_ ticket: TicketHandle, from worker: WorkerHandle, reason: RevokeReason) {
        counters.revoked += 1
        record(.released(reference(ticket), worker: workers[worker].name, reason: ReleaseReason(reason), note: nil, at: clock))
        send(.revoke(ticket: tickets[ticket].id, reason: reason), to: workers[worker].connection)
    }
}

extension ReleaseReason {
    /// The journal's reason for a REVOKE.
    init(_ reason: RevokeReason) {
        switch reason {
        case .cancelled: self = .cancelled
        case .acceptTimeout: self = .acceptTimeout
        case .maxWait: self = .maxWait
        case .expired: self = .expired
        case .leaseExpired: self = .leaseExpired
        }
    }
}
