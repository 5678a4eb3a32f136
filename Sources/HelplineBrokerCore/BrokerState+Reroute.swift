import HelplineWire

/// 1-HLP.md §Reroute to live agents: a HILA ticket moves to the live queue for one of four
/// reasons (`no-hila` on ASK, `max-wait`, `hila` when its HILA sends TRANSFER, `hila-lost`
/// when no capable HILA remains). Every transfer goes through `transfer(_:reason:...)`.
extension BrokerState {
    /// 1-HLP.md [R47].
    /// A HILA ticket back from the HILA that had accepted it, before its `max_wait` has
    /// passed, waits for a HILA again under its max-wait timer (max_wait runs from ASK,
    /// and counts while the ticket is waiting or offered).
    mutating func rearmMaxWaitIfDue(_ ticket: TicketHandle, now: Timestamp) {
        guard tickets[ticket].role == .hila, tickets[ticket].acceptedByHILA else { return }
        let due = tickets[ticket].askedAt.advanced(by: Int64(tickets[ticket].ask.maxWaitMilliseconds))
        guard now < due else { return }
        tickets[ticket].acceptedByHILA = false
        tickets[ticket].maxWaitTimer = arm(.maxWait, target: ticket.slot, due: due)
    }

    /// 1-HLP.md [R47].
    /// A HILA ticket back from the HILA that had accepted it (decline, lease, holder lost)
    /// after its `max_wait`: with no eligible HILA at once it goes to live agents (reroute
    /// rule max-wait). One never accepted still has its max-wait timer, which decides; and
    /// while the journal is unwritable the transfer waits like every other.
    func maxWaitPassed(_ ticket: TicketHandle, now: Timestamp) -> Bool {
        guard tickets[ticket].role == .hila, tickets[ticket].acceptedByHILA, !journalUnwritable else { return false }
        return now >= tickets[ticket].askedAt.advanced(by: Int64(tickets[ticket].ask.maxWaitMilliseconds))
    }

    /// 1-HLP.md [R46], [R49].
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

    /// 1-HLP.md [R46]–[R49], [R53].
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
            dispatchOnArrival(ticket, now: now)
            send(transferred, to: replyTo)
        } else {
            send(transferred, to: replyTo)
            dispatchOnArrival(ticket, now: now)
        }
    }

    /// 1-HLP.md [R49].
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

    /// 1-HLP.md [R47].
    /// Max wait: a HILA ticket no HILA accepted in time goes to the live queue; an offer
    /// pending is revoked (max-wait).
    mutating func maxWaitElapsed(_ ticket: TicketHandle, now: Timestamp) {
        // Disarmed on accept and on transfer, so the ticket still waits for a HILA.
        precondition(tickets[ticket].role == .hila && !tickets[ticket].acceptedByHILA, "max wait of a ticket a HILA took")
        if deferWhileUnwritable(ticket, .maxWait, now: now) { return }
        let holder = detach(ticket, releasedBecause: .maxWait, now: now)
        if let holder { revoke(ticket, from: holder, reason: .maxWait) }
        transfer(ticket, reason: .maxWait, note: nil, now: now)
        if let holder { dispatchToFreed(holder, now: now) }
    }

    /// Whether a HILA ticket may now be rerouted because no HILA could serve it: not while
    /// consoles re-register after a restore, and not while the transfer could not be
    /// persisted. Tickets wait meanwhile; `sweepUnservable` catches up.
    var reroutesSuspended: Bool {
        journalUnwritable || restoration.graceUntil.map { clock < $0 } ?? false
    }

    /// 1-HLP.md [R49]; the restore grace of 1-HLP.md §Reliability.
    /// Transfers every waiting HILA ticket no alive HILA could serve (hila-lost), unless
    /// reroutes are still suspended.
    mutating func sweepUnservable(now: Timestamp) {
        guard !reroutesSuspended, hilaWaiting > 0 else { return }
        let hila = requirements.handles.filter { requirements[$0].role == .hila && !requirements[$0].queue.isEmpty }
        transferUnservable(in: hila, now: now)
    }
}
