import HelplineWire

/// Progress on an open ticket, before its outcome (spec §"HLP/Client" dialogs).
public enum TicketEvent: Sendable, Equatable {
    /// The broker holds the ticket: the queue it waits in, its stage, and how many tickets
    /// are ahead of it (0 once offered or accepted).
    case queued(role: Role, stage: TicketStage, position: Int)
    /// A HILA accepted it; an answer (or a transfer) follows. Repeats if it is re-offered.
    case assigned(worker: String, role: Role)
    /// It moved to the live-agent queue, for `reason`; `note` is the HILA's, if it gave one.
    case transferred(reason: TransferReason, note: String?)
}
