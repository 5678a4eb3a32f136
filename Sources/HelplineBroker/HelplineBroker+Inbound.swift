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
        // A message with more frames than `inbound` keeps arrives cut to its first five
        // (signature to body, and one more): the envelope refuses it for its frame count,
        // naming its command byte, like any other message of five frames or more.
        // Point at the frames where libzmq holds them; valid until the next receive.
        let frameCount = inbound.withFrames(from: Slot.signature) { frames in
            for index in frames.indices { frameViews[index] = frames[index] }
            return frames.count
        }
        let envelope: WireEnvelope
        do throws(WireError) {
            envelope = try WireEnvelope(
                frames: UnsafeBufferPointer(rebasing: frameViews[0..<frameCount]), receiver: .broker)
        } catch {
            // The ERROR goes on the peer's own sub-protocol when frame 0 named one; 505 and
            // a message without frames get HLPC01 (Bad input).
            let signature = frameCount > 0 && error.code != .unsupportedVersion
                ? Signature(bytes: frameViews[0]) ?? .client : .client
            reject(error, signature: signature, from: connection, now: now)
            return
        }
        // Fingerprint the ASK body before it moves out of the slot: a resent ASK must match it.
        let digest = envelope.command == .ask ? BodyDigest.digest(envelope.body ?? UnsafeRawBufferPointer(start: nil, count: 0)) : nil
        let body = envelope.body.map { keepBody($0) }
        do throws(WireError) {
            switch envelope.signature {
            case .client:
                let message = try decoder.decodeClientMessage(command: envelope.command.rawValue, header: envelope.header)
                if let refusal = admission(of: message, bodyBytes: body?.count ?? 0) {
                    refuse(refusal, command: envelope.command, signature: .client, from: connection, now: now)
                    return
                }
                core.receive(message, body: body, bodyDigest: digest, from: connection, owner: ticketOwner(), now: now)
            case .worker:
                let message = try decoder.decodeWorkerMessage(command: envelope.command.rawValue, header: envelope.header)
                if let refusal = admission(of: message, bodyBytes: body?.count ?? 0) {
                    refuse(refusal, command: envelope.command, signature: .worker, from: connection, now: now)
                    return
                }
                if case .ready = message { noteWorkerFileDescriptor(connection) }
                core.receive(message, body: body, from: connection, now: now)
                if case .ready = message { noteWorkerKey(connection) }
            }
        } catch {
            reject(error, signature: envelope.signature, from: connection, now: now)
        }
    }

    /// The body frame, to keep until its ticket ends. libzmq hands out frames between 34
    /// bytes and its 8 KiB receive batch as slices of that batch, so keeping one keeps the
    /// whole batch alive: a client with tiny bodies would pin 8 KiB per open ticket. Those
    /// are copied (a few hundred nanoseconds); larger ones own their buffer and move as is.
    private func keepBody(_ bytes: UnsafeRawBufferPointer) -> ZMQFrame {
        bytes.count < Self.receiveBatchBytes ? ZMQFrame(bytes) : inbound.takeFrame(Slot.body)
    }

    private func reject(_ error: WireError, signature: Signature, from connection: ConnectionID, now: Timestamp) {
        logger.debug("rejected message", metadata: ["code": "\(error.code.rawValue)", "text": "\(error.text)"])
        core.reject(error.reply, signature: signature, from: connection, now: now)
    }

    /// Remembers which TCP connection a worker's READY came on, so a dropped connection is
    /// noticed from the socket monitor instead of after liveness × heartbeat.
    private func noteWorkerFileDescriptor(_ connection: ConnectionID) {
        // The frames a peer sent carry the fd; the identity frame the ROUTER adds does not.
        guard let fd = inbound.sourceFileDescriptor(Slot.header) else { return }
        disconnects.workerRegistered(connection, fd: fd)
    }
}
