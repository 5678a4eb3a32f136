import HelplineWire

extension BrokerState {
    /// Emits a journal record when journaling is on. Inlined so that, off, the optimiser
    /// drops building the record along with the branch.
    @inline(__always)
    mutating func record(_ record: JournalRecord, body: BodyReference = .none) {
        guard configuration.journaling else { return }
        emissions.append(.journal(record, body))
    }

    /// The journal key of a ticket.
    @usableFromInline
    func reference(_ ticket: TicketHandle) -> TicketReference {
        TicketReference(id: tickets[ticket].id, sequence: tickets[ticket].sequence)
    }

    /// Refuses a client command that would need a durable record: ERROR 503.
    /// Returns true when it refused.
    mutating func refuseClientIfUnwritable(_ connection: ConnectionID, ticket: String, command: Command) -> Bool {
        guard journalUnwritable else { return false }
        refuseClient(connection, .unavailable, Self.unwritableText, ticket: ticket, command: command)
        return true
    }

    /// Refuses a worker command that would need a durable record: ERROR 503, the ticket
    /// stays as it is. Returns true when it refused.
    mutating func refuseWorkerIfUnwritable(_ connection: ConnectionID, ticket: String, command: Command) -> Bool {
        guard journalUnwritable else { return false }
        refuseWorker(connection, .unavailable, Self.unwritableText, ticket: ticket, command: command)
        return true
    }

    static let unwritableText = "journal unwritable: nothing accepted, retry later"

    /// A deadline or max wait fired while its outcome cannot be persisted: tries again one
    /// retry interval later. Returns true when it deferred.
    mutating func deferWhileUnwritable(_ ticket: TicketHandle, _ timer: TicketTimer, now: Timestamp) -> Bool {
        guard journalUnwritable else { return false }
        let due = now.advanced(by: configuration.effectiveJournalRetry)
        switch timer {
        case .deadline: tickets[ticket].deadlineTimer = arm(.deadline, target: ticket.slot, due: due)
        case .maxWait: tickets[ticket].maxWaitTimer = arm(.maxWait, target: ticket.slot, due: due)
        case .hold: preconditionFailure("only outcome timers are deferred")
        }
        return true
    }

    /// A commit succeeded again: acknowledgments may flow; reroutes held back meanwhile
    /// happen now.
    mutating func journalRecovered(now: Timestamp) {
        let now = advance(to: now)
        guard journalUnwritable else { return }
        journalUnwritable = false
        sweepUnservable(now: now)
        flushDirtyWorkers()
    }
}
