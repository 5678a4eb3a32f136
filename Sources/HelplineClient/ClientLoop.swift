import HelplinePeer
import HelplineWire
import ZeroMQ

/// The I/O thread's side of the client: it alone owns the broker link, the session and
/// the waiters' channels. API calls reach it through the mailbox; results leave it through
/// channels and one-shots.
final class ClientLoop: PeerLinkHandler {
    private let mailbox: Mailbox<ClientCommand>
    private let link: PeerLink
    private var session: ClientSession
    private var channels: [String: TicketChannel] = [:]
    private var statusWaiters: [Int: OneShot<Report>] = [:]
    private var nextStatusID = 0
    private let encoder = HeaderEncoder()
    private let decoder = HeaderDecoder()
    private var stopping = false
    /// The transport's connects on the current socket.
    private var connects = 0

    /// Opens the first socket; throws if the endpoint or the options are unusable.
    init(endpoint: String, options: HelplineClient.Options, mailbox: Mailbox<ClientCommand>) throws(ZMQError) {
        self.mailbox = mailbox
        session = ClientSession(settings: ClientSession.Settings(options))
        link = try PeerLink(
            endpoint: endpoint, signature: .client, curve: options.curve, monitoring: [.connected],
            wakeUp: mailbox.wakeUp,
            backoff: ReconnectBackoff(first: options.reconnectDelay, ceiling: options.maxReconnectDelay))
        session.connectionOpened(now: MonotonicClock.milliseconds())
    }

    /// Serves until `.stop`, then fails whatever is still pending with `.closed`.
    func run() {
        while !stopping {
            turn()
        }
        session.close()
        perform(now: MonotonicClock.milliseconds())
        for command in mailbox.close() { refuse(command) }
        link.close()
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
            case .ask(let request, let channel):
                if session.ask(request, now: now) {
                    channels[request.id] = channel
                } else {
                    channel.finish(.failure(.duplicateTicket(request.id)))
                }
            case .cancel(let ticket):
                session.cancel(ticket, now: now)
            case .status(let waiter, let timeout):
                nextStatusID += 1
                statusWaiters[nextStatusID] = waiter
                session.status(request: nextStatusID, timeout: Int64(timeout.wholeMilliseconds), now: now)
            case .stop:
                stopping = true
            }
        }
    }

    func received(_ envelope: WireEnvelope, now: Int64) {
        // The spec: log and drop what cannot be decoded; never answer ERROR.
        guard let reply = try? decoder.decodeClientReply(command: envelope.command.rawValue, header: envelope.header)
        else { return }
        link.brokerAnswered()
        session.receive(reply, body: envelope.body.map { Array($0) } ?? [], now: now)
    }

    /// Every connect after the first on this socket is a reconnect the DEALER made
    /// silently, possibly to a restarted broker: every open ticket must be RESUMEd (spec:
    /// "Implementing a client", 7).
    func transport(_ events: [ZMQMonitorEvent.Kind], now: Int64) {
        var reconnected = false
        for kind in events where kind == .connected {
            connects += 1
            if connects > 1 { reconnected = true }
        }
        if reconnected { session.transportReconnected(now: now) }
    }

    func socketOpened(now: Int64) {
        connects = 0
        session.connectionOpened(now: now)
    }

    private func perform(now: Int64) {
        for action in session.takeActions() {
            switch action {
            case .send(let message, let body):
                encoder.withEncoded(message) { command, header in link.send(command, header: header, body: body) }
            case .event(let ticket, let event):
                channels[ticket]?.yield(event)
            case .finish(let ticket, let result):
                channels.removeValue(forKey: ticket)?.finish(result)
            case .report(let request, let result):
                statusWaiters.removeValue(forKey: request)?.fulfil(result)
            case .reconnect:
                link.reconnectLater(now: now)
            }
        }
    }

    /// A command that arrived after the loop stopped.
    private func refuse(_ command: ClientCommand) {
        switch command {
        case .ask(let request, let channel): channel.finish(.failure(.closed(request.id)))
        case .status(let waiter, _): waiter.fulfil(.failure(.closed(nil)))
        case .cancel, .stop: break
        }
    }
}
