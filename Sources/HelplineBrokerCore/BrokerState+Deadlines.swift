import HelplineWire

/// 1-HLP.md §Deadlines: every open ticket, in any state, expires `deadline` after its ASK.
extension BrokerState {
    /// 1-HLP.md [R54].
    /// Deadline: EXPIRED to the client, REVOKE (expired) to a holder. Applies in every open state.
    mutating func expire(_ ticket: TicketHandle, now: Timestamp) {
        if deferWhileUnwritable(ticket, .deadline, now: now) { return }
        let holder = detach(ticket, releasedBecause: .expired, now: now)
        if let holder { revoke(ticket, from: holder, reason: .expired) }
        finish(ticket, .expired, notifying: tickets[ticket].replyTo, now: now)
        if let holder { dispatchToFreed(holder, now: now) }
    }
}
