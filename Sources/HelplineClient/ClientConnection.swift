import HelplineWire
import ZeroMQ

/// One DEALER socket to the broker with its monitor, and the poller over them and the
/// mailbox's eventfd (items: 0 eventfd, 1 socket, 2 monitor). Dropped whole on reconnect.
final class ClientConnection {
    let socket: ZMQSocket
    let poller: ZMQPoller
    private let monitor: ZMQMonitor
    /// The transport's connects so far; every one after the first is a reconnect the
    /// DEALER made silently, possibly to a restarted broker.
    private var connects = 0

    init(context: ZMQContext, endpoint: String, curve: HelplineClient.Options.Curve?, wakeUp: EventFD) throws(ZMQError) {
        socket = try ZMQSocket(context: context, type: .dealer)
        if let curve {
            try socket.setOption(.curveServerKey, curve.serverKey)
            try socket.setOption(.curvePublicKey, curve.publicKey)
            try socket.setOption(.curveSecretKey, curve.secretKey)
        }
        monitor = try socket.startMonitor(events: [.connected])
        try socket.connect(endpoint)
        poller = ZMQPoller([.fileDescriptor(wakeUp.fileDescriptor), .socket(socket), .socket(monitor.socket)])
    }

    /// Reads the monitor's events; true if the transport connected again after the first
    /// time, so every open ticket must be RESUMEd (spec: "Implementing a client", 7).
    func transportReconnected() -> Bool {
        var reconnected = false
        while let event = try? monitor.receiveEvent(dontWait: true) {
            guard event.kind == .connected else { continue }
            connects += 1
            if connects > 1 { reconnected = true }
        }
        return reconnected
    }

    /// Sends one command without blocking. A message the socket cannot take now is
    /// dropped: the session's resends (unacknowledged ASK, RESUME) recover it.
    func send(_ message: ClientMessage, body: [UInt8], encoder: HeaderEncoder) {
        encoder.withEncoded(message) { command, header in
            do {
                try socket.send(Self.signature, more: true, dontWait: true)
                try socket.send([command.rawValue], more: true, dontWait: true)
                try socket.send(header, more: !body.isEmpty, dontWait: true)
                if !body.isEmpty { try socket.send(body, dontWait: true) }
            } catch {
                // Only the first frame can fail (EAGAIN): then nothing was queued.
            }
        }
    }

    private static let signature = Signature.client.bytes
}
