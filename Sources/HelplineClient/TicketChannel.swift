import HelplineWire

/// Where the I/O thread delivers one ticket's events and outcome, for the tasks that
/// wait on them.
final class TicketChannel: Sendable {
    let events: AsyncStream<TicketEvent>
    let outcome = OneShot<Outcome>()
    private let continuation: AsyncStream<TicketEvent>.Continuation

    init() {
        // A consumer that never reads must not grow memory without bound; only the latest
        // progress matters to one that reads late.
        (events, continuation) = AsyncStream.makeStream(of: TicketEvent.self, bufferingPolicy: .bufferingNewest(64))
    }

    func yield(_ event: TicketEvent) {
        continuation.yield(event)
    }

    /// Ends the ticket: the outcome (or failure) to its waiters, and the end of its events.
    func finish(_ result: Result<Outcome, HelplineClientError>) {
        outcome.fulfil(result)
        continuation.finish()
    }
}

/// What API calls ask the I/O thread to do.
enum ClientCommand: Sendable {
    case ask(TicketRequest, TicketChannel)
    case cancel(ticket: String)
    case status(OneShot<Report>, timeout: Duration)
    case stop
}
