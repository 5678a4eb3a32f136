import HelplineWire
import ZeroMQ

/// The I/O thread's side of the client: it alone owns the DEALER socket, the session and
/// the waiters' channels. API calls reach it through the mailbox; results leave it through
/// channels and one-shots.
final class ClientLoop {
    private let endpoint: String
    private let options: HelplineClient.Options
    private let mailbox: Mailbox<ClientCommand>
    private let context: ZMQContext
    private var connection: ClientConnection?
    private var session: ClientSession
    private var channels: [String: TicketChannel] = [:]
    private var statusWaiters: [Int: OneShot<Report>] = [:]
    private var nextStatusID = 0
    /// When to open a new socket, while there is none.
    private var reconnectAt: Int64?
    private var reconnectDelay: Int64
    private let encoder = HeaderEncoder()
    private let decoder = HeaderDecoder()
    /// Signature, command, header, body, and one more to see (and drop) an extra frame.
    private let inbound = ZMQMultipart(capacity: 5)
    private var stopping = false
    /// Messages read per wake-up before the mailbox and the timers get a turn: a fair
    /// share, so API commands and timers are not starved by a flood from the broker.
    private static let maxMessagesPerTurn = 1000

    /// Opens the first socket; throws if the endpoint or the options are unusable.
    init(endpoint: String, options: HelplineClient.Options, mailbox: Mailbox<ClientCommand>) throws(ZMQError) {
        self.endpoint = endpoint
        self.options = options
        self.mailbox = mailbox
        session = ClientSession(settings: ClientSession.Settings(options))
        reconnectDelay = Int64(max(1, options.reconnectDelay.wholeMilliseconds))
        context = try ZMQContext()
        connection = try ClientConnection(context: context, endpoint: endpoint, curve: options.curve, wakeUp: mailbox.wakeUp)
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
        connection = nil
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
            if poller.isReadable(2), connection.transportReconnected() { session.transportReconnected(now: now) }
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

    private func drainSocket(_ connection: ClientConnection, now: Int64) {
        for _ in 0..<Self.maxMessagesPerTurn {
            guard (try? connection.socket.receive(into: inbound, dontWait: true)) == true else { return }
            guard !inbound.overflowed else { continue }
            let decoded: (ClientReply, [UInt8])? = inbound.withFrames(from: 0) { frames in
                do {
                    // One small array per message: a peer reads far fewer than a broker does.
                    let envelope = try WireEnvelope(frames: Array(frames), receiver: .client)
                    let reply = try decoder.decodeClientReply(command: envelope.command.rawValue, header: envelope.header)
                    return (reply, envelope.body.map { Array($0) } ?? [])
                } catch {
                    // The spec: log and drop what cannot be decoded; never answer ERROR.
                    return nil
                }
            }
            guard let (reply, body) = decoded else { continue }
            reconnectDelay = Int64(max(1, options.reconnectDelay.wholeMilliseconds))
            session.receive(reply, body: body, now: now)
        }
    }

    private func perform(now: Int64) {
        for action in session.takeActions() {
            switch action {
            case .send(let message, let body):
                connection?.send(message, body: body, encoder: encoder)
            case .event(let ticket, let event):
                channels[ticket]?.yield(event)
            case .finish(let ticket, let result):
                channels.removeValue(forKey: ticket)?.finish(result)
            case .report(let request, let result):
                statusWaiters.removeValue(forKey: request)?.fulfil(result)
            case .reconnect:
                // A new socket, never the old one: its queue may hold messages for a peer
                // that is gone, and libzmq would keep retrying it.
                connection = nil
                reconnectAt = now + reconnectDelay
                reconnectDelay = min(reconnectDelay * 2, Int64(max(1, options.maxReconnectDelay.wholeMilliseconds)))
            }
        }
    }

    private func reconnect(now: Int64) {
        reconnectAt = nil
        do {
            connection = try ClientConnection(context: context, endpoint: endpoint, curve: options.curve, wakeUp: mailbox.wakeUp)
            session.connectionOpened(now: now)
        } catch {
            reconnectAt = now + reconnectDelay
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
