import CSQLite

/// A journal operation that failed: SQLite's result code, its message and what was being
/// done. The broker treats every write failure alike (the journal is unwritable: refuse
/// new work with 503, retry later); `isDiskFull` and `isReadOnly` only sharpen the log line.
public struct JournalError: Error, CustomStringConvertible, Sendable {
    /// SQLite's extended result code.
    public let code: Int32
    /// SQLite's message, or ours when the failure is not SQLite's.
    public let message: String
    /// What the journal was doing ("open", "commit", "write ticket", ...).
    public let operation: String

    package init(code: Int32, message: String, operation: String) {
        self.code = code
        self.message = message
        self.operation = operation
    }

    /// The journal is not open for writing (it could not be at start).
    public static func notOpen(_ path: String) -> JournalError {
        JournalError(code: SQLITE_READONLY, message: "not open for writing: \(path)", operation: "write")
    }

    /// The disk (or `--journal-max-mb`) is full.
    public var isDiskFull: Bool { code & 0xFF == SQLITE_FULL }

    /// The file or its file system is read-only.
    public var isReadOnly: Bool { code & 0xFF == SQLITE_READONLY || message.contains("read-only") }

    public var description: String { "journal \(operation) failed: \(message) (SQLite \(code))" }
}
