/// The journal's tables on PostgreSQL: the SQLite journal's (JournalSchema), column for
/// column, so the audit and the chaos harness read either the same way.
enum PostgresSchema {
    /// Bumped when a table changes; a journal of another version is refused.
    static let version: Int64 = 1

    static let tables = """
        CREATE TABLE IF NOT EXISTS meta(key text PRIMARY KEY, value bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS tickets(
            seq bigint PRIMARY KEY, id text NOT NULL, step bigint NOT NULL, asked_at bigint NOT NULL, role text NOT NULL,
            skills text NOT NULL, priority bigint NOT NULL, options text NOT NULL, max_wait bigint NOT NULL,
            deadline bigint NOT NULL, digest bigint, client bigint NOT NULL, client_name text, body bytea);
        CREATE TABLE IF NOT EXISTS events(
            ticket bigint NOT NULL, step bigint NOT NULL, kind text NOT NULL, at bigint NOT NULL, worker text,
            reason text, note text, attempt bigint, PRIMARY KEY(ticket, step));
        CREATE TABLE IF NOT EXISTS outcomes(
            ticket bigint PRIMARY KEY, step bigint NOT NULL, kind text NOT NULL, at bigint NOT NULL, worker text,
            decision text, option text, elapsed bigint, body bytea);
        INSERT INTO meta(key, value) VALUES ('schema', \(version)) ON CONFLICT (key) DO NOTHING;
        """

    /// Prepared statements, by name: the SQLite journal's INSERT OR REPLACE as upserts.
    static let statements: [(name: String, sql: String)] = [
        ("begin", "BEGIN"),
        ("commit", "COMMIT"),
        (
            "ticket",
            """
            INSERT INTO tickets(seq, id, step, asked_at, role, skills, priority, options, max_wait, deadline, digest,
                client, client_name, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (seq) DO UPDATE SET id = EXCLUDED.id, step = EXCLUDED.step, asked_at = EXCLUDED.asked_at,
                role = EXCLUDED.role, skills = EXCLUDED.skills, priority = EXCLUDED.priority, options = EXCLUDED.options,
                max_wait = EXCLUDED.max_wait, deadline = EXCLUDED.deadline, digest = EXCLUDED.digest,
                client = EXCLUDED.client, client_name = EXCLUDED.client_name, body = EXCLUDED.body
            """
        ),
        (
            "event",
            """
            INSERT INTO events(ticket, step, kind, at, worker, reason, note, attempt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (ticket, step) DO UPDATE SET kind = EXCLUDED.kind, at = EXCLUDED.at, worker = EXCLUDED.worker,
                reason = EXCLUDED.reason, note = EXCLUDED.note, attempt = EXCLUDED.attempt
            """
        ),
        (
            "outcome",
            """
            INSERT INTO outcomes(ticket, step, kind, at, worker, decision, option, elapsed, body)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (ticket) DO UPDATE SET step = EXCLUDED.step, kind = EXCLUDED.kind, at = EXCLUDED.at,
                worker = EXCLUDED.worker, decision = EXCLUDED.decision, option = EXCLUDED.option,
                elapsed = EXCLUDED.elapsed, body = EXCLUDED.body
            """
        ),
        (
            "prune",
            """
            WITH gone_events AS (DELETE FROM events WHERE ticket = $1), gone_outcome AS (DELETE FROM outcomes WHERE ticket = $1)
            DELETE FROM tickets WHERE seq = $1
            """
        ),
    ]

    static let lastStep = """
        SELECT greatest((SELECT max(step) FROM tickets), (SELECT max(step) FROM events), (SELECT max(step) FROM outcomes), 0)
        """
}
