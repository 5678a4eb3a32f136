import HelplineWire

/// What a ticket handler decided (see ``HelplineWorker/serve(accepting:_:)``).
public enum WorkerReply: Sendable, Equatable {
    /// ANSWER: the decision, the option when the decision is `.option`, and a body.
    case answer(Decision, option: String? = nil, body: [UInt8] = [])
    /// TRANSFER to live agents, with a note for them and the client.
    case transfer(note: String? = nil)
    /// DECLINE: give it back; it is never offered to this worker again.
    case decline(reason: String? = nil)
    /// The handler already replied through the worker's methods.
    case none
}
