import HelplineWire

/// The journal's entry points. The loop drives them like this, once per wake-up:
///
/// ```swift
/// let batch = core.takeActions()
/// do {
///     try journal.commit(records of batch)      // one transaction: group commit
///     core.journalCommitted(now: now)           // (journalRecovered if it had failed)
///     perform the sends of batch
/// } catch {
///     core.journalFailed(batch, now: now)       // undo what it acknowledged, 503 mode
///     perform the sends of core.takeActions()   // what may still go out, and the 503s
/// }
/// ```
extension HelplineBrokerCore {
    /// Puts tickets read back from the journal into this fresh core (no ticket, no worker
    /// yet): waiting ones in their queues in their old order, with their age; held ones
    /// reserved for their worker's name until the restore grace ends; finished ones with
    /// their outcome and answer body until retention runs out. Deadlines, max waits and
    /// retention count from the recorded times, so those that ran out while the broker was
    /// down fire at the next `tick`.
    public mutating func restore(_ restored: [RestoredTicket<Body>], now: Timestamp) -> RestoreSummary {
        let plain = restored.map { ticket in
            RestoredTicket<Void>(
                ask: ticket.ask, bodyDigest: ticket.bodyDigest, askBody: nil, sequence: ticket.sequence,
                askedAt: ticket.askedAt, stage: ticket.stage, role: ticket.role, transferReason: ticket.transferReason,
                note: ticket.note, attempts: ticket.attempts, declinedBy: ticket.declinedBy,
                acceptedByHILA: ticket.acceptedByHILA, owner: ticket.owner)
        }
        let (handles, summary) = state.restore(plain, now: now)
        for (index, handle) in handles.enumerated() {
            guard let handle else { continue }
            if case .finished = restored[index].stage {
                Self.store(restored[index].answerBody, for: handle, in: &answerBodies)
            } else {
                Self.store(restored[index].askBody, for: handle, in: &askBodies)
            }
        }
        resolveEmissions()
        return summary
    }

    /// The records of the last batch committed: nothing of it needs undoing any more.
    public mutating func journalCommitted(now: Timestamp) {
        uncommittedForgottenAskBodies.removeAll(keepingCapacity: true)
        if state.journalUnwritable {
            state.journalRecovered(now: now)
            resolveEmissions()
        }
    }

    /// The commit of `batch` (the actions taken since the last commit) failed: the journal
    /// is unwritable. Undoes what the batch acknowledged (see `BrokerState.compensate`), and
    /// queues the batch's sends that may still go out, followed by the ERROR 503 replies and
    /// re-offers the undoing produced. Until a later commit succeeds (`journalCommitted`),
    /// new tickets, answers, transfers, live take-overs and cancels are refused with 503.
    public mutating func journalFailed(_ batch: [BrokerAction<Body>], now: Timestamp) {
        var records: [JournalRecord] = []
        for action in batch { if case .journal(let record, _) = action { records.append(record) } }
        let (created, changed) = state.acknowledgedTickets(in: records)
        let withheld = Set(created.map(\.id)).union(changed.map(\.id))
        var told: [String: [ConnectionID]] = [:]
        for action in batch {
            switch action {
            case .journal:
                continue
            case .sendToClient(let connection, let reply, _):
                if let id = reply.acknowledgedTicket, withheld.contains(id) {
                    if !(told[id]?.contains(connection) ?? false) { told[id, default: []].append(connection) }
                    continue
                }
            case .sendToWorker(_, .assign(let assign), _):
                if withheld.contains(assign.ticket) { continue }
            case .sendToWorker:
                break
            }
            actions.append(action)
        }
        // Tickets opened again need the ASK bodies their outcome let go.
        for stashed in uncommittedForgottenAskBodies where changed.contains(stashed.ticket) {
            let slot = Int(stashed.slot)
            if slot < askBodies.count { askBodies[slot] = stashed.body }
        }
        uncommittedForgottenAskBodies.removeAll(keepingCapacity: true)
        state.compensate(failed: records, told: told, now: now)
        resolveEmissions()
    }

    /// Whether the journal took the last batch (false after `journalFailed`, until a commit
    /// succeeds). While false the broker answers 503 to what it cannot persist.
    public var isJournalWritable: Bool { !state.journalUnwritable }

    /// The finish of `ticket` let its ASK body go; with journaling it is kept until the
    /// batch commits, in case the finish is undone. Inlinable like the entry points that
    /// reach it: unspecialized, it looked up `Body`'s metadata at run time for every ticket.
    @inlinable
    mutating func forgetAskBody(_ ticket: TicketHandle) {
        let slot = Int(ticket.slot)
        guard slot < askBodies.count else { return }
        if configuration.journaling, let body = askBodies[slot] {
            uncommittedForgottenAskBodies.append((state.reference(ticket), ticket.slot, body))
        }
        askBodies[slot] = nil
    }
}

extension ClientReply {
    /// The ticket whose acknowledgment this reply is (QUEUED, an event or an outcome);
    /// nil for ERROR, REPORT and HEARTBEAT.
    var acknowledgedTicket: String? {
        switch self {
        case .queued(let queued): queued.ticket
        case .assigned(let assigned): assigned.ticket
        case .answered(let answered): answered.ticket
        case .transferred(let transferred): transferred.ticket
        case .expired(let ticket), .cancelled(let ticket): ticket
        case .error, .report, .heartbeat: nil
        }
    }
}
