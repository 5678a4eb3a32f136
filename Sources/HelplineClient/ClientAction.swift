import HelplineWire

/// What the session asks the I/O thread to do after an input.
enum ClientAction: Equatable {
    /// Send this command (with this body, for ASK).
    case send(ClientMessage, body: [UInt8])
    /// Tell the ticket's waiters about progress.
    case event(ticket: String, TicketEvent)
    /// The ticket ended (or failed): deliver it, once.
    case finish(ticket: String, Result<Outcome, HelplineClientError>)
    /// A status request ended.
    case report(request: Int, Result<Report, HelplineClientError>)
    /// The broker is silent: close the socket and connect a new one after a backoff.
    case reconnect
}
