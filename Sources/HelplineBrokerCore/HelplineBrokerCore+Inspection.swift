import HelplineWire

/// A read-only view of one ticket, for tests and the fuzzer (not part of the public API).
package struct TicketSnapshot: Equatable, Sendable {
    /// `waiting`, `offered`, `accepted` or `finished`.
    package var stage: String
    /// The role of the queue it is in now.
    package var role: Role
    /// The worker holding it, when offered or accepted.
    package var holder: String?
    /// Offers made so far.
    package var attempts: Int
    /// Workers that declined it.
    package var declinedBy: [String]
}

/// A read-only view of one worker, for tests and the fuzzer.
package struct WorkerSnapshot: Equatable, Sendable {
    package var connection: ConnectionID
    package var load: Int
    package var capacity: Int
    package var presence: Presence
    /// Ids of the tickets it holds, oldest offer first.
    package var held: [String]
}

extension HelplineBrokerCore {
    /// The ticket with `id`, open or retained; `nil` if unknown or pruned.
    package func ticket(_ id: String) -> TicketSnapshot? {
        guard let handle = state.ticketsByID[id] else { return nil }
        let record = state.tickets[handle]
        let stage: String
        switch record.state {
        case .waiting: stage = "waiting"
        case .offered: stage = "offered"
        case .accepted: stage = "accepted"
        case .reserved: stage = "reserved"
        case .inTransit: stage = "in-transit"
        case .finished: stage = "finished"
        }
        var holder = record.state.holder.map { state.workers[$0].name }
        if case .reserved(let name, _) = record.state { holder = name }
        return TicketSnapshot(
            stage: stage, role: record.role, holder: holder,
            attempts: record.attempts, declinedBy: record.declinedBy)
    }

    /// The registered worker named `name`; `nil` if unknown (never registered, or dead).
    package func worker(_ name: String) -> WorkerSnapshot? {
        guard let handle = state.workersByName[name] else { return nil }
        let record = state.workers[handle]
        return WorkerSnapshot(
            connection: record.connection, load: record.load, capacity: record.capacity, presence: record.presence.wire,
            held: record.held.map { state.tickets[$0].id })
    }

    /// Tickets known (open and retained).
    package var ticketCount: Int { state.tickets.count }

    /// Distinct requirements currently interned (in use or idle).
    package var requirementCount: Int { state.requirements.count }

    /// Entries in the timer heap, armed or stale (memory checks).
    package var timerEntryCount: Int { state.timers.count }
}
