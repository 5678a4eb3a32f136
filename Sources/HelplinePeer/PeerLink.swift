import HelplineWire
import ZeroMQ

/// What a client or worker I/O thread does with its broker link, whatever the protocol
/// on top: one socket at a time, a wait on it, the mailbox and the session's next timer,
/// decoding of each message's framing, and reconnecting on a new socket with backoff.
///
/// The thread that created it alone uses it.
package final class PeerLink {
    private let endpoint: String
    private let signature: Signature
    private let receiver: Peer
    private let curve: CurveKeys?
    private let monitoring: ZMQMonitorEvent.Mask
    private let wakeUp: EventFD
    private let context: ZMQContext
    private var current: PeerSocket?
    private var backoff: ReconnectBackoff
    /// When to open a new socket, while there is none.
    private var reconnectAt: Int64?
    /// Polls the mailbox alone while there is no socket (waiting to reconnect).
    private lazy var idlePoller = ZMQPoller([.fileDescriptor(wakeUp.fileDescriptor)])
    /// Signature, command, header, body, and one more to see (and drop) an extra frame.
    private let inbound = ZMQMultipart(capacity: 5)
    /// Messages read per wake-up before the mailbox and the timers get a turn: a fair
    /// share, so API commands and heartbeats are not starved by a flood from the broker.
    private static let maxMessagesPerTurn = 1000

    /// Opens the first socket to `endpoint`, speaking `signature`; throws if the endpoint
    /// or the CURVE keys are unusable.
    package init(
        endpoint: String, signature: Signature, curve: CurveKeys?, monitoring: ZMQMonitorEvent.Mask,
        wakeUp: EventFD, backoff: ReconnectBackoff
    ) throws(ZMQError) {
        self.endpoint = endpoint
        self.signature = signature
        receiver = signature == .client ? .client : .worker
        self.curve = curve
        self.monitoring = monitoring
        self.wakeUp = wakeUp
        self.backoff = backoff
        context = try ZMQContext()
        current = try openSocket()
    }

    /// One turn of the I/O thread: waits until the mailbox, the socket or the monitor is
    /// readable, or `timer` (monotonic milliseconds) or the reconnect falls due; then hands
    /// `handler` what woke it, in that order, and opens the new socket when it is time.
    /// Returns the time after the wait; nil once the context is terminated and the thread
    /// must stop.
    package func turn(timer: Int64?, _ handler: some PeerLinkHandler) -> Int64? {
        let before = MonotonicClock.milliseconds()
        let due = [timer, reconnectAt].compactMap { $0 }.min()
        let timeout = due.map { Int(max(0, $0 - before)) } ?? -1
        let socket = current
        let poller = socket?.poller ?? idlePoller
        do {
            _ = try poller.poll(timeoutMilliseconds: timeout)
        } catch {
            // Only a terminated context fails a poll, and this link owns its context.
            return nil
        }
        let now = MonotonicClock.milliseconds()
        if poller.isReadable(PeerSocket.mailboxItem) { handler.mailboxReady(now: now) }
        if let socket {
            if poller.isReadable(PeerSocket.socketItem) { receive(on: socket) { handler.received($0, now: now) } }
            if poller.isReadable(PeerSocket.monitorItem) {
                let kinds = socket.transportEvents()
                if !kinds.isEmpty { handler.transport(kinds, now: now) }
            }
        }
        if reconnectIfDue(now: now) { handler.socketOpened(now: now) }
        return now
    }

    /// Reads the messages waiting on `current` (at most a fair share) and hands each
    /// well-framed one to `handle`; its header and body are valid only inside the call.
    /// Messages that cannot be framed are dropped: the spec says log and drop, never
    /// answer ERROR.
    private func receive(on current: PeerSocket, _ handle: (WireEnvelope) -> Void) {
        for _ in 0..<Self.maxMessagesPerTurn {
            guard (try? current.socket.receive(into: inbound, dontWait: true)) == true else { return }
            guard !inbound.overflowed else { continue }
            inbound.withFrames(from: 0) { frames in
                // One small array per message: a peer reads far fewer than a broker does.
                guard let envelope = try? WireEnvelope(frames: Array(frames), receiver: receiver) else { return }
                handle(envelope)
            }
        }
    }

    /// Sends one command with its header (and body) on the current socket; nothing while
    /// there is none.
    package func send(_ command: Command, header: UnsafeRawBufferPointer, body: [UInt8]) {
        current?.send(command, header: header, body: body)
    }

    /// Closes the socket and schedules a new one after the backoff; returns the wait in
    /// milliseconds.
    @discardableResult
    package func reconnectLater(now: Int64) -> Int64 {
        current = nil
        let delay = backoff.next()
        reconnectAt = now + delay
        return delay
    }

    /// Opens the new socket once the backoff has passed; true when it did.
    private func reconnectIfDue(now: Int64) -> Bool {
        guard let at = reconnectAt, now >= at else { return false }
        reconnectAt = nil
        do {
            current = try openSocket()
            return true
        } catch {
            reconnectAt = now + backoff.next()
            return false
        }
    }

    /// The broker answered: the next reconnect waits the shortest time again.
    package func brokerAnswered() {
        backoff.reset()
    }

    /// Closes the socket, keeping unsent messages for `linger` (DISCONNECT on its way).
    package func close(linger: Duration = .zero) {
        if linger > .zero { current?.linger(linger) }
        current = nil
    }

    private func openSocket() throws(ZMQError) -> PeerSocket {
        try PeerSocket(
            context: context, endpoint: endpoint, signature: signature, curve: curve, monitoring: monitoring,
            wakeUp: wakeUp)
    }
}

/// The I/O thread's side of a ``PeerLink/turn(timer:_:)``: what it does with each kind of
/// wake-up. Called on the I/O thread, in the order declared here.
package protocol PeerLinkHandler {
    /// The mailbox has commands.
    func mailboxReady(now: Int64)
    /// A well-framed message from the broker; its header and body are valid only inside
    /// the call.
    func received(_ envelope: WireEnvelope, now: Int64)
    /// The transport monitor reported these events.
    func transport(_ events: [ZMQMonitorEvent.Kind], now: Int64)
    /// A new socket replaced the one dropped by ``PeerLink/reconnectLater(now:)``: the
    /// session starts over on it.
    func socketOpened(now: Int64)
}
