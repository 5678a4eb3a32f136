import HelplineWire

/// What happens to a worker's connection and tickets, apart from offers.
public enum WorkerEvent: Sendable, Equatable {
    /// The transport connected to the broker (again, after a drop).
    case connected
    /// The broker accepted READY: the negotiated timings, and which held tickets it kept.
    case registered(Welcome)
    /// The broker took a ticket back; drop it and do not answer it.
    case revoked(ticket: String, reason: RevokeReason)
    /// After a reconnect the broker no longer gives this worker the ticket (WELCOME
    /// `dropped`, or ERROR 403/404 on it): drop it and do not answer it.
    case dropped(ticket: String)
    /// The broker refused a command (ERROR); the registration is unchanged.
    case refused(ErrorReply)
    /// The library changed the presence itself: `away` after an accept timeout, as the
    /// spec requires, until ``HelplineWorker/setPresence(_:)`` says `active` again.
    case presenceChanged(Presence)
    /// The registration or the transport ended: broker DISCONNECT, broker silence, no
    /// WELCOME, or the TCP connection dropped.
    case disconnected(reason: String)
    /// A new socket and READY follow after this wait.
    case reconnecting(after: Duration)
    /// The broker has processed and recorded the final reply (ANSWER, TRANSFER, DECLINE) on
    /// this ticket (only with ``HelplineWorker/Options/confirmReplies``). A reply it refused
    /// is reported as ``refused(_:)`` instead, with the ticket's id.
    case replyRecorded(ticket: String)
    /// The connection dropped before the broker confirmed the reply, and after the reconnect
    /// the broker no longer lists the ticket: it was recorded, or given to someone else
    /// (only with ``HelplineWorker/Options/confirmReplies``).
    case replyUncertain(ticket: String)
}
