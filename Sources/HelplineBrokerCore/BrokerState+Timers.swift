import HelplineWire

/// The timer machinery: arming, cancelling, firing. What a fired timer means lives with its
/// rule: deadlines in `+Deadlines`, max wait in `+Reroute`, accept timeouts and leases in
/// `+AbsentHumans`, heartbeats in `+Heartbeating`.
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
}
