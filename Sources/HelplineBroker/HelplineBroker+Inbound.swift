import HelplineBrokerCore
import HelplineWire
import ZeroMQ

extension HelplineBroker {
    /// Index of each frame in `inbound`: the ROUTER's identity comes first.
    private enum Slot {
        static let identity = 0
        static let signature = 1
        static let command = 2
        static let header = 3
        static let body = 4
    }

    /// Validates, decodes and hands one received message to the core. A bad message is
    /// answered with ERROR to its sender only; nothing else is touched.
    func handleInbound(now: Timestamp) {
        guard inbound.count > Slot.identity else { return }
        let connection = inbound.withFrame(Slot.identity) { connections.connection(for: $0) }
        if inbound.overflowed {
            reject(WireError(code: .malformed, text: "more than 4 frames"), signature: .client, from: connection, now: now)
            return
        }
        let envelope: WireEnvelope
        do {
            envelope = try inbound.withFrames(from: Slot.signature) { frames in
                try WireEnvelope.parse(frames: frames, receiver: .broker)
            }
        } catch {
            reject(error, signature: inbound.signature(at: Slot.signature) ?? .client, from: connection, now: now)
            return
        }
        let body = envelope.hasBody && inbound.frameCount(Slot.body) > 0 ? inbound.takeFrame(Slot.body) : nil
        do {
            switch envelope.signature {
            case .client:
                let message = try inbound.withFrame(Slot.header) {
                    try decoder.decodeClientMessage(command: envelope.command.rawValue, header: $0)
                }
                core.receive(message, body: body, from: connection, now: now)
            case .worker:
                let message = try inbound.withFrame(Slot.header) {
                    try decoder.decodeWorkerMessage(command: envelope.command.rawValue, header: $0)
                }
                if case .ready = message { noteWorkerFileDescriptor(connection) }
                core.receive(message, body: body, from: connection, now: now)
            }
        } catch {
            reject(error, signature: envelope.signature, from: connection, now: now)
        }
    }

    private func reject(_ error: WireError, signature: Signature, from connection: ConnectionID, now: Timestamp) {
        logger.debug("rejected message", metadata: ["code": "\(error.code.rawValue)", "text": "\(error.text)"])
        core.reject(error.reply, signature: signature, from: connection, now: now)
    }

    /// Remembers which TCP connection a worker's READY came on, so a dropped connection is
    /// noticed from the socket monitor instead of after liveness × heartbeat.
    private func noteWorkerFileDescriptor(_ connection: ConnectionID) {
        guard let fd = inbound.sourceFileDescriptor(Slot.header), fd >= 0 else { return }
        if let previous = fileDescriptorOfWorker[connection], previous != fd {
            workerByFileDescriptor[previous] = nil
        }
        workerByFileDescriptor[fd] = connection
        fileDescriptorOfWorker[connection] = fd
    }
}
