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
        // QUEUED is the hot event: count it without decoding its header.
        if byte == Command.queued.rawValue {
            result.queued += 1
            return false
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
            if let ticket = error.ticket, outstanding.removeValue(forKey: ticket) != nil {
                inflight[socket] -= 1
                return true
            }
            return false
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
        let ticket = multipart.withFrame(3) { String(decoding: $0, as: UTF8.self) }
        return finish(ticket, now: now, socket: socket, \.answered)
    }

    func finish(_ ticket: String, now: UInt64, socket: Int, _ outcome: WritableKeyPath<LoadClientResult, Int>) -> Bool {
        guard let sentAt = outstanding.removeValue(forKey: ticket) else {
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
