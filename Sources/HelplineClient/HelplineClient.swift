import HelplinePeer
import HelplineWire
import ZeroMQ

/// A connection from an AI agent to a Helpline broker (HLP/Client): raise tickets that
/// need a human and wait for their outcomes, many at once over one connection.
///
/// ```swift
/// let client = try HelplineClient(endpoint: "tcp://127.0.0.1:5555")
/// let outcome = try await client.ask(TicketRequest(skills: ["refunds"], body: AskBody(prompt: "Refund order 1182?")))
/// ```
///
/// A dedicated thread owns the socket; calls from any task or thread reach it through a
/// queue. It heartbeats the broker while tickets are open, reconnects on a new socket
/// with backoff when the broker falls silent, RESUMEs every open ticket after any
/// reconnect, and reports each ticket's outcome exactly once.
public final class HelplineClient: Sendable {
    /// The broker endpoint, as given.
    public let endpoint: String
    private let mailbox: Mailbox<ClientCommand>
    private let thread: IOThread

    /// Starts the client's I/O thread and connects (in the background: the broker may come
    /// up later). Throws `.closed` with the transport's reason when the endpoint or the
    /// CURVE keys are unusable.
    public init(endpoint: String, options: Options = Options()) throws(HelplineClientError) {
        self.endpoint = endpoint
        let mailbox: Mailbox<ClientCommand>
        do throws(ZMQError) {
            mailbox = try Mailbox()
        } catch {
            throw .closed(nil, because: error)
        }
        let started = Latch<ZMQError?>()
        thread = IOThread(name: "helpline-client") {
            let loop: ClientLoop
            do throws(ZMQError) {
                loop = try ClientLoop(endpoint: endpoint, options: options, mailbox: mailbox)
            } catch {
                started.set(error)
                return
            }
            started.set(nil)
            loop.run()
        }
        self.mailbox = mailbox
        if let error = started.wait() {
            thread.join()
            throw .closed(nil, because: error)
        }
    }

    deinit {
        close()
    }

    /// Raises a ticket and returns at once; follow it with the handle.
    ///
    /// Throws `.invalidRequest` (nothing sent) when the request breaks a protocol rule,
    /// `.closed` after ``close()``. A second open ticket with the same id fails its handle
    /// with `.duplicateTicket`.
    public func submit(_ request: TicketRequest) throws(HelplineClientError) -> TicketHandle {
        try request.validate()
        let channel = TicketChannel()
        guard mailbox.post(.ask(request, channel)) else { throw .closed(request.id) }
        return TicketHandle(id: request.id, channel: channel, mailbox: mailbox)
    }

    /// Raises a ticket and waits for its outcome.
    ///
    /// Cancelling the calling task cancels the ticket at the broker; the call then
    /// returns `.cancelled` (or the outcome that crossed the cancel), or throws `.timeout`
    /// if the broker does not confirm within the cancel grace.
    public func ask(_ request: TicketRequest) async throws(HelplineClientError) -> Outcome {
        let handle = try submit(request)
        let result = await withTaskCancellationHandler {
            await handle.channel.outcome.value()
        } onCancel: {
            handle.cancel()
        }
        return try result.get()
    }

    /// Asks the broker to cancel an open ticket of this client; its ask then ends with
    /// `.cancelled` or the outcome that crossed the cancel. Nothing for other ids.
    public func cancel(ticket id: String) {
        mailbox.post(.cancel(ticket: id))
    }

    /// The broker's snapshot (STATUS → REPORT). Without CURVE only a client on a loopback
    /// address may ask (else `.refused` with 401).
    public func status(timeout: Duration = .seconds(5)) async throws(HelplineClientError) -> Report {
        let waiter = OneShot<Report>()
        guard mailbox.post(.status(waiter, timeout: timeout)) else { throw .closed(nil) }
        return try await waiter.value().get()
    }

    /// Stops the I/O thread and closes the socket; every pending ask and status request
    /// fails with `.closed`. Blocks until the thread has stopped (a few milliseconds).
    /// Safe to call more than once; called on deinit.
    public func close() {
        mailbox.post(.stop)
        thread.join()
    }
}
