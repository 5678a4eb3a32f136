import CSQLite
import HelplineBrokerCore
import HelplineWire

/// A read-only view of a journal, for `helpline audit`: safe while the broker writes (WAL
/// readers see the last commit and never block the writer).
public final class JournalReader {
    private let database: SQLiteDatabase

    /// Opens the journal at `path` read-only; fails if it does not exist.
    public init(path: String) throws(JournalError) {
        database = try SQLiteDatabase(path: path, readOnly: true)
        try database.execute("PRAGMA busy_timeout = 2000", "configure")
        // A read of the schema proves it is a journal (and not some other file).
        let version = try database.integer("SELECT value FROM meta WHERE key = 'schema'", "open")
        guard version == JournalSchema.version else {
            throw JournalError(code: SQLITE_MISMATCH, message: "journal schema \(version), expected \(JournalSchema.version)", operation: "open")
        }
    }

    /// Calls `body` with each ticket's history, in ASK order: tickets asked at or after
    /// `since` (milliseconds since 1970), or only the ticket `id`. One snapshot: what the
    /// broker commits meanwhile is not seen.
    public func forEachHistory(since: Int64? = nil, id: String? = nil, _ body: (TicketHistory) -> Void) throws(JournalError) {
        var conditions: [String] = []
        if since != nil { conditions.append("asked_at >= ?1") }
        if id != nil { conditions.append("id = ?2") }
        let filter = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
        try database.execute("BEGIN", "read")
        defer { try? database.execute("COMMIT", "read") }
        let tickets = try database.prepare(
            """
            SELECT seq, id, asked_at, role, skills, priority, options, max_wait, deadline, client, client_name
            FROM tickets WHERE \(filter) ORDER BY seq
            """, persistent: false)
        let events = try database.prepare(
            """
            SELECT ticket, kind, at, worker, reason, note, attempt FROM events
            WHERE ticket IN (SELECT seq FROM tickets WHERE \(filter)) ORDER BY ticket, step
            """, persistent: false)
        let outcomes = try database.prepare(
            """
            SELECT ticket, kind, at, worker, decision, option, elapsed, length(body) FROM outcomes
            WHERE ticket IN (SELECT seq FROM tickets WHERE \(filter)) ORDER BY ticket
            """, persistent: false)
        for statement in [tickets, events, outcomes] {
            if let since { statement.bind(1, since) }
            if let id { statement.bind(2, id) }
        }
        var eventRow = try events.step("read events")
        var outcomeRow = try outcomes.step("read outcomes")
        while try tickets.step("read tickets") {
            let sequence = tickets.integer(0)
            var history = TicketHistory(
                id: tickets.text(1) ?? "", sequence: UInt64(bitPattern: sequence), askedAt: tickets.integer(2),
                ask: Ask(
                    ticket: tickets.text(1) ?? "", skills: JournalSchema.split(tickets.text(4)),
                    role: Role(rawValue: tickets.text(3) ?? "") ?? .hila, priority: Int(tickets.integer(5)),
                    options: JournalSchema.split(tickets.text(6)), maxWaitMilliseconds: Int(tickets.integer(7)),
                    deadlineMilliseconds: Int(tickets.integer(8))),
                clientConnection: UInt64(bitPattern: tickets.integer(9)), clientName: tickets.text(10), events: [],
                outcome: nil)
            while eventRow, events.integer(0) <= sequence {
                if events.integer(0) == sequence {
                    history.events.append(
                        TicketHistory.Event(
                            kind: events.text(1) ?? "", at: events.integer(2), worker: events.text(3), reason: events.text(4),
                            note: events.text(5), attempt: events.optionalInteger(6).map { Int($0) }))
                }
                eventRow = try events.step("read events")
            }
            while outcomeRow, outcomes.integer(0) <= sequence {
                if outcomes.integer(0) == sequence {
                    history.outcome = TicketHistory.Outcome(
                        kind: JournalOutcome.canonicalName(outcomes.text(1) ?? ""), at: outcomes.integer(2),
                        worker: outcomes.text(3),
                        decision: outcomes.text(4).flatMap(Decision.init(rawValue:)), option: outcomes.text(5),
                        elapsedMilliseconds: outcomes.optionalInteger(6).map { Int($0) },
                        bodyBytes: Int(outcomes.optionalInteger(7) ?? 0))
                }
                outcomeRow = try outcomes.step("read outcomes")
            }
            body(history)
        }
    }

    /// Every matching history, in ASK order (see `forEachHistory`).
    public func histories(since: Int64? = nil, id: String? = nil) throws(JournalError) -> [TicketHistory] {
        var all: [TicketHistory] = []
        try forEachHistory(since: since, id: id) { all.append($0) }
        return all
    }
}
