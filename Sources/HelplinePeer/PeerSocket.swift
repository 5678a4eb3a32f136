import HelplineWire
import ZeroMQ

/// One DEALER socket to the broker with its transport monitor, and the poller over the
/// mailbox's eventfd, the socket and the monitor (in that order). Dropped whole on
/// reconnect: the spec wants a new socket, so the broker sees a new connection, and the
/// old socket's queue may hold messages for a peer that is gone.
final class PeerSocket {
    let socket: ZMQSocket
    let poller: ZMQPoller
    private let monitor: ZMQMonitor
    private let signature: [UInt8]

    static let mailboxItem = 0
    static let socketItem = 1
    static let monitorItem = 2

    init(
        context: ZMQContext, endpoint: String, signature: Signature, curve: CurveKeys?,
        monitoring: ZMQMonitorEvent.Mask, wakeUp: EventFD
    ) throws(ZMQError) {
        socket = try ZMQSocket(context: context, type: .dealer)
        if let curve {
            try socket.setOption(.curveServerKey, curve.serverKey)
            try socket.setOption(.curvePublicKey, curve.publicKey)
            try socket.setOption(.curveSecretKey, curve.secretKey)
        }
        monitor = try socket.startMonitor(events: monitoring)
        try socket.connect(endpoint)
        poller = ZMQPoller([.fileDescriptor(wakeUp.fileDescriptor), .socket(socket), .socket(monitor.socket)])
        self.signature = signature.bytes
    }

    /// The transport's events since the last call.
    func transportEvents() -> [ZMQMonitorEvent.Kind] {
        var kinds: [ZMQMonitorEvent.Kind] = []
        while let event = try? monitor.receiveEvent(dontWait: true) { kinds.append(event.kind) }
        return kinds
    }

    /// Sends one command without blocking. A message the socket cannot take now is
    /// dropped: each session's own resends (unacknowledged ASK, RESUME, READY `holding`)
    /// recover it.
    func send(_ command: Command, header: UnsafeRawBufferPointer, body: [UInt8]) {
        do {
            try socket.send(signature, more: true, dontWait: true)
            try socket.send([command.rawValue], more: true, dontWait: true)
            try socket.send(header, more: !body.isEmpty, dontWait: true)
            if !body.isEmpty { try socket.send(body, dontWait: true) }
        } catch {
            // Only the first frame can fail (EAGAIN): then nothing was queued.
        }
    }

    /// Keeps unsent messages (DISCONNECT) this long after close, instead of dropping them.
    func linger(_ duration: Duration) {
        try? socket.setOption(.linger, Int32(clamping: duration.wholeMilliseconds))
    }
}
