import HelplinePeer
import HelplineWire
import HelplineWorker

/// Decides one offered ticket by running the command on it.
struct TicketHandler: Sendable {
    let worker: HelplineWorker
    let runner: CommandRunner
    let log: WorkLog
    let command: String
    let timeout: Duration?
    /// The lease HILA tickets are accepted with (zero: none).
    let lease: Duration

    func handle(_ ticket: OfferedTicket) async -> WorkerReply {
        log.line("\(ticket.id) offered (attempt \(ticket.attempt)" + (ticket.skills.isEmpty ? "" : ", \(ticket.skills.joined(separator: ","))") + ")")
        // A HILA ticket is accepted at once, so the agent learns it is in hand; a live one
        // only when the command says to take it over, since accepting ends it.
        if ticket.role == .hila { try? worker.accept(ticket.id, lease: lease) }
        let input = Array((TicketDocument.json(ticket).rendered + "\n").utf8)
        let environment = ["HELPLINE_TICKET_ID": ticket.id, "HELPLINE_WORKER": worker.registration.name]
        let completion: CommandRunner.Completion
        do {
            // Past the deadline the broker expires the ticket anyway.
            completion = try await runner.run(
                command, input: input, environment: environment, key: ticket.id, timeout: timeout ?? ticket.deadline)
        } catch {
            return decline(ticket, "\(error)")
        }
        guard completion.succeeded else {
            let stderr = String(decoding: completion.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let status = completion.signal.map { "was killed (signal \($0))" } ?? "exited with status \(completion.exitStatus ?? -1)"
            return decline(ticket, stderr.isEmpty ? "the command \(status)" : stderr)
        }
        let reply: ExecReply
        do {
            reply = try ExecReply(parsing: completion.stdout, role: ticket.role)
        } catch {
            return decline(ticket, error.description)
        }
        switch reply {
        case .takeOver:
            log.line("\(ticket.id) taken over")
            try? worker.accept(ticket.id)
            return .none
        case .reply(let reply):
            log.line("\(ticket.id) " + Self.describe(reply))
            return reply
        }
    }

    private func decline(_ ticket: OfferedTicket, _ reason: String) -> WorkerReply {
        let reason = String(reason.suffixUTF8(WireLimits.maxTextBytes))
        log.line("\(ticket.id) declined: \(reason)")
        return .decline(reason: reason)
    }

    static func describe(_ reply: WorkerReply) -> String {
        switch reply {
        case .answer(let decision, let option, _): "answered: \(option ?? decision.rawValue)"
        case .transfer(let note): "transferred to live agents" + (note.map { ": \($0)" } ?? "")
        case .decline(let reason): "declined" + (reason.map { ": \($0)" } ?? "")
        case .none: "handled"
        }
    }
}

extension String {
    /// The longest suffix of at most `limit` UTF-8 bytes that starts on a character
    /// boundary: the end of a command's stderr says why it failed.
    func suffixUTF8(_ limit: Int) -> Substring {
        var count = 0
        var start = endIndex
        while start > startIndex {
            let previous = index(before: start)
            let next = count + self[previous].utf8.count
            guard next <= limit else { break }
            count = next
            start = previous
        }
        return self[start...]
    }
}
