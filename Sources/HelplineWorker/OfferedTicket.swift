import HelplineWire

/// A ticket the broker offers this worker: the ASSIGN header and the client's body, byte
/// for byte (spec §"ASSIGN"). Accept it within ``acceptTimeout``, or it is revoked.
public struct OfferedTicket: Sendable, Equatable {
    /// The ticket id; pass it to ``HelplineWorker/accept(_:lease:)`` and the other replies.
    public var id: String
    /// The queue it came from.
    public var role: Role
    /// The skills it needs.
    public var skills: [String]
    /// 0–9, higher first.
    public var priority: Int
    /// The options to show the human as buttons, in the client's order.
    public var options: [String]
    /// Time since the client's ASK.
    public var age: Duration
    /// Time the worker has to accept.
    public var acceptTimeout: Duration
    /// Time left before the ticket expires.
    public var deadline: Duration
    /// 1 for the first offer, one more for each later offer to any worker.
    public var attempt: Int
    /// Why it reached the live queue (live tickets only).
    public var transferReason: TransferReason?
    /// The transferring HILA's note, when it gave one.
    public var note: String?
    /// The client's body, opaque to the broker; by convention a MessagePack map (see
    /// ``askBody``).
    public var body: [UInt8]

    /// The body read as the recommended ASK map (prompt, context, transcript, customer,
    /// proposed); nil when it is empty or not such a map.
    public var askBody: AskBody? { AskBody(decoding: body) }

    /// Creates an offered ticket from an ASSIGN header and its body.
    public init(_ assign: Assign, body: [UInt8]) {
        id = assign.ticket
        role = assign.role
        skills = assign.skills
        priority = assign.priority
        options = assign.options
        age = .milliseconds(assign.ageMilliseconds)
        acceptTimeout = .milliseconds(assign.acceptTimeoutMilliseconds)
        deadline = .milliseconds(assign.deadlineMilliseconds)
        attempt = assign.attempt
        transferReason = assign.transferReason
        note = assign.note
        self.body = body
    }
}
