import CSQLite

#if canImport(Glibc)
import Glibc
#endif

/// One SQLite connection, used from one thread (opened with SQLITE_OPEN_NOMUTEX: the
/// broker's loop thread for the writer, the audit command for a reader).
final class SQLiteDatabase {
    let handle: OpaquePointer

    /// Opens `path`; `readOnly` never creates or writes the file.
    init(path: String, readOnly: Bool) throws(JournalError) {
        if !readOnly { Self.createPrivately(path) }
        var opened: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(opened)
            throw JournalError(code: code, message: "\(message): \(path)", operation: "open")
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// The journal holds ticket and answer bodies in clear: a new file is created readable
    /// by its owner only (SQLite gives its -wal and -shm files the same mode). An existing
    /// file keeps the mode its operator chose.
    static let privateFileMode: mode_t = 0o600

    private static func createPrivately(_ path: String) {
        guard path != ":memory:", !path.isEmpty else { return }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, privateFileMode)
        if fd >= 0 { close(fd) }
    }

    /// Runs SQL without results (DDL, PRAGMAs that set).
    func execute(_ sql: String, _ operation: String) throws(JournalError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, operation) }
    }

    /// The first column of the first row of `sql` as text (PRAGMAs that answer).
    func text(_ sql: String, _ operation: String) throws(JournalError) -> String? {
        let statement = try prepare(sql, persistent: false)
        guard try statement.step(operation) else { return nil }
        return statement.text(0)
    }

    /// The first column of the first row of `sql` as an integer.
    func integer(_ sql: String, _ operation: String) throws(JournalError) -> Int64 {
        let statement = try prepare(sql, persistent: false)
        guard try statement.step(operation) else { return 0 }
        return statement.integer(0)
    }

    /// A prepared statement; `persistent` ones are reused for the connection's life.
    func prepare(_ sql: String, persistent: Bool = true) throws(JournalError) -> SQLiteStatement {
        var prepared: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(handle, sql, -1, flags, &prepared, nil)
        guard code == SQLITE_OK, let prepared else { throw error(code, "prepare") }
        return SQLiteStatement(prepared, database: self)
    }

    /// Whether a transaction is open (SQLite may roll one back by itself after an I/O error).
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    func error(_ code: Int32, _ operation: String) -> JournalError {
        JournalError(code: code, message: String(cString: sqlite3_errmsg(handle)), operation: operation)
    }
}

/// A prepared statement. Parameters are bound by 1-based index; `bind` copies text and
/// integers, `bindBorrowed` lends bytes that must stay valid until `run`/`step` returns.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let database: SQLiteDatabase
    /// Where `bind` copies text for SQLite to read in place (SQLITE_STATIC) until `reset`.
    /// Letting SQLite copy it instead (SQLITE_TRANSIENT) cost a malloc and a free per text
    /// parameter. Never reallocated, so the
    /// texts bound stay put; one that does not fit is copied by SQLite as before.
    private let textArena: UnsafeMutableRawPointer
    private var textArenaUsed = 0

    /// Room for every text of an ordinary record (ids, names, skill and option lists, notes).
    static let textArenaBytes = 4096

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
        textArena = .allocate(byteCount: Self.textArenaBytes, alignment: 1)
    }

    deinit {
        sqlite3_finalize(handle)
        textArena.deallocate()
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int?) {
        bind(index, value.map(Int64.init))
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            guard bytes.count <= Self.textArenaBytes - textArenaUsed else {
                _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), csqlite_transient())
                return
            }
            let copy = textArena + textArenaUsed
            if let base = bytes.baseAddress { copy.copyMemory(from: base, byteCount: bytes.count) }
            textArenaUsed += bytes.count
            // A nil destructor is SQLITE_STATIC: SQLite reads the arena until the reset.
            _ = sqlite3_bind_text(handle, index, copy.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
        }
    }

    /// Binds `bytes` without copying them (SQLITE_STATIC): they must outlive the next step.
    /// An empty or absent body is stored as NULL.
    func bindBorrowed(_ index: Int32, _ bytes: UnsafeRawBufferPointer?) {
        guard let bytes, let base = bytes.baseAddress, bytes.count > 0 else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_blob(handle, index, base, Int32(bytes.count), nil)
    }

    /// Executes a statement that returns no rows, then resets it for reuse.
    func run(_ operation: String) throws(JournalError) {
        defer { reset() }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw database.error(code, operation) }
    }

    /// Advances to the next row: true when there is one. Call `reset` when done.
    func step(_ operation: String) throws(JournalError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(code, operation)
        }
    }

    /// Ready to run again; borrowed bytes are unbound so nothing dangles, and the text
    /// arena is free again.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        textArenaUsed = 0
    }

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func optionalInteger(_ column: Int32) -> Int64? { isNull(column) ? nil : integer(column) }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The column's bytes in place, valid until the next step; nil for NULL.
    func blob(_ column: Int32) -> UnsafeRawBufferPointer? {
        guard !isNull(column) else { return nil }
        let pointer = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeRawBufferPointer(start: pointer, count: count)
    }
}
