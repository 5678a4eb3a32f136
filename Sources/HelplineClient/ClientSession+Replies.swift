import HelplineWire

extension ClientSession {
    /// One decoded message from the broker, with its body (ANSWERED only).
    mutating func receive(_ reply: ClientReply, body: [UInt8], now: Int64) {
        // Any message shows the broker is alive.
        heard(now: now)
        switch reply {
        case .queued(let queued):
            touch(queued.ticket, now: now)
            event(queued.ticket, .queued(role: queued.role, stage: queued.stage, position: queued.position))
        case .assigned(let assigned):
            touch(assigned.ticket, now: now)
            if assigned.role == .live {
                finish(assigned.ticket, .success(.takenOver(by: assigned.worker)))
            } else {
                event(assigned.ticket, .assigned(worker: assigned.worker, role: assigned.role))
            }
        case .answered(let answered):
            let answer = HumanAnswer(
                decision: answered.decision, option: answered.option, body: body, worker: answered.worker,
                elapsed: .milliseconds(answered.elapsedMilliseconds))
            finish(answered.ticket, .success(.answered(answer)))
        case .transferred(let transferred):
            touch(transferred.ticket, now: now)
            if markTransferred(transferred.ticket) {
                event(transferred.ticket, .transferred(reason: transferred.reason, note: transferred.note))
            }
        case .expired(let ticket):
            finish(ticket, .success(.expired))
        case .cancelled(let ticket):
            finish(ticket, .success(.cancelled))
        case .report(let report):
            answerStatus(.success(report))
        case .error(let error):
            receive(error, now: now)
        case .heartbeat:
            break
        }
    }

    /// ERROR: fails the ask or status request it names, except where the ticket lives on.
    private mutating func receive(_ error: ErrorReply, now: Int64) {
        guard let id = error.ticket, tickets[id] != nil else {
            if error.command == Command.status.rawValue, hasStatusRequests {
                answerStatus(.failure(.refused(error)))
            } else {
                countUnattributedError()
            }
            return
        }
        if error.code == .unknownTicket {
            // RESUME (or CANCEL) of a ticket the broker lost, as after a restart without a
            // journal: the caller decides whether to ask again.
            finish(id, .failure(.unknownTicket(error)))
        } else if error.command == Command.cancel.rawValue {
            // A refused CANCEL (503 while the broker shuts down) leaves the ticket open.
            touch(id, now: now)
        } else {
            finish(id, .failure(.refused(error)))
        }
    }
}
