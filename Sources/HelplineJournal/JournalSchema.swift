/// The journal's tables. One row per ticket, one per event of its life, one per outcome;
/// every row is keyed by the ticket's sequence number so pruning a ticket is three
/// primary-key deletes, and a ticket's history is contiguous on disk.
///
/// Times are wall-clock milliseconds since 1970. Skill and option lists are joined with
/// U+001F (names never hold control characters). `step` is the journal's global write
/// order: replay and queue order follow it.
package enum JournalSchema {
    /// Bumped when a table changes; a journal of another version is refused, not guessed at.
    static let version: Int64 = 1

    /// Separates list elements in a text column.
    static let listSeparator: Character = "\u{1F}"

    static let tables = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS tickets(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL,
            step INTEGER NOT NULL,
            asked_at INTEGER NOT NULL,
            role TEXT NOT NULL,
            skills TEXT NOT NULL,
            priority INTEGER NOT NULL,
            options TEXT NOT NULL,
            max_wait INTEGER NOT NULL,
            deadline INTEGER NOT NULL,
            digest INTEGER,
            client INTEGER NOT NULL,
            client_name TEXT,
            body BLOB);
        CREATE TABLE IF NOT EXISTS events(
            ticket INTEGER NOT NULL,
            step INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            worker TEXT,
            reason TEXT,
            note TEXT,
            attempt INTEGER,
            PRIMARY KEY(ticket, step)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS outcomes(
            ticket INTEGER PRIMARY KEY,
            step INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            worker TEXT,
            decision TEXT,
            option TEXT,
            elapsed INTEGER,
            body BLOB);
        """

    static let insertTicket = """
        INSERT OR REPLACE INTO tickets(seq, id, step, asked_at, role, skills, priority, options, max_wait, deadline,
            digest, client, client_name, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
        """
    static let insertEvent = """
        INSERT OR REPLACE INTO events(ticket, step, kind, at, worker, reason, note, attempt)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        """
    static let insertOutcome = """
        INSERT OR REPLACE INTO outcomes(ticket, step, kind, at, worker, decision, option, elapsed, body)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        """
    static let deleteTicket = "DELETE FROM tickets WHERE seq = ?1"
    static let deleteEvents = "DELETE FROM events WHERE ticket = ?1"
    static let deleteOutcome = "DELETE FROM outcomes WHERE ticket = ?1"
    static let lastStep = """
        SELECT max(coalesce((SELECT max(step) FROM tickets), 0), coalesce((SELECT max(step) FROM events), 0),
            coalesce((SELECT max(step) FROM outcomes), 0))
        """

    package static func join(_ names: [String]) -> String { names.joined(separator: String(listSeparator)) }

    package static func split(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: listSeparator, omittingEmptySubsequences: false).map(String.init)
    }
}
