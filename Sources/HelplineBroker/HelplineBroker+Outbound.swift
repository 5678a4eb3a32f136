import HelplineBrokerCore
import Logging
import HelplineWire
import ZeroMQ

/// Frame 0 of every message the broker sends, encoded once.
private let clientSignature = Signature.client.bytes
private let workerSignature = Signature.worker.bytes

extension HelplineBroker {
    /// Performs the core's actions in order. Sends never block: a peer whose queue is full
    /// (or that is gone) loses the message, which is safe because every outcome is kept for
    /// RESUME and every offer is guarded by a timer. With a journal, the wake-up's records
    /// are committed first, in one transaction, and only then does anything go out.
    func flushActions(now: Timestamp) {
        var actions = core.takeActions()
        if let journal { actions = journal.settle(actions, core: &core, now: now) }
        // By index: `for action in` would copy each action before taking its parts.
        for index in actions.indices {
            switch actions[index] {
            case .sendToClient(let connection, let reply, let body):
                encoder.withEncoded(reply) { command, header in
                    send(to: connection, signature: .client, command: command, header: header, body: body)
                }
                logClientReply(reply)
            case .sendToWorker(let connection, let directive, let body):
                encoder.withEncoded(directive) { command, header in
                    send(to: connection, signature: .worker, command: command, header: header, body: body)
                }
                logWorkerDirective(directive)
            case .journal:
                break  // committed by `settle` before any send
            }
        }
    }

    private func send(
        to connection: ConnectionID, signature: Signature, command: Command,
        header: UnsafeRawBufferPointer, body: ZMQFrame?
    ) {
        let sent: Bool? = connections.withRoutingID(connection) { routingID in
            do throws(ZMQError) {
                try router.send(routingID, more: true, dontWait: true)
                try router.send(signature == .client ? clientSignature : workerSignature, more: true, dontWait: true)
                try withUnsafeBytes(of: command.rawValue) { (byte) throws(ZMQError) in
                    try router.send(byte, more: true, dontWait: true)
                }
                try router.send(header, more: body != nil, dontWait: true)
                if let body { try router.send(body, more: false, dontWait: true) }
                return true
            } catch {
                return false
            }
        }
        logger.trace("sent", metadata: ["command": "\(command)", "to": "\(String(connection.raw, radix: 16))", "ok": "\(sent == true)"])
        if sent != true {
            logger.debug("send dropped", metadata: ["command": "\(command)"])
        }
    }

    private func logClientReply(_ reply: ClientReply) {
        switch reply {
        case .transferred(let transferred):
            logger.info("ticket transferred to live agents", metadata: ["ticket": "\(transferred.ticket)", "reason": "\(transferred.reason.rawValue)"])
        case .expired(let ticket):
            logger.info("ticket expired", metadata: ["ticket": "\(ticket)"])
        case .assigned(let assigned) where logsDebug:
            logger.debug("ticket accepted", metadata: ["ticket": "\(assigned.ticket)", "worker": "\(assigned.worker)", "role": "\(assigned.role.rawValue)"])
        case .answered(let answered) where logsDebug:
            logger.debug("ticket answered", metadata: ["ticket": "\(answered.ticket)", "worker": "\(answered.worker)", "decision": "\(answered.decision.rawValue)", "elapsed_ms": "\(answered.elapsedMilliseconds)"])
        case .error(let error):
            logRefusal("client error", error)
        default:
            break
        }
    }

    /// One line per ERROR sent, at most `refusalLog.limit` a second; the line after a
    /// quiet-down says how many were not written.
    private func logRefusal(_ message: Logger.Message, _ error: ErrorReply) {
        refusalLog.notice(
            message, metadata: ["code": "\(error.code.rawValue)", "text": "\(error.text)"], to: logger, now: Timestamp.monotonicNow())
    }

    private func logWorkerDirective(_ directive: WorkerDirective) {
        switch directive {
        case .assign(let assign) where assign.attempt > 1 || logsDebug:
            // Every ticket is offered at least once: only re-offers are news at info level.
            logger.log(level: assign.attempt > 1 ? .info : .debug, "ticket offered", metadata: ["ticket": "\(assign.ticket)", "attempt": "\(assign.attempt)", "role": "\(assign.role.rawValue)"])
        case .revoke(let ticket, let reason):
            logger.info("ticket revoked", metadata: ["ticket": "\(ticket)", "reason": "\(reason.rawValue)"])
        case .welcome:
            logger.info("worker registered")
        case .disconnect(let reason):
            logger.notice("worker disconnected", metadata: ["reason": "\(reason ?? "")"])
        case .error(let error):
            logRefusal("worker error", error)
        case .assign, .heartbeat:
            break
        }
    }
}
