import HelplineWire
import ZeroMQ

/// The I/O thread's side of the worker: it alone owns the DEALER socket and the session.
/// Heartbeats run here, on their own schedule, however long the human takes.
final class WorkerLoop {
    private let endpoint: String
    private let options: HelplineWorker.Options
    private let mailbox: Mailbox<WorkerCommand>
    private let tickets: AsyncStream<OfferedTicket>.Continuation
    private let events: AsyncStream<WorkerEvent>.Continuation
    private let context: ZMQContext
    private var connection: WorkerConnection?
    private var session: WorkerSession
    private var reconnectAt: Int64?
    private var reconnectDelay: Int64
    private let encoder = HeaderEncoder()
    private let decoder = HeaderDecoder()
    /// Signature, command, header, body, and one more to see (and drop) an extra frame.
    private let inbound = ZMQMultipart(capacity: 5)
    private var stopping = false
    /// Messages read per wake-up before the mailbox and the timers get a turn: a fair
    /// share, so console commands and heartbeats are not starved by a flood from the broker.
    private static let maxMessagesPerTurn = 1000

    /// Opens the first socket and sends READY; throws if the endpoint is unusable.
    init(
        endpoint: String, registration: WorkerRegistration, options: HelplineWorker.Options,
        mailbox: Mailbox<WorkerCommand>, tickets: AsyncStream<OfferedTicket>.Continuation,
        events: AsyncStream<WorkerEvent>.Continuation
    ) throws(ZMQError) {
        self.endpoint = endpoint
        self.options = options
        self.mailbox = mailbox
        self.tickets = tickets
        self.events = events
        session = WorkerSession(registration: registration, liveness: options.liveness)
        reconnectDelay = Int64(max(1, options.reconnectDelay.wholeMilliseconds))
        context = try ZMQContext()
        connection = try WorkerConnection(context: context, endpoint: endpoint, curve: options.curve, wakeUp: mailbox.wakeUp)
        session.connectionOpened(now: MonotonicClock.milliseconds())
        perform(now: MonotonicClock.milliseconds())
    }

    /// Serves until `.stop`, then sends DISCONNECT and ends both streams.
    func run() {
        while !stopping {
            turn()
        }
        // Replies posted just before close still go out, ahead of DISCONNECT.
        let now = MonotonicClock.milliseconds()
        for case .send(let message, let body) in mailbox.close() { session.command(message, body: body, now: now) }
        session.close()
        perform(now: MonotonicClock.milliseconds())
        connection?.linger(options.closeLinger)
        connection = nil
        tickets.finish()
        events.finish()
    }

    private func turn() {
        let before = MonotonicClock.milliseconds()
        let due = [session.nextTimer(), reconnectAt].compactMap { $0 }.min()
        let timeout = due.map { Int(max(0, $0 - before)) } ?? -1
        let poller = connection?.poller ?? idlePoller
        do {
            _ = try poller.poll(timeoutMilliseconds: timeout)
        } catch {
            // Only a terminated context fails a poll, and this loop owns its context.
            stopping = true
            return
        }
        let now = MonotonicClock.milliseconds()
        if poller.isReadable(0) { drainMailbox(now: now) }
        if let connection {
            if poller.isReadable(1) { drainSocket(connection, now: now) }
            if poller.isReadable(2) {
                for event in connection.transportEvents() { events.yield(event) }
            }
        }
        if let at = reconnectAt, now >= at { reconnect(now: now) }
        session.tick(now: now)
        perform(now: now)
    }

    /// Polls the mailbox alone while there is no socket (waiting to reconnect).
    private lazy var idlePoller = ZMQPoller([.fileDescriptor(mailbox.wakeUp.fileDescriptor)])

    private func drainMailbox(now: Int64) {
        for command in mailbox.take() {
            switch command {
            case .send(let message, let body): session.command(message, body: body, now: now)
            case .presence(let presence): session.setPresence(presence, now: now)
            case .stop: stopping = true
            }
        }
    }

    private func drainSocket(_ connection: WorkerConnection, now: Int64) {
        for _ in 0..<Self.maxMessagesPerTurn {
            guard (try? connection.socket.receive(into: inbound, dontWait: true)) == true else { return }
            guard !inbound.overflowed else { continue }
            let decoded: (WorkerDirective, [UInt8])? = inbound.withFrames(from: 0) { frames in
                do {
                    // One small array per message: a peer reads far fewer than a broker does.
                    let envelope = try WireEnvelope(frames: Array(frames), receiver: .worker)
                    let directive = try decoder.decodeWorkerDirective(command: envelope.command.rawValue, header: envelope.header)
                    return (directive, envelope.body.map { Array($0) } ?? [])
                } catch {
                    // The spec: drop what cannot be decoded; never answer ERROR.
                    return nil
                }
            }
            guard let (directive, body) = decoded else { continue }
            if case .welcome = directive { reconnectDelay = Int64(max(1, options.reconnectDelay.wholeMilliseconds)) }
            session.receive(directive, body: body, now: now)
        }
    }

    private func perform(now: Int64) {
        for action in session.takeActions() {
            switch action {
            case .send(let message, let body):
                connection?.send(message, body: body, encoder: encoder)
            case .offer(let ticket):
                tickets.yield(ticket)
            case .event(let event):
                events.yield(event)
            case .reconnect:
                connection = nil
                reconnectAt = now + reconnectDelay
                events.yield(.reconnecting(after: .milliseconds(reconnectDelay)))
                reconnectDelay = min(reconnectDelay * 2, Int64(max(1, options.maxReconnectDelay.wholeMilliseconds)))
            }
        }
    }

    private func reconnect(now: Int64) {
        reconnectAt = nil
        do {
            connection = try WorkerConnection(context: context, endpoint: endpoint, curve: options.curve, wakeUp: mailbox.wakeUp)
            session.connectionOpened(now: now)
        } catch {
            reconnectAt = now + reconnectDelay
        }
    }
}
