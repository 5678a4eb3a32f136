import HelplineWire

/// One ticket's life as the journal recorded it: the audit trail's unit. Times are
/// wall-clock milliseconds since 1970.
public struct TicketHistory: Sendable, Equatable {
    /// The client's ticket id.
    public var id: String
    /// The broker's ASK order number.
    public var sequence: UInt64
    /// When the broker accepted the ASK.
    public var askedAt: Int64
    /// The ASK header (skills, role, priority, options, max wait, deadline).
    public var ask: Ask
    /// The client connection's number (routing ids are not stable across reconnects).
    public var clientConnection: UInt64
    /// The client's name when the broker knew one (a CURVE key's name).
    public var clientName: String?
    /// Offers, accepts, releases and transfers, in order.
    public var events: [Event]
    /// The ticket's one outcome, if it has ended.
    public var outcome: Outcome?

    /// One step of a ticket's life.
    public struct Event: Sendable, Equatable {
        /// `offered`, `accepted`, `released` or `transferred`.
        public var kind: String
        public var at: Int64
        /// Who it was offered to, who accepted, who released it, who transferred it.
        public var worker: String?
        /// Why it was released (`ReleaseReason`) or transferred (`TransferReason`).
        public var reason: String?
        /// A DECLINE's reason or a TRANSFER's note.
        public var note: String?
        /// The offer's attempt number.
        public var attempt: Int?
    }

    /// How a ticket ended.
    public struct Outcome: Sendable, Equatable {
        /// `answered`, `taken_over`, `cancelled` or `expired`.
        public var kind: String
        public var at: Int64
        /// Who answered or took it over.
        public var worker: String?
        /// The answer's decision, for `answered`.
        public var decision: Decision?
        /// The chosen option, for decision `option`.
        public var option: String?
        /// Milliseconds from ASK to ANSWER, as the broker measured.
        public var elapsedMilliseconds: Int?
        /// Bytes of the stored answer body.
        public var bodyBytes: Int
    }

    /// Milliseconds from ASK to the first offer; nil if never offered.
    public var timeToFirstOffer: Int64? {
        events.first { $0.kind == "offered" }.map { $0.at - askedAt }
    }

    /// Milliseconds from ASK to the first accept (a HILA's ACCEPT, or a live take-over).
    public var timeToAccept: Int64? {
        if let accepted = events.first(where: { $0.kind == "accepted" }) { return accepted.at - askedAt }
        if let outcome, outcome.kind == "taken_over" { return outcome.at - askedAt }
        return nil
    }

    /// Milliseconds from ASK to its outcome; nil while open.
    public var timeToOutcome: Int64? { outcome.map { $0.at - askedAt } }
}
