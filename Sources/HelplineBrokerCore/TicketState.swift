import HelplineWire

/// Where a ticket stands. Exactly one case at a time; the spec's lifecycle drawing:
///
/// ```
///  ASK ──> [waiting] ──offer──> [offered to W] ──ACCEPT──> [accepted by W] ──ANSWER──> *answered*
///             ^                     │ accept timeout / DECLINE / W dies        │
///             └─────────────────────┴──────── (front of its priority) <────────┘ W dies, lease
///  any open state: CANCEL ──> *cancelled*; deadline ──> *expired*; live ACCEPT ──> *taken over*
/// ```
enum TicketState: Equatable, Sendable {
    /// In its queue (hila: its requirement's queue; live: the live queue) under `queueKey`.
    case waiting(queueKey: Int64)
    /// ASSIGNed to a worker that has not accepted yet; an accept timer runs.
    case offered(to: WorkerHandle, since: Timestamp)
    /// A human accepted it; with a lease, a lease timer runs.
    case accepted(by: WorkerHandle, since: Timestamp, leaseUntil: Timestamp?)
    /// Restored from the journal as offered to or accepted by `name`, which has not
    /// re-registered yet: out of every queue until its READY `holding` claims it or the
    /// restore grace ends (then it goes back to the front of its queue).
    case reserved(for: String, accepted: Bool)
    /// Taken from its queue or worker and about to be placed again within the same event.
    /// Never seen between events (the invariant checker says so).
    case inTransit
    /// Ended; kept until retention runs out so repeated ASK and RESUME get the outcome.
    case finished(TicketOutcome, at: Timestamp)

    /// Which case it is, without the payload.
    enum Kind {
        case waiting, offered, accepted, reserved, inTransit, finished
    }

    var kind: Kind {
        switch self {
        case .waiting: .waiting
        case .offered: .offered
        case .accepted: .accepted
        case .reserved: .reserved
        case .inTransit: .inTransit
        case .finished: .finished
        }
    }

    /// The worker holding it (offered or accepted), if any.
    var holder: WorkerHandle? {
        switch self {
        case .offered(let worker, _), .accepted(let worker, _, _): worker
        case .waiting, .reserved, .inTransit, .finished: nil
        }
    }

    var isOpen: Bool {
        if case .finished = self { return false }
        return true
    }

    /// The stage QUEUED reports for an open ticket.
    var stage: TicketStage? {
        switch self {
        case .waiting: .waiting
        case .offered: .offered
        case .accepted: .accepted
        case .reserved(_, let accepted): accepted ? .accepted : .offered
        case .inTransit, .finished: nil
        }
    }
}

/// How a ticket ended: the one final message its client gets (and gets again on RESUME).
enum TicketOutcome: Equatable, Sendable {
    /// A HILA answered: ANSWERED with the worker's body.
    case answered(Answered)
    /// A live agent accepted it: ASSIGNED (role live). The conversation continues outside.
    case takenOver(worker: String)
    /// The client withdrew it: CANCELLED.
    case cancelled
    /// Its deadline passed first: EXPIRED.
    case expired
}
