import HelplinePeer
import HelplineWire
import ZeroMQ

/// A console's connection to a Helpline broker (HLP/Worker): receive tickets, accept,
/// answer, transfer, decline, extend, and report the human's presence.
///
/// ```swift
/// let worker = try HelplineWorker(endpoint: "tcp://127.0.0.1:5555",
///                                 registration: WorkerRegistration(name: "ana", role: .hila, skills: ["refunds"]))
/// for await ticket in worker.tickets {
///     try worker.accept(ticket.id)
///     try worker.answer(ticket.id, decision: .approve)
/// }
/// ```
///
/// A dedicated thread owns the socket and heartbeats on the negotiated interval however
/// long the human takes. When the broker sends DISCONNECT or falls silent, it reconnects
/// on a new socket with backoff and sends READY listing the tickets the console still
/// holds; tickets WELCOME drops are reported as ``WorkerEvent/dropped(ticket:)``.
public final class HelplineWorker: Sendable {
    /// The broker endpoint, as given.
    public let endpoint: String
    /// Who this worker is.
    public let registration: WorkerRegistration
    /// Tickets offered to this worker, in order. One consumer: iterate it, or call
    /// ``serve(accepting:_:)``, not both. Ends when the worker closes.
    public let tickets: AsyncStream<OfferedTicket>
    /// Connection changes, revocations and refusals. Keeps the latest 1,000 for a reader
    /// that falls behind; ends when the worker closes.
    public let events: AsyncStream<WorkerEvent>
    private let mailbox: Mailbox<WorkerCommand>
    private let thread: IOThread

    /// Starts the worker's I/O thread, connects and sends READY (the broker may come up
    /// later). Throws `.invalid` for a registration the broker would refuse, `.closed` when
    /// the endpoint or the CURVE keys are unusable.
    public init(endpoint: String, registration: WorkerRegistration, options: Options = Options()) throws(HelplineWorkerError) {
        try Self.validate(.ready(registration.ready(holding: [], presence: registration.presence)))
        self.endpoint = endpoint
        self.registration = registration
        let mailbox: Mailbox<WorkerCommand>
        do throws(ZMQError) {
            mailbox = try Mailbox()
        } catch {
            throw .closed(because: error)
        }
        let (tickets, ticketSink) = AsyncStream.makeStream(of: OfferedTicket.self)
        let (events, eventSink) = AsyncStream.makeStream(of: WorkerEvent.self, bufferingPolicy: .bufferingNewest(1000))
        let started = Latch<ZMQError?>()
        thread = IOThread(name: "helpline-worker") {
            let loop: WorkerLoop
            do throws(ZMQError) {
                loop = try WorkerLoop(
                    endpoint: endpoint, registration: registration, options: options, mailbox: mailbox,
                    tickets: ticketSink, events: eventSink)
            } catch {
                ticketSink.finish()
                eventSink.finish()
                started.set(error)
                return
            }
            started.set(nil)
            loop.run()
        }
        self.mailbox = mailbox
        self.tickets = tickets
        self.events = events
        if let error = started.wait() {
            thread.join()
            throw .closed(because: error)
        }
    }

    deinit {
        close()
    }

    /// The human picked the ticket up. `lease`: how long they expect to work on it; the
    /// broker revokes it if that passes without an answer or ``extend(_:lease:)``. Zero
    /// (the default) holds it while the console lives. For a live ticket, accepting takes
    /// the conversation over and ends the ticket.
    public func accept(_ ticket: String, lease: Duration = .zero) throws(HelplineWorkerError) {
        try post(.accept(ticket: ticket, leaseMilliseconds: lease.wholeMilliseconds))
    }

    /// The human's decision; `option` names one of the ticket's options exactly when
    /// `decision` is `.option`. Allowed without ``accept(_:lease:)`` (an implicit accept).
    /// `body` by convention is a MessagePack map (`AnswerBody` in HelplineWire).
    public func answer(
        _ ticket: String, decision: Decision, option: String? = nil, body: [UInt8] = []
    ) throws(HelplineWorkerError) {
        guard body.count <= WireLimits.maxBodyBytes else {
            throw .invalid(
                WireError(code: .tooLarge, text: "ANSWER: body is \(body.count) bytes; must be at most \(WireLimits.maxBodyBytes)"))
        }
        try post(.answer(Answer(ticket: ticket, decision: decision, option: option)), body: body)
    }

    /// Hands the ticket to live agents, with a note for them and the client (HILA only).
    public func transfer(_ ticket: String, note: String? = nil) throws(HelplineWorkerError) {
        try post(.transfer(ticket: ticket, note: note))
    }

    /// Gives the ticket back; the broker never offers it to this worker again.
    public func decline(_ ticket: String, reason: String? = nil) throws(HelplineWorkerError) {
        try post(.decline(ticket: ticket, reason: reason))
    }

    /// Renews the lease on an accepted ticket: `lease` from the broker's receipt.
    public func extend(_ ticket: String, lease: Duration) throws(HelplineWorkerError) {
        try post(.extend(ticket: ticket, leaseMilliseconds: lease.wholeMilliseconds))
    }

    /// Tells the broker whether the human is at the console, at once. `away` keeps the
    /// tickets held and stops new offers. After an accept timeout the library sets `away`
    /// itself (the spec requires it) until this says `active` again.
    public func setPresence(_ presence: Presence) throws(HelplineWorkerError) {
        guard mailbox.post(.presence(presence)) else { throw .closed }
    }

    /// Sends DISCONNECT (the broker re-dispatches what this worker held at once), stops
    /// the I/O thread and ends ``tickets`` and ``events``. Replies already made are sent
    /// first. Blocks until the thread has stopped (at most the close linger). Safe to call
    /// more than once; called on deinit.
    public func close() {
        mailbox.post(.stop)
        thread.join()
    }

    private func post(_ message: WorkerMessage, body: [UInt8] = []) throws(HelplineWorkerError) {
        try Self.validate(message)
        guard mailbox.post(.send(message, body: body)) else { throw .closed }
    }

    /// Checks a command against every rule the broker applies, by encoding the header and
    /// decoding it again: the wire codec is the one source of truth for limits.
    private static func validate(_ message: WorkerMessage) throws(HelplineWorkerError) {
        let (command, header) = HeaderEncoder().encode(message)
        // Array's withUnsafeBytes rethrows untyped errors, hence the Result.
        let decoded = header.withUnsafeBytes { buffer in
            Result { () throws(WireError) in
                try HeaderDecoder().decodeWorkerMessage(command: command.rawValue, header: buffer)
            }
        }
        if case .failure(let error) = decoded { throw .invalid(error) }
    }
}
