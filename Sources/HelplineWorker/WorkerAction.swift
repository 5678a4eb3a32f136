import HelplineWire

/// What the session asks the I/O thread to do after an input.
enum WorkerAction: Equatable {
    /// Send this command (with this body, for ANSWER).
    case send(WorkerMessage, body: [UInt8])
    /// Hand a new offer to the console.
    case offer(OfferedTicket)
    /// Tell the console what happened.
    case event(WorkerEvent)
    /// Close the socket; open a new one and send READY after a backoff.
    case reconnect
    /// The broker refused the registration for good (401): close and end the streams.
    case stop
}

/// What API calls ask the I/O thread to do.
enum WorkerCommand: Sendable {
    case send(WorkerMessage, body: [UInt8])
    case presence(Presence)
    case stop
}
