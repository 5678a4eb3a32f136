import HelplineBrokerCore
import HelplineJournal

/// The broker's journal on PostgreSQL (`--journal postgresql://...`), for brokers that must
/// outlive their machine: the same records and rules as the SQLite `Journal`.
///
/// libpq's C API, synchronous, on the loop's own thread: each wake-up's records go out as
/// one pipeline (BEGIN, the inserts, COMMIT, one sync), so a batch costs one round trip and
/// one commit however many tickets it carries, and `commit` returns only when the server
/// has made it durable (as its `synchronous_commit` says).
///
/// ```swift
/// let journal = try PostgresJournal(conninfo: "postgresql:///helpline?host=/run/pg", clock: clock)
/// try journal.append(record, body: bytes)   // per record of the wake-up
/// try journal.commit()                      // once per wake-up
/// ```
public final class PostgresJournal: JournalStore {
    /// The libpq connection string or URI.
    public let conninfo: String
    /// Turns the core's timestamps into recorded wall-clock times and back.
    public let clock: JournalClock
    private var connection: PostgresConnection
    private var parameters = PostgresParameters()
    private var nextStep: Int64
    /// Records appended to the open transaction.
    public private(set) var pendingRecords = 0

    /// A batch is read back (synced) after this many statements even before its COMMIT:
    /// libpq blocks writing while the server blocks writing results nobody reads.
    static let statementsPerSync = 512

    /// Whether `text` names a PostgreSQL journal rather than an SQLite file.
    public static func isConnectionString(_ text: String) -> Bool {
        text.hasPrefix("postgresql:") || text.hasPrefix("postgres:")
    }

    /// Connects, creates the tables if missing and prepares the statements.
    public init(conninfo: String, clock: JournalClock) throws(JournalError) {
        self.conninfo = conninfo
        self.clock = clock
        connection = try Self.open(conninfo)
        nextStep = try Self.integer(connection.execute(PostgresSchema.lastStep, "open")) + 1
    }

    private static func open(_ conninfo: String) throws(JournalError) -> PostgresConnection {
        let connection = try PostgresConnection(conninfo)
        // Concurrent brokers creating the tables at once would race in CREATE IF NOT EXISTS.
        try connection.execute("SELECT pg_advisory_lock(7370)", "create tables")
        do {
            try connection.execute(PostgresSchema.tables, "create tables")
        } catch {
            _ = try? connection.execute("SELECT pg_advisory_unlock(7370)", "create tables")
            throw error
        }
        try connection.execute("SELECT pg_advisory_unlock(7370)", "create tables")
        let found = try integer(connection.execute("SELECT value FROM meta WHERE key = 'schema'", "open"))
        guard found == PostgresSchema.version else {
            throw JournalError(
                code: PostgresConnection.errorCode, message: "journal schema \(found), this broker reads \(PostgresSchema.version)",
                operation: "open")
        }
        for statement in PostgresSchema.statements { try connection.prepare(statement.name, statement.sql) }
        return connection
    }

    static func integer(_ rows: [[String?]]) -> Int64 {
        rows.first?.first.flatMap { $0 }.flatMap { Int64($0) } ?? 0
    }

    // MARK: JournalStore

    public func append(_ record: JournalRecord, body: UnsafeRawBufferPointer?) throws(JournalError) {
        if pendingRecords == 0 { try send("begin", "begin") }
        pendingRecords += 1
        let step = nextStep
        nextStep += 1
        parameters.removeAll()
        let name: String
        switch record {
        case .asked(let ticket, let ask, let digest, let client, let owner, let at):
            name = "ticket"
            parameters.integer(Int64(bitPattern: ticket.sequence))
            parameters.text(ticket.id)
            parameters.integer(step)
            parameters.integer(clock.epochMilliseconds(at))
            parameters.text(ask.role.rawValue)
            parameters.text(JournalSchema.join(ask.skills))
            parameters.integer(ask.priority)
            parameters.text(JournalSchema.join(ask.options))
            parameters.integer(ask.maxWaitMilliseconds)
            parameters.integer(ask.deadlineMilliseconds)
            parameters.integer(digest.map { Int64(bitPattern: $0) })
            parameters.integer(Int64(bitPattern: client.raw))
            parameters.text(owner)
            parameters.bytes(body)
        case .offered(let ticket, let worker, let attempt, let at):
            name = "event"
            event(ticket, step, "offered", at, worker: worker, attempt: attempt)
        case .accepted(let ticket, let worker, let at):
            name = "event"
            event(ticket, step, "accepted", at, worker: worker)
        case .released(let ticket, let worker, let reason, let note, let at):
            name = "event"
            event(ticket, step, "released", at, worker: worker, reason: reason.rawValue, note: note)
        case .transferred(let ticket, let reason, let note, let worker, let at):
            name = "event"
            event(ticket, step, "transferred", at, worker: worker, reason: reason.rawValue, note: note)
        case .finished(let ticket, let outcome, let at):
            name = "outcome"
            parameters.integer(Int64(bitPattern: ticket.sequence))
            parameters.integer(step)
            parameters.text(outcome.name)
            parameters.integer(clock.epochMilliseconds(at))
            switch outcome {
            case .answered(let answered):
                parameters.text(answered.worker)
                parameters.text(answered.decision.rawValue)
                parameters.text(answered.option)
                parameters.integer(answered.elapsedMilliseconds)
                parameters.bytes(body)
            case .takenOver(let worker):
                parameters.text(worker)
                for _ in 0..<4 { parameters.text(nil) }
            case .cancelled, .expired:
                for _ in 0..<5 { parameters.text(nil) }
            }
        case .pruned(let ticket):
            name = "prune"
            parameters.integer(Int64(bitPattern: ticket.sequence))
        }
        try connection.sendPrepared(name, &parameters, "write \(name)")
        if connection.unread >= Self.statementsPerSync { try connection.sync("write \(name)") }
    }

    public func commit() throws(JournalError) {
        guard pendingRecords > 0 else { return }
        do {
            try send("commit", "commit")
            try connection.sync("commit")
            pendingRecords = 0
        } catch {
            rollback()
            throw error
        }
    }

    public func rollback() {
        pendingRecords = 0
        _ = try? connection.sync("rollback")
        _ = try? connection.execute("ROLLBACK", "rollback")
    }

    /// A write transaction on a live connection; a lost connection is opened again here.
    public func probe() throws(JournalError) {
        rollback()
        if (try? connection.execute("SELECT 1", "probe")) == nil {
            connection = try Self.open(conninfo)
        }
        try connection.execute("BEGIN; UPDATE meta SET value = value WHERE key = 'schema'; COMMIT", "probe")
    }

    public func maintain() {}

    public func restoredTickets<Body>(makeBody: (UnsafeRawBufferPointer) -> Body) throws(JournalError) -> [RestoredTicket<Body>] {
        try PostgresRestore(connection: connection, clock: clock).tickets(makeBody: makeBody)
    }

    private func send(_ name: String, _ operation: String) throws(JournalError) {
        parameters.removeAll()
        try connection.sendPrepared(name, &parameters, operation)
    }

    private func event(
        _ ticket: TicketReference, _ step: Int64, _ kind: String, _ at: Timestamp, worker: String?, reason: String? = nil,
        note: String? = nil, attempt: Int? = nil
    ) {
        parameters.integer(Int64(bitPattern: ticket.sequence))
        parameters.integer(step)
        parameters.text(kind)
        parameters.integer(clock.epochMilliseconds(at))
        parameters.text(worker)
        parameters.text(reason)
        parameters.text(note)
        parameters.integer(attempt)
    }
}
