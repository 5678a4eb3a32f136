import HelplinePeer

/// A ticket raised with ``HelplineClient/submit(_:)``: its progress as it happens, and its
/// one outcome.
public struct TicketHandle: Sendable {
    /// The ticket id.
    public let id: String
    /// Progress events until the outcome; the stream ends when the ticket does. Keeps the
    /// latest 64 events for a reader that falls behind.
    public var events: AsyncStream<TicketEvent> { channel.events }

    let channel: TicketChannel
    let mailbox: Mailbox<ClientCommand>

    /// Waits for the outcome. Every call returns the same one; it is never reported twice,
    /// whatever the broker repeats after a reconnect.
    public func outcome() async throws(HelplineClientError) -> Outcome {
        try await channel.outcome.value().get()
    }

    /// Asks the broker to cancel the ticket. The outcome is then `.cancelled`, or the
    /// outcome that crossed the cancel on its way.
    public func cancel() {
        mailbox.post(.cancel(ticket: id))
    }
}
