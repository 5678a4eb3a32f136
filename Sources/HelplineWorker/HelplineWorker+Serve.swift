import HelplinePeer
import HelplineWire

extension HelplineWorker {
    /// Serves offered tickets with `handler` until the worker closes, each ticket in its
    /// own child task, so a handler may take as long as a human does (heartbeats run on the
    /// I/O thread regardless).
    ///
    /// - Parameters:
    ///   - lease: Accept each ticket with this lease before calling the handler; `nil`
    ///     leaves accepting to the handler. A live ticket ends when accepted, and its
    ///     handler's reply is then ignored.
    ///   - handler: Decides the ticket. A reply the broker would refuse (an option the
    ///     ticket does not offer, ...) is replaced by DECLINE, so the ticket goes to
    ///     someone else rather than waiting for a timeout.
    public func serve(
        accepting lease: Duration? = .zero, _ handler: @escaping @Sendable (OfferedTicket) async -> WorkerReply
    ) async {
        await withDiscardingTaskGroup { group in
            for await ticket in tickets {
                group.addTask {
                    if let lease { try? self.accept(ticket.id, lease: lease) }
                    let reply = await handler(ticket)
                    do throws(HelplineWorkerError) {
                        try self.send(reply, for: ticket.id)
                    } catch {
                        // Closed meanwhile: the broker re-dispatches the ticket itself.
                        guard error.kind == .invalid else { return }
                        let reason = "invalid reply: \(error.message)".prefixUTF8(WireLimits.maxTextBytes)
                        try? self.decline(ticket.id, reason: reason)
                    }
                }
            }
        }
    }

    /// Sends a handler's reply for `ticket`.
    public func send(_ reply: WorkerReply, for ticket: String) throws(HelplineWorkerError) {
        switch reply {
        case .answer(let decision, let option, let body): try answer(ticket, decision: decision, option: option, body: body)
        case .transfer(let note): try transfer(ticket, note: note)
        case .decline(let reason): try decline(ticket, reason: reason)
        case .none: break
        }
    }
}
