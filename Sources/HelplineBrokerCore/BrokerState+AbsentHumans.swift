import HelplineWire

/// 1-HLP.md §Absent humans: what happens when a console dies (missed heartbeats, DISCONNECT,
/// a dropped connection, a READY that no longer lists a ticket), when an offer is not
/// accepted in time, when a human is away, and when a lease runs out. Every one of them
/// takes tickets back from a worker and re-dispatches them at once (`+Dispatch`); a HILA
/// ticket no HILA is left for moves to live agents (`+Reroute`).
extension BrokerState {
    /// 1-HLP.md [R42] Dropped connection.
    /// The transport saw the connection drop: a worker on it is dead now. Tickets of a
    /// client on it stay open: the client may reconnect and RESUME.
    @usableFromInline
    mutating func connectionClosed(_ connection: ConnectionID, now: Timestamp) {
        let now = advance(to: now)
        if let worker = workersByConnection[connection] {
            counters.deadWorkers += 1
            unregister(worker, now: now)
        }
        flushDirtyWorkers()
    }

    /// 1-HLP.md [R41] Dead console.
    /// A worker leaves (DISCONNECT, silence, dropped connection, replaced by another name on
    /// its connection): it is forgotten and every ticket it held is re-dispatched at once.
    mutating func unregister(_ worker: WorkerHandle, now: Timestamp) {
        let record = workers[worker]
        workersByName[record.name] = nil
        workersByConnection[record.connection] = nil
        for ticket in record.held { release(ticket, from: worker, because: .holderLost, note: nil, now: now) }
        workers[worker].held = []
        let affected = leaveClass(worker)
        if record.heartbeat.timer != 0 { armedTimers -= 1 }
        workers.remove(worker)
        dispatchOnReturn(record.held, now: now)
        transferUnservable(in: affected, now: now)
    }

    /// 1-HLP.md [R44] Away (and [R43]: the first HEARTBEAT after REVOKE accept-timeout).
    mutating func setPresence(of worker: WorkerHandle, _ presence: Presence, now: Timestamp) {
        switch presence {
        case .active:
            guard workers[worker].presence != .active else { return }
            if workers[worker].presence == .away(.missedOffer(heartbeatSeen: false)) {
                // The first HEARTBEAT after REVOKE accept-timeout may have been sent before
                // the console saw it (Absent humans): it does not end the away.
                workers[worker].presence = .away(.missedOffer(heartbeatSeen: true))
                return
            }
            workers[worker].presence = .active
            markDirty(worker)
            dispatchToFreed(worker, now: now)
        case .away:
            workers[worker].presence = .away(.console)
            markDirty(worker)
        }
    }

    /// 1-HLP.md [R43] Accept timeout.
    /// Accept timeout: REVOKE, the worker is set away (the human is not there), and the
    /// ticket is re-dispatched from the front of its priority.
    mutating func acceptTimedOut(_ ticket: TicketHandle, now: Timestamp) {
        let holder = takeFromHolder(ticket, releasedBecause: .acceptTimeout, now: now)
        revoke(ticket, from: holder, reason: .acceptTimeout)
        workers[holder].presence = .away(.missedOffer(heartbeatSeen: false))
        markDirty(holder)
        dispatchOnReturn([ticket], now: now)
    }

    /// 1-HLP.md [R45] Lease.
    /// Lease ran out without ANSWER or EXTEND: REVOKE, re-dispatch.
    mutating func leaseExpired(_ ticket: TicketHandle, now: Timestamp) {
        let holder = takeFromHolder(ticket, releasedBecause: .leaseExpired, now: now)
        revoke(ticket, from: holder, reason: .leaseExpired)
        dispatchOnReturn([ticket], now: now)
        dispatchToFreed(holder, now: now)
    }
}
