import HelplineWire
import ZeroMQ

/// One DEALER socket to the broker with its monitor, and the poller over them and the
/// mailbox's eventfd (items: 0 eventfd, 1 socket, 2 monitor). Dropped whole on reconnect:
/// the spec wants a new socket, so the broker sees a new connection.
final class WorkerConnection {
    let socket: ZMQSocket
    let poller: ZMQPoller
    private let monitor: ZMQMonitor

    init(context: ZMQContext, endpoint: String, curve: HelplineWorker.Options.Curve?, wakeUp: EventFD) throws(ZMQError) {
        socket = try ZMQSocket(context: context, type: .dealer)
        if let curve {
            try socket.setOption(.curveServerKey, curve.serverKey)
            try socket.setOption(.curvePublicKey, curve.publicKey)
            try socket.setOption(.curveSecretKey, curve.secretKey)
        }
        monitor = try socket.startMonitor(events: [.connected, .disconnected])
        try socket.connect(endpoint)
        poller = ZMQPoller([.fileDescriptor(wakeUp.fileDescriptor), .socket(socket), .socket(monitor.socket)])
    }

    /// The transport's events since the last call, as worker events.
    func transportEvents() -> [WorkerEvent] {
        var events: [WorkerEvent] = []
        while let event = try? monitor.receiveEvent(dontWait: true) {
            switch event.kind {
            case .connected: events.append(.connected)
            case .disconnected: events.append(.disconnected(reason: "the connection to the broker dropped"))
            default: break
            }
        }
        return events
    }

    /// Sends one command without blocking; a message the socket cannot take now is
    /// dropped (a registered worker's queue only fills when the broker is gone, and then
    /// READY `holding` recovers the tickets).
    func send(_ message: WorkerMessage, body: [UInt8], encoder: HeaderEncoder) {
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

    /// Keeps unsent messages (DISCONNECT) this long after close, instead of dropping them.
    func linger(_ duration: Duration) {
        try? socket.setOption(.linger, Int32(clamping: duration.wholeMilliseconds))
    }

    private static let signature = Signature.worker.bytes
}
