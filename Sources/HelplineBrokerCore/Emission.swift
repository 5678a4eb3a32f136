import HelplineWire

/// An output of the routing state, before the facade attaches bodies: the state machine
/// only names which stored body goes with a message.
@usableFromInline
enum Emission: Sendable {
    case toClient(ConnectionID, ClientReply, BodyReference)
    case toWorker(ConnectionID, WorkerDirective, BodyReference)
    /// A durable fact for the journal, with the body that goes with it.
    case journal(JournalRecord, BodyReference)
    /// The ticket finished: its ASK body will never be sent again.
    case forgetAskBody(TicketHandle)
    /// The ticket was pruned: forget every body stored for its slot.
    case forgetBodies(TicketHandle)
}

/// Which stored body travels with a message.
@usableFromInline
enum BodyReference: Sendable {
    case none
    /// The client's ASK body (ASSIGN).
    case ask(TicketHandle)
    /// The worker's ANSWER body (ANSWERED, and its replays).
    case answer(TicketHandle)
}
