import CLibPQ
import HelplineJournal

/// One libpq connection, used by one thread (the broker's loop): synchronous calls, and a
/// pipeline for the journal's batches (every statement of a wake-up goes out in one write,
/// one round trip for the lot).
final class PostgresConnection {
    private let connection: OpaquePointer
    /// Statements sent in the pipeline whose results are not read yet.
    private(set) var unread = 0

    /// Connects with a libpq connection string or URI (`postgresql:///helpline?host=/run/pg`).
    init(_ conninfo: String) throws(JournalError) {
        guard let connection = PQconnectdb(conninfo) else {
            throw JournalError(code: Self.errorCode, message: "out of memory", operation: "connect")
        }
        self.connection = connection
        // On failure `deinit` (which runs: every property is set) closes the connection.
        guard PQstatus(connection) == CONNECTION_OK else {
            throw JournalError(code: Self.errorCode, message: lastError, operation: "connect")
        }
    }

    deinit {
        PQfinish(connection)
    }

    /// The code a PostgreSQL failure carries in `JournalError` (SQLite's SQLITE_IOERR: the
    /// broker treats every write failure alike).
    static let errorCode: Int32 = 10

    var lastError: String {
        String(cString: PQerrorMessage(connection)).trimmedLines
    }

    /// The server's process id for this session.
    var backendPID: Int32 { PQbackendPID(connection) }

    /// Runs `sql` (one or more statements, no parameters) and returns its rows as text.
    @discardableResult
    func execute(_ sql: String, _ operation: String) throws(JournalError) -> [[String?]] {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        return try Self.rows(result, operation, connection: self)
    }

    /// Runs `sql` with text parameters and returns its rows; `binary` asks for binary
    /// results (bytea as raw bytes, int8 big-endian) through `each`.
    func query(_ sql: String, _ parameters: [String?] = [], _ operation: String) throws(JournalError) -> [[String?]] {
        var values = PostgresParameters()
        for parameter in parameters { values.text(parameter) }
        let result = values.withArrays { count, pointers, lengths, formats in
            PQexecParams(connection, sql, count, nil, pointers, lengths, formats, 0)
        }
        defer { PQclear(result) }
        return try Self.rows(result, operation, connection: self)
    }

    /// Runs `sql` asking for binary results and hands each row's raw columns to `each`
    /// (valid only during the call; nil for NULL).
    func binaryRows(_ sql: String, _ operation: String, _ each: ([UnsafeRawBufferPointer?]) -> Void) throws(JournalError) {
        let result = PQexecParams(connection, sql, 0, nil, nil, nil, nil, 1)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else {
            throw JournalError(code: Self.errorCode, message: Self.message(result, self), operation: operation)
        }
        let columns = PQnfields(result)
        for row in 0..<PQntuples(result) {
            each(
                (0..<columns).map { column in
                    guard PQgetisnull(result, row, column) == 0, let bytes = PQgetvalue(result, row, column) else { return nil }
                    return UnsafeRawBufferPointer(start: bytes, count: Int(PQgetlength(result, row, column)))
                })
        }
    }

    /// Prepares `sql` under `name` for `sendPrepared`.
    func prepare(_ name: String, _ sql: String) throws(JournalError) {
        let result = PQprepare(connection, name, sql, 0, nil)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            throw JournalError(code: Self.errorCode, message: Self.message(result, self), operation: "prepare")
        }
    }

    // MARK: Pipeline

    /// Queues the prepared statement `name` with `parameters` (libpq copies them now); its
    /// result is read at the next `sync`. The first one enters pipeline mode.
    func sendPrepared(_ name: String, _ parameters: inout PostgresParameters, _ operation: String) throws(JournalError) {
        if PQpipelineStatus(connection) == PQ_PIPELINE_OFF, PQenterPipelineMode(connection) != 1 {
            throw JournalError(code: Self.errorCode, message: lastError, operation: operation)
        }
        let sent = parameters.withArrays { count, pointers, lengths, formats in
            PQsendQueryPrepared(connection, name, count, pointers, lengths, formats, 0)
        }
        guard sent == 1 else { throw JournalError(code: Self.errorCode, message: lastError, operation: operation) }
        unread += 1
    }

    /// Ends the pipeline's batch and reads every result up to the sync point; the first
    /// failure is thrown (after all results are read, so the connection stays usable), and
    /// the connection leaves pipeline mode. `check` sees each command's affected-row count,
    /// in order, and may fail the batch.
    func sync(_ operation: String, check: (Int, Int) -> String? = { _, _ in nil }) throws(JournalError) {
        guard PQpipelineStatus(connection) != PQ_PIPELINE_OFF else { return }
        defer { PQexitPipelineMode(connection) }
        guard PQpipelineSync(connection) == 1 else {
            unread = 0
            throw JournalError(code: Self.errorCode, message: lastError, operation: operation)
        }
        var failure: String?
        var index = 0
        while true {
            guard let result = PQgetResult(connection) else {
                // Between two statements' results; or the server is gone.
                if PQstatus(connection) != CONNECTION_OK {
                    failure = failure ?? lastError
                    break
                }
                continue
            }
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_SYNC {
                PQclear(result)
                break
            }
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK {
                let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
                if failure == nil, let problem = check(index, affected) { failure = problem }
            } else if failure == nil {
                failure = status == PGRES_PIPELINE_ABORTED ? "pipeline aborted" : Self.message(result, self)
            }
            PQclear(result)
            index += 1
            if PQstatus(connection) != CONNECTION_OK {
                failure = failure ?? lastError
                break
            }
        }
        unread = 0
        if let failure { throw JournalError(code: Self.errorCode, message: failure, operation: operation) }
    }

    private static func message(_ result: OpaquePointer?, _ connection: PostgresConnection) -> String {
        guard let result, let text = PQresultErrorMessage(result), text.pointee != 0 else { return connection.lastError }
        return String(cString: text).trimmedLines
    }

    private static func rows(_ result: OpaquePointer?, _ operation: String, connection: PostgresConnection) throws(JournalError) -> [[String?]] {
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw JournalError(code: errorCode, message: message(result, connection), operation: operation)
        }
        let columns = PQnfields(result)
        return (0..<PQntuples(result)).map { row in
            (0..<columns).map { column in
                PQgetisnull(result, row, column) == 0 ? String(cString: PQgetvalue(result, row, column)) : nil
            }
        }
    }
}

extension String {
    /// Without the newline libpq ends its messages with.
    var trimmedLines: String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
