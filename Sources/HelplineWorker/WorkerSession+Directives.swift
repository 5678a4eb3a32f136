import HelplineWire

extension WorkerSession {
    /// One decoded message from the broker, with its body (ASSIGN only). Any message
    /// counts as a heartbeat.
    mutating func receive(_ directive: WorkerDirective, body: [UInt8], now: Int64) {
        heard(now: now)
        switch directive {
        case .welcome(let welcome):
            receive(welcome, now: now)
        case .assign(let assign):
            receive(assign, body: body, now: now)
        case .revoke(let id, let reason):
            if dropTicket(id) { emit(.revoked(ticket: id, reason: reason)) }
            // The broker has set this worker away; the console must say so until its human
            // shows activity (spec §"Absent humans").
            if reason == .acceptTimeout { setAway() }
        case .heartbeat:
            break
        case .error(let error):
            if settleReply(error) { return }
            emit(.refused(error))
            if error.endsRegistration { registrationRefusal = error }
            // The broker says the ticket is not ours (any more): a revoke that crossed a
            // reply, or a reconnect that lost it.
            if let id = error.ticket, error.code == .forbidden || error.code == .unknownTicket {
                if dropTicket(id) { emit(.dropped(ticket: id)) }
            }
            // The broker could not record a reply (its journal is unwritable) and undid it:
            // the ticket is ours again, unanswered. Send the reply again a little later.
            if let id = error.ticket, error.code == .unavailable { retryReply(id, at: now + Self.unavailableRetryMilliseconds) }
        case .disconnect(let reason):
            guard link != .offline else { return }
            if let refusal = registrationRefusal {
                // The key does not grant this registration: the same READY would be refused
                // again, so stop rather than retry (spec §"Authorization").
                giveUp("the broker refused the registration: \(refusal.text)")
                return
            }
            lose(reason.map { "the broker sent DISCONNECT: \($0)" } ?? "the broker sent DISCONNECT")
        }
    }

    private mutating func receive(_ welcome: Welcome, now: Int64) {
        guard case .registering = link else { return }  // a stray repeat: nothing to redo
        registered(welcome, now: now)
        let attached = Set(welcome.attached)
        for id in held.keys.sorted() {
            if !attached.contains(id) {
                dropTicket(id)
                emit(.dropped(ticket: id))
            } else if held[id]!.accepted, !held[id]!.acceptSent {
                sendAccept(id)
            }
        }
        for id in replies.keys.sorted() {
            // Attached: the broker never recorded the reply, send it (again). Otherwise it
            // was recorded, or the ticket went elsewhere: nothing to do.
            if attached.contains(id) {
                sendReply(id, now: now)
            } else {
                forgetReply(id)
                replyUnsettled(id)
            }
        }
        // Replies forgotten unconfirmed while the link was down: nobody will answer their probes.
        for id in awaiting.keys.sorted() where replies[id] == nil { replyUnsettled(id) }
        emit(.registered(welcome))
    }

    private mutating func receive(_ assign: Assign, body: [UInt8], now: Int64) {
        guard link == .registered else { return }
        if let ticket = held[assign.ticket] {
            // Offered again while held: a reconnect crossed the offer. Keep the console's
            // work and tell the broker again that it was accepted.
            if ticket.accepted { sendAccept(assign.ticket) }
        } else if replies[assign.ticket] != nil {
            // Offered again after the console replied: the broker lost the reply.
            sendReply(assign.ticket, now: now)
        } else {
            offer(OfferedTicket(assign, body: body))
        }
    }
}
