import HelplineWire

/// A durable fact about a ticket, emitted by the core as `BrokerAction.journal` when the
/// configuration asks for journaling. The loop writes every record of one wake-up in one
/// transaction before it performs that wake-up's sends ("confirm after durable").
///
/// Records name workers by their stable name, never by connection, so a journal read after
/// a restart means the same thing. Times are the core's monotonic `Timestamp`s; the loop
/// turns them into wall-clock time when it writes them.
///
/// Three kinds carry an acknowledgment to a client and MUST commit before it is sent:
/// `asked` (QUEUED), `transferred` (TRANSFERRED) and `finished` (the outcome). The others
/// are informational: losing one in a crash only makes a restored ticket look less far
/// along (a held ticket comes back waiting), never loses or repeats an outcome.
public enum JournalRecord: Sendable, Equatable {
    /// A new ticket was accepted (its QUEUED follows). The ASK body travels beside the record.
    /// `owner`: the key that asked it (CURVE), the only one that may see or cancel it.
    case asked(TicketReference, Ask, bodyDigest: UInt64?, client: ConnectionID, owner: String? = nil, at: Timestamp)
    /// ASSIGN sent to `worker`; `attempt` counts offers of this ticket (1 for the first).
    case offered(TicketReference, worker: String, attempt: Int, at: Timestamp)
    /// A HILA accepted it and works on it.
    case accepted(TicketReference, worker: String, at: Timestamp)
    /// The ticket left `worker`'s hands without an outcome from it: revoked, declined or
    /// its holder lost. `note` is a DECLINE's reason.
    case released(TicketReference, worker: String, reason: ReleaseReason, note: String?, at: Timestamp)
    /// Moved to the live-agent queue (its TRANSFERRED follows). `worker` is the HILA that
    /// sent TRANSFER, when one did.
    case transferred(TicketReference, reason: TransferReason, note: String?, worker: String?, at: Timestamp)
    /// The ticket's one outcome (its final message follows). An answer's body travels beside.
    case finished(TicketReference, JournalOutcome, at: Timestamp)
    /// Retention ran out: the ticket and its history may be deleted.
    case pruned(TicketReference)

    /// The ticket the record is about.
    public var ticket: TicketReference {
        switch self {
        case .asked(let ticket, _, _, _, _, _), .offered(let ticket, _, _, _), .accepted(let ticket, _, _),
            .released(let ticket, _, _, _, _), .transferred(let ticket, _, _, _, _), .finished(let ticket, _, _),
            .pruned(let ticket):
            ticket
        }
    }

    /// Whether a client acknowledgment depends on this record: QUEUED, TRANSFERRED or an
    /// outcome must not be sent unless it committed.
    public var acknowledges: Bool {
        switch self {
        case .asked, .transferred, .finished: true
        case .offered, .accepted, .released, .pruned: false
        }
    }
}

/// A ticket as the journal keys it: the client's id and the broker's sequence number (ASK
/// order). Ids may be reused once a ticket is pruned; sequence numbers never are.
public struct TicketReference: Sendable, Hashable {
    /// The client-chosen ticket id.
    public var id: String
    /// The broker's ASK order number, unique across restarts.
    public var sequence: UInt64

    /// A reference to ticket `id` with sequence number `sequence`.
    public init(id: String, sequence: UInt64) {
        self.id = id
        self.sequence = sequence
    }
}

/// Why a ticket left a worker without an outcome from it (the audit trail's "revoked, and why").
public enum ReleaseReason: String, Sendable, CaseIterable {
    /// The worker sent DECLINE.
    case declined
    /// Not accepted within the accept timeout (REVOKE accept-timeout).
    case acceptTimeout = "accept-timeout"
    /// An accepted ticket's lease ran out (REVOKE lease-expired).
    case leaseExpired = "lease-expired"
    /// An offered ticket's max wait passed; it moves to live agents (REVOKE max-wait).
    case maxWait = "max-wait"
    /// The client cancelled it (REVOKE cancelled).
    case cancelled
    /// Its deadline passed (REVOKE expired).
    case expired
    /// The worker died, left, re-registered without it, or did not re-register in time
    /// after a broker restart.
    case holderLost = "holder-lost"
}

/// A ticket's one outcome as the journal keeps it.
public enum JournalOutcome: Sendable, Equatable {
    /// A HILA answered (ANSWERED; the body travels beside the record).
    case answered(Answered)
    /// A live agent took the conversation over (ASSIGNED role live).
    case takenOver(worker: String)
    /// The client cancelled it (CANCELLED).
    case cancelled
    /// Its deadline passed (EXPIRED).
    case expired

    /// The outcome's name in the journal and the audit trail: the spelling REPORT and
    /// `helpline ask` use too.
    public var name: String {
        switch self {
        case .answered: "answered"
        case .takenOver: "taken_over"
        case .cancelled: "cancelled"
        case .expired: "expired"
        }
    }

    /// An outcome name as read from a journal, in today's spelling: journals written before
    /// November 2026 spell `taken_over` with a hyphen, and are read as if they did not.
    public static func canonicalName(_ stored: String) -> String {
        stored == "taken-over" ? "taken_over" : stored
    }
}
