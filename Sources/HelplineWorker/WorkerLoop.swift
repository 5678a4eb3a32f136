import HelplinePeer
import HelplineWire
import ZeroMQ

/// The I/O thread's side of the worker: it alone owns the broker link and the session.
/// Heartbeats run here, on their own schedule, however long the human takes.
final class WorkerLoop: PeerLinkHandler {
    private let options: HelplineWorker.Options
    private let mailbox: Mailbox<WorkerCommand>
    private let tickets: AsyncStream<OfferedTicket>.Continuation
    private let events: AsyncStream<WorkerEvent>.Continuation
    private let link: PeerLink
    private var session: WorkerSession
    private let encoder = HeaderEncoder()
    private let decoder = HeaderDecoder()
    private var stopping = false

    /// Opens the first socket and sends READY; throws if the endpoint is unusable.
    init(
        endpoint: String, registration: WorkerRegistration, options: HelplineWorker.Options,
        mailbox: Mailbox<WorkerCommand>, tickets: AsyncStream<OfferedTicket>.Continuation,
        events: AsyncStream<WorkerEvent>.Continuation
    ) throws(ZMQError) {
        self.options = options
        self.mailbox = mailbox
        self.tickets = tickets
        self.events = events
        session = WorkerSession(registration: registration, liveness: options.liveness, confirmReplies: options.confirmReplies)
        link = try PeerLink(
            endpoint: endpoint, signature: .worker, curve: options.curve, monitoring: [.connected, .disconnected],
            wakeUp: mailbox.wakeUp,
            backoff: ReconnectBackoff(first: options.reconnectDelay, ceiling: options.maxReconnectDelay))
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
        link.close(linger: options.closeLinger)
        tickets.finish()
        events.finish()
    }

    private func turn() {
        guard let now = link.turn(timer: session.nextTimer(), self) else {
            stopping = true
            return
        }
        session.tick(now: now)
        perform(now: now)
    }

    func mailboxReady(now: Int64) {
        for command in mailbox.take() {
            switch command {
            case .send(let message, let body): session.command(message, body: body, now: now)
            case .presence(let presence): session.setPresence(presence, now: now)
            case .stop: stopping = true
            }
        }
    }

    func received(_ envelope: WireEnvelope, now: Int64) {
        // The spec: drop what cannot be decoded; never answer ERROR.
        guard let directive = try? decoder.decodeWorkerDirective(command: envelope.command.rawValue, header: envelope.header)
        else { return }
        // Only WELCOME proves the broker takes this worker again.
        if case .welcome = directive { link.brokerAnswered() }
        session.receive(directive, body: envelope.body.map { Array($0) } ?? [], now: now)
    }

    func transport(_ events: [ZMQMonitorEvent.Kind], now: Int64) {
        for kind in events {
            switch kind {
            case .connected: self.events.yield(.connected)
            case .disconnected: self.events.yield(.disconnected(reason: "the connection to the broker dropped"))
            default: break
            }
        }
    }

    func socketOpened(now: Int64) {
        session.connectionOpened(now: now)
    }

    private func perform(now: Int64) {
        for action in session.takeActions() {
            switch action {
            case .send(let message, let body):
                encoder.withEncoded(message) { command, header in link.send(command, header: header, body: body) }
            case .offer(let ticket):
                tickets.yield(ticket)
            case .event(let event):
                events.yield(event)
            case .reconnect:
                let delay = link.reconnectLater(now: now)
                events.yield(.reconnecting(after: .milliseconds(delay)))
            case .stop:
                stopping = true
            }
        }
    }
}
