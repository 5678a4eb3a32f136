import HelplineWire
import ZeroMQ

// Reading what comes back: outcomes, events and errors, per wire.
extension LoadClient {
    /// Reads the message in `multipart`, which arrived on `socket` (a broker replies on the
    /// connection that asked); true when it was the final outcome of a ticket this client
    /// was waiting on, so the slot is free.
    func handleReply(now: UInt64, socket: Int) -> Bool {
        switch plan.wire {
        case .hlp: return handleHLP(now: now, socket: socket)
        case .raw: return handleRaw(now: now, socket: socket)
        case .mdp: return handleMDP(now: now, socket: socket)
        }
    }

    func handleHLP(now: UInt64, socket: Int) -> Bool {
        guard multipart.count >= 3, multipart.frameSize(1) == 1 else {
            result.malformed += 1
            return false
        }
        let byte = multipart.withFrame(1) { $0[0] }
        // QUEUED and ANSWERED are the hot path: count QUEUED without reading its header,
        // take only the id from ANSWERED's; anything else (or shaped otherwise) is decoded.
        if byte == Command.queued.rawValue {
            result.queued += 1
            return false
        }
        if byte == Command.answered.rawValue, let freed = finishPeeked(now: now, socket: socket, \.answered) {
            return freed
        }
        let reply: ClientReply? = multipart.withFrame(2) { header in
            try? decoder.decodeClientReply(command: byte, header: header)
        }
        switch reply {
        case .answered(let answered):
            return finish(answered.ticket, now: now, socket: socket, \.answered)
        case .assigned(let assigned) where assigned.role == .live:
            return finish(assigned.ticket, now: now, socket: socket, \.takenOver)
        case .assigned:
            return false
        case .expired(let ticket):
            return finish(ticket, now: now, socket: socket, \.expired)
        case .cancelled(let ticket):
            return finish(ticket, now: now, socket: socket, \.cancelled)
        case .transferred(let transferred):
            result.transferred += 1
            if plan.reportEvents {
                JSONLines.emit(BenchEvent("transferred", ticket: transferred.ticket, detail: transferred.reason.rawValue, time: now))
            }
            return false
        case .error(let error):
            result.errors += 1
            if result.errors <= 3 { JSONLines.warn("load-client: ERROR \(error.code.rawValue) \(error.text)") }
            // A refused ASK created no ticket: its slot is free, and it is not lost.
            guard var ticket = error.ticket else { return false }
            let refused = ticket.withUTF8 { id in
                ids.sequence(of: UnsafeRawBufferPointer(id)).flatMap { outstanding.remove($0) } != nil
            }
            if refused { inflight[socket] -= 1 }
            return refused
        case .queued, .report, .heartbeat:
            return false
        case nil:
            result.malformed += 1
            return false
        }
    }

    /// Through the forwarder a worker's ANSWER frames come back as they were sent.
    func handleRaw(now: UInt64, socket: Int) -> Bool {
        guard multipart.count >= 3, multipart.frameSize(1) == 1 else {
            result.malformed += 1
            return false
        }
        let byte = multipart.withFrame(1) { $0[0] }
        if byte == Command.answer.rawValue, let freed = finishPeeked(now: now, socket: socket, \.answered) {
            return freed
        }
        let message: WorkerMessage? = multipart.withFrame(2) { header in
            try? decoder.decodeWorkerMessage(command: byte, header: header)
        }
        guard case .answer(let answer) = message else {
            result.malformed += 1
            return false
        }
        return finish(answer.ticket, now: now, socket: socket, \.answered)
    }

    /// MDP reply: [empty, "MDPC01", service, ticket id, body].
    func handleMDP(now: UInt64, socket: Int) -> Bool {
        guard multipart.count >= 4 else {
            result.malformed += 1
            return false
        }
        return multipart.withFrame(3) { finish(id: $0, now: now, socket: socket, \.answered) }
    }

    /// The outcome in frame 2's header, read by its id alone; nil when the header is not
    /// shaped as the canonical encoder writes it, for the caller to decode in full.
    private func finishPeeked(now: UInt64, socket: Int, _ outcome: WritableKeyPath<LoadClientResult, Int>) -> Bool? {
        multipart.withFrame(2) { header in
            TicketIdPeek.ticketId(in: header).map { finish(id: $0, now: now, socket: socket, outcome) }
        }
    }

    func finish(_ ticket: String, now: UInt64, socket: Int, _ outcome: WritableKeyPath<LoadClientResult, Int>) -> Bool {
        var ticket = ticket
        return ticket.withUTF8 { finish(id: UnsafeRawBufferPointer($0), now: now, socket: socket, outcome) }
    }

    /// Counts the outcome of ticket `id` (true: a slot is free), or a duplicate when the
    /// ticket is not owed: answered before, or not one this client sent.
    func finish(id: UnsafeRawBufferPointer, now: UInt64, socket: Int, _ outcome: WritableKeyPath<LoadClientResult, Int>) -> Bool {
        guard let sequence = ids.sequence(of: id), let sentAt = outstanding.remove(sequence) else {
            result.duplicates += 1
            return false
        }
        result[keyPath: outcome] += 1
        inflight[socket] -= 1
        if now >= windowStart && now < windowEnd {
            result.answeredInWindow += 1
            histogram.record(max(1, (now - sentAt) / 1_000))
        }
        return true
    }
}
