import CSQLite
import HelplineBrokerCore

/// The broker's journal: an SQLite database in WAL mode, written by the loop thread only.
///
/// The loop appends every record of one wake-up and commits once (group commit): one
/// transaction, one WAL append, at most one fsync (`--sync full`) per wake-up, however
/// many tickets it carried. Statements are prepared once; bodies are bound in place from
/// the frames they arrived in.
///
/// ```swift
/// let journal = try Journal(path: "data/helpline.db", sync: .normal, clock: clock)
/// let tickets = try journal.restoredTickets(makeBody: { ZMQFrame($0) })
/// try journal.append(record, body: bytes)   // per record of the wake-up
/// try journal.commit()                      // once per wake-up
/// ```
public final class Journal {
    /// The database file.
    public let path: String
    /// How hard commits push to the disk.
    public let sync: JournalSync
    /// Turns the core's timestamps into recorded wall-clock times and back.
    public let clock: JournalClock
    /// Names a client connection for the audit trail (a CURVE key name, say); nil records
    /// only the connection number.
    public var clientName: (ConnectionID) -> String? = { _ in nil }

    let database: SQLiteDatabase
    private let insertTicket: SQLiteStatement
    private let insertEvent: SQLiteStatement
    private let insertOutcome: SQLiteStatement
    private let deleteTicket: SQLiteStatement
    private let deleteEvents: SQLiteStatement
    private let deleteOutcome: SQLiteStatement
    private let begin: SQLiteStatement
    private let commitStatement: SQLiteStatement
    private let probeStatement: SQLiteStatement
    private let probeCleanup: SQLiteStatement
    /// The global write order of the next record.
    private var nextStep: Int64
    /// Records appended to the open transaction.
    public private(set) var pendingRecords = 0
    /// Prunes committed since the free pages were last returned to the file system.
    private var prunedSinceVacuum = 0

    /// Bounds the write-ahead log after a checkpoint: 64 MiB holds many seconds of the
    /// heaviest load, and keeps a long run's disk use flat.
    static let walSizeLimitBytes = 64 << 20
    /// Waits this long for a lock another connection holds (an audit reader during a
    /// checkpoint) before a write fails.
    static let busyTimeoutMilliseconds = 2_000
    /// Returns free pages to the file system after this many prunes: pages freed by pruning
    /// are reused by new tickets first, so this only shrinks the file after a burst.
    static let vacuumEveryPrunes = 10_000
    /// The probe writes (and removes) this much: room for a batch of ordinary tickets, so a
    /// journal that passes the probe does not fail on the next ASK.
    static let probeHeadroomBytes = 64 << 10

    /// Opens (creating if needed) the journal at `path`, with the directory it is in.
    /// `maxBytes` caps the file: beyond it writes fail as on a full disk.
    public init(path: String, sync: JournalSync, clock: JournalClock, maxBytes: Int64? = nil) throws(JournalError) {
        self.path = path
        self.sync = sync
        self.clock = clock
        database = try SQLiteDatabase(path: path, readOnly: false)
        try database.execute("PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds)", "configure")
        // Only takes effect on a new, empty file: it must come before the first table.
        try database.execute("PRAGMA auto_vacuum = INCREMENTAL", "configure")
        let mode = try database.text("PRAGMA journal_mode = WAL", "configure")
        guard mode?.lowercased() == "wal" else {
            throw JournalError(code: SQLITE_ERROR, message: "cannot use WAL mode (got \(mode ?? "nothing"))", operation: "open")
        }
        try database.execute("PRAGMA synchronous = \(sync.pragma)", "configure")
        try database.execute("PRAGMA journal_size_limit = \(Self.walSizeLimitBytes)", "configure")
        try database.execute("BEGIN; \(JournalSchema.tables) COMMIT;", "create tables")
        try Self.checkVersion(database)
        if let maxBytes {
            let pageSize = try database.integer("PRAGMA page_size", "configure")
            try database.execute("PRAGMA max_page_count = \(max(1, maxBytes / max(1, pageSize)))", "configure")
        }
        insertTicket = try database.prepare(JournalSchema.insertTicket)
        insertEvent = try database.prepare(JournalSchema.insertEvent)
        insertOutcome = try database.prepare(JournalSchema.insertOutcome)
        deleteTicket = try database.prepare(JournalSchema.deleteTicket)
        deleteEvents = try database.prepare(JournalSchema.deleteEvents)
        deleteOutcome = try database.prepare(JournalSchema.deleteOutcome)
        begin = try database.prepare("BEGIN")
        commitStatement = try database.prepare("COMMIT")
        probeStatement = try database.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('probe', zeroblob(?1))")
        probeCleanup = try database.prepare("DELETE FROM meta WHERE key = 'probe'")
        nextStep = try database.integer(JournalSchema.lastStep, "open") + 1
    }

    private static func checkVersion(_ database: SQLiteDatabase) throws(JournalError) {
        try database.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', \(JournalSchema.version))", "create tables")
        let found = try database.integer("SELECT value FROM meta WHERE key = 'schema'", "open")
        guard found == JournalSchema.version else {
            throw JournalError(
                code: SQLITE_MISMATCH, message: "journal schema \(found), this broker reads \(JournalSchema.version)", operation: "open")
        }
    }

    // MARK: Writing

    /// Adds one record to the open transaction (opening one if needed). `body` is the ASK
    /// body of `asked` and the answer body of an answered `finished`; it is bound in place
    /// and must stay valid until this returns.
    public func append(_ record: JournalRecord, body: UnsafeRawBufferPointer?) throws(JournalError) {
        if pendingRecords == 0, !database.inTransaction { try begin.run("begin") }
        pendingRecords += 1
        let step = nextStep
        nextStep += 1
        try write(record, step: step, body: body)
    }

    /// Commits the open transaction, if any: every record appended since the last commit
    /// is durable (to the level `sync` says) when this returns. On error the transaction is
    /// rolled back: none of its records is in the journal.
    public func commit() throws(JournalError) {
        guard pendingRecords > 0 else { return }
        do {
            try commitStatement.run("commit")
            pendingRecords = 0
        } catch {
            rollback()
            throw error
        }
    }

    /// Abandons the open transaction (after an append failed).
    public func rollback() {
        pendingRecords = 0
        if database.inTransaction { try? database.execute("ROLLBACK", "rollback") }
    }

    /// Whether the journal takes a write now, with room to spare: a transaction that
    /// writes `probeHeadroomBytes` and removes them, for a broker waiting for a full or
    /// read-only disk to come back.
    public func probe() throws(JournalError) {
        rollback()
        do {
            try begin.run("probe")
            probeStatement.bind(1, Self.probeHeadroomBytes)
            try probeStatement.run("probe")
            try probeCleanup.run("probe")
            try commitStatement.run("probe")
        } catch {
            rollback()
            throw error
        }
    }

    /// Returns free pages to the file system when enough tickets were pruned since last
    /// time (incremental vacuum, outside any batch). Errors are not fatal: the pages stay
    /// free inside the file and are reused.
    public func maintain() {
        guard prunedSinceVacuum >= Self.vacuumEveryPrunes, pendingRecords == 0 else { return }
        prunedSinceVacuum = 0
        try? database.execute("PRAGMA incremental_vacuum", "vacuum")
    }

    private func write(_ record: JournalRecord, step: Int64, body: UnsafeRawBufferPointer?) throws(JournalError) {
        switch record {
        case .asked(let ticket, let ask, let digest, let client, let owner, let at):
            let statement = insertTicket
            statement.bind(1, Int64(bitPattern: ticket.sequence))
            statement.bind(2, ticket.id)
            statement.bind(3, step)
            statement.bind(4, clock.epochMilliseconds(at))
            statement.bind(5, ask.role.rawValue)
            statement.bind(6, JournalSchema.join(ask.skills))
            statement.bind(7, ask.priority)
            statement.bind(8, JournalSchema.join(ask.options))
            statement.bind(9, ask.maxWaitMilliseconds)
            statement.bind(10, ask.deadlineMilliseconds)
            statement.bind(11, digest.map { Int64(bitPattern: $0) })
            statement.bind(12, Int64(bitPattern: client.raw))
            statement.bind(13, owner ?? clientName(client))
            statement.bindBorrowed(14, body)
            try statement.run("write ticket")
        case .offered(let ticket, let worker, let attempt, let at):
            try event(ticket, step, "offered", at, worker: worker, attempt: attempt)
        case .accepted(let ticket, let worker, let at):
            try event(ticket, step, "accepted", at, worker: worker)
        case .released(let ticket, let worker, let reason, let note, let at):
            try event(ticket, step, "released", at, worker: worker, reason: reason.rawValue, note: note)
        case .transferred(let ticket, let reason, let note, let worker, let at):
            try event(ticket, step, "transferred", at, worker: worker, reason: reason.rawValue, note: note)
        case .finished(let ticket, let outcome, let at):
            try finished(ticket, step, outcome, at, body: body)
        case .pruned(let ticket):
            for statement in [deleteTicket, deleteEvents, deleteOutcome] {
                statement.bind(1, Int64(bitPattern: ticket.sequence))
                try statement.run("prune")
            }
            prunedSinceVacuum += 1
        }
    }

    private func event(
        _ ticket: TicketReference, _ step: Int64, _ kind: String, _ at: Timestamp, worker: String?, reason: String? = nil,
        note: String? = nil, attempt: Int? = nil
    ) throws(JournalError) {
        let statement = insertEvent
        statement.bind(1, Int64(bitPattern: ticket.sequence))
        statement.bind(2, step)
        statement.bind(3, kind)
        statement.bind(4, clock.epochMilliseconds(at))
        statement.bind(5, worker)
        statement.bind(6, reason)
        statement.bind(7, note)
        statement.bind(8, attempt)
        try statement.run("write event")
    }

    private func finished(
        _ ticket: TicketReference, _ step: Int64, _ outcome: JournalOutcome, _ at: Timestamp, body: UnsafeRawBufferPointer?
    ) throws(JournalError) {
        let statement = insertOutcome
        statement.bind(1, Int64(bitPattern: ticket.sequence))
        statement.bind(2, step)
        statement.bind(3, outcome.name)
        statement.bind(4, clock.epochMilliseconds(at))
        switch outcome {
        case .answered(let answered):
            statement.bind(5, answered.worker)
            statement.bind(6, answered.decision.rawValue)
            statement.bind(7, answered.option)
            statement.bind(8, answered.elapsedMilliseconds)
            statement.bindBorrowed(9, body)
        case .takenOver(let worker):
            statement.bind(5, worker)
        case .cancelled, .expired:
            break
        }
        try statement.run("write outcome")
    }
}
