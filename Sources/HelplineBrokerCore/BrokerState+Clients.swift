import HelplineWire

/// 1-HLP.md §Clients: ASK, CANCEL, RESUME and STATUS.
extension BrokerState {
    /// Handles one HLP/Client command. Returns the ticket an ASK created, so the facade can
    /// store its body.
    @usableFromInline
    mutating func receive(
        _ message: ClientMessage, bodyDigest: UInt64?, from connection: ConnectionID, owner: String? = nil, now: Timestamp
    ) -> TicketHandle? {
        let now = advance(to: now)
        defer { flushDirtyWorkers() }
        switch message {
        case .ask(let ask):
            return self.ask(ask, bodyDigest: bodyDigest, from: connection, owner: owner, now: now)
        case .cancel(let id):
            cancel(id, from: connection, owner: owner, now: now)
        case .resume(let ids):
            resume(ids, from: connection, owner: owner)
        case .status:
            send(.report(report(now: now)), to: connection)
        case .heartbeat:
            send(ClientReply.heartbeat, to: connection)
        }
        return nil
    }

    /// 1-HLP.md [R56], [R57], [R64], [R65].
    private mutating func ask(_ ask: Ask, bodyDigest: UInt64?, from connection: ConnectionID, owner: String?, now: Timestamp) -> TicketHandle? {
        if let (code, text) = Self.problem(with: ask) {
            refuseClient(connection, code, text, ticket: ask.ticket, command: .ask)
            return nil
        }
        if let known = ticketsByID[ask.ticket] {
            // Another key's ticket: the id is taken, and nothing about the ticket is told.
            guard tickets[known].owner == owner, tickets[known].hasSameContent(as: ask, bodyDigest: bodyDigest) else {
                refuseClient(connection, .conflict, "ticket id already used for another request", ticket: ask.ticket, command: .ask)
                return nil
            }
            redirectReplies(of: known, to: connection)
            sendState(of: known, to: connection)
            return nil
        }
        if refuseClientIfUnwritable(connection, ticket: ask.ticket, command: .ask) { return nil }
        guard openTickets < configuration.maxWaitingTickets else {
            refuseClient(connection, .tooMany, "broker holds its maximum of open tickets", ticket: ask.ticket, command: .ask)
            return nil
        }
        guard openByConnection[connection, default: 0] < configuration.maxOpenTicketsPerClient else {
            refuseClient(connection, .tooMany, "too many open tickets on this connection", ticket: ask.ticket, command: .ask)
            return nil
        }
        guard let requirement = internRequirement(role: ask.role, skillNames: ask.skills) else {
            refuseClient(connection, .tooMany, "broker skill table is full", ticket: ask.ticket, command: .ask)
            return nil
        }
        let ticket = tickets.insert(
            TicketRecord(
                id: ask.ticket, ask: ask, bodyDigest: bodyDigest, askedAt: now, sequence: nextTicketSequence,
                requirement: requirement, replyTo: connection, owner: owner))
        nextTicketSequence += 1
        ticketsByID[ask.ticket] = ticket
        retainRequirement(requirement)
        openTickets += 1
        openByConnection[connection, default: 0] += 1
        counters.asked += 1
        record(.asked(reference(ticket), ask, bodyDigest: bodyDigest, client: connection, owner: owner, at: now), body: .ask(ticket))
        tickets[ticket].deadlineTimer = arm(.deadline, target: ticket.slot, due: tickets[ticket].deadline)
        if ask.role == .hila {
            let due = now.advanced(by: Int64(ask.maxWaitMilliseconds))
            tickets[ticket].maxWaitTimer = arm(.maxWait, target: ticket.slot, due: due)
        }
        if ask.role == .hila, requirements[requirement].capable == 0, !reroutesSuspended {
            transfer(ticket, reason: .noHILA, note: nil, atArrival: true, now: now)
        } else if ask.role == .hila, ask.maxWaitMilliseconds == 0 {
            // Lifecycle table: max_wait 0 goes straight to the live queue. Placing it with a
            // HILA first would show it a ticket it may never keep and use up an attempt.
            transfer(ticket, reason: .maxWait, note: nil, atArrival: true, now: now)
        } else {
            dispatchOnArrival(ticket, now: now)
        }
        return ticket
    }

    /// What is wrong with an ASK the codec should already have refused. The core checks
    /// again so a hand-built message can never break an index (priority 12 has no lane).
    static func problem(with ask: Ask) -> (ErrorCode, String)? {
        if ask.ticket.isEmpty { return (.invalid, "empty ticket id") }
        if ask.ticket.utf8.count > WireLimits.maxTicketIDBytes { return (.tooLarge, "ticket id too long") }
        if !(0...WireLimits.maxPriority).contains(ask.priority) { return (.invalid, "priority out of range") }
        if ask.skills.count > WireLimits.maxSkillsPerEntity { return (.tooLarge, "too many skills") }
        if ask.skills.contains(where: \.isEmpty) { return (.invalid, "empty skill") }
        if ask.options.count > WireLimits.maxOptions { return (.tooLarge, "too many options") }
        if Set(ask.options).count != ask.options.count { return (.invalid, "options not distinct") }
        if !WireLimits.maxWaitRangeMilliseconds.contains(ask.maxWaitMilliseconds) { return (.invalid, "max_wait out of range") }
        if !WireLimits.deadlineRangeMilliseconds.contains(ask.deadlineMilliseconds) { return (.invalid, "deadline out of range") }
        return nil
    }

    /// 1-HLP.md [R61].
    /// CANCEL: an open ticket is revoked from its holder and ends cancelled (CANCELLED to
    /// the sender and to the ticket's reply connection); a finished one gets its outcome again; an unknown id, or another key's
    /// ticket, is 404.
    private mutating func cancel(_ id: String, from connection: ConnectionID, owner: String?, now: Timestamp) {
        guard let ticket = ticketsByID[id], tickets[ticket].owner == owner else {
            refuseClient(connection, .unknownTicket, "unknown ticket", ticket: id, command: .cancel)
            return
        }
        guard tickets[ticket].state.isOpen else {
            sendOutcome(of: ticket, to: connection)
            return
        }
        if refuseClientIfUnwritable(connection, ticket: id, command: .cancel) { return }
        let holder = detach(ticket, releasedBecause: .cancelled, now: now)
        if let holder { revoke(ticket, from: holder, reason: .cancelled) }
        let replyTo = tickets[ticket].replyTo
        finish(ticket, .cancelled, notifying: connection, now: now)
        // The client that asked learns the outcome too, whoever cancelled (CANCEL rule).
        if replyTo != connection { sendOutcome(of: ticket, to: replyTo) }
        if let holder { dispatchToFreed(holder, now: now) }
    }

    /// 1-HLP.md [R59], [R60].
    /// RESUME: for each id its state or stored outcome, and its replies move here; an
    /// unknown id, or another key's ticket, is 404.
    private mutating func resume(_ ids: [String], from connection: ConnectionID, owner: String?) {
        guard !ids.isEmpty else {
            refuseClient(connection, .invalid, "RESUME needs at least one id", command: .resume)
            return
        }
        guard ids.count <= WireLimits.maxResumeIDs else {
            refuseClient(connection, .tooLarge, "too many ids in RESUME", command: .resume)
            return
        }
        for id in ids {
            guard let ticket = ticketsByID[id], tickets[ticket].owner == owner else {
                refuseClient(connection, .unknownTicket, "unknown ticket", ticket: id, command: .resume)
                continue
            }
            redirectReplies(of: ticket, to: connection)
            sendState(of: ticket, to: connection)
        }
    }
}
