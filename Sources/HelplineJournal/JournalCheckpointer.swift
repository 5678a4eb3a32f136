import CSQLite
import Foundation

/// Copies the write-ahead log into the database file from its own thread and connection,
/// so the broker's loop never waits for a checkpoint.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold: that
/// commit copies every page the log holds into the database file and syncs both, a stall
/// of milliseconds every few thousand tickets, and the largest part of the journaled
/// broker's p99 (bench, paced at 16k tickets/s: p99 7.8 ms with SQLite's automatic
/// checkpoint, 3.9 ms with none at all, 3.1 ms without a journal). A PASSIVE checkpoint
/// from a second connection runs beside the writer without taking its lock. The writer
/// keeps a high threshold of its own (`Journal.writerCheckpointPages`), which bounds the
/// log if this thread cannot keep up and restarts it under sustained load.
final class JournalCheckpointer: Sendable {
    /// How often the thread checkpoints: often enough to keep the log a few MiB under the
    /// heaviest load, rarely enough that its syncs cost little.
    static let intervalMilliseconds = 100

    private let control = Control()
    private let exited = DispatchSemaphore(value: 0)

    /// Opens a second connection to `path` (whose writer has it in WAL mode) and starts
    /// checkpointing every `intervalMilliseconds`.
    init(path: String, intervalMilliseconds: Int = JournalCheckpointer.intervalMilliseconds) throws(JournalError) {
        let database = try SQLiteDatabase(path: path, readOnly: false)
        // A connection learns the file is in WAL mode when it first reads it; until then
        // a checkpoint is a silent no-op.
        let mode = try database.text("PRAGMA journal_mode", "checkpointer")
        guard mode?.lowercased() == "wal" else {
            throw JournalError(code: SQLITE_ERROR, message: "checkpointer: journal not in WAL mode (\(mode ?? "none"))", operation: "open")
        }
        let connection = HandOff(database)
        let control = control
        let exited = exited
        let interval = TimeInterval(max(1, intervalMilliseconds)) / 1000
        let thread = Thread {
            while control.wait(seconds: interval) {
                // PASSIVE copies what it can without blocking the writer; BUSY (another
                // checkpoint is running) and I/O errors are retried next interval, and the
                // writer's own threshold bounds the log meanwhile.
                connection.checkpoint()
            }
            connection.close()
            exited.signal()
        }
        thread.name = "helpline-checkpoint"
        thread.start()
    }

    /// Stops the thread and waits for it (it closes its connection as it ends).
    func stop() {
        guard control.stop() else { return }
        exited.wait()
    }

    /// The stop flag, with a condition so `stop` wakes the thread at once.
    private final class Control: @unchecked Sendable {
        private let condition = NSCondition()
        private var stopped = false

        /// Waits `seconds` or until stopped; true while the thread should go on.
        func wait(seconds: TimeInterval) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            if !stopped { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
            return !stopped
        }

        /// Raises the flag; false if it was already raised.
        func stop() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            guard !stopped else { return false }
            stopped = true
            condition.signal()
            return true
        }
    }

    /// The connection, opened by `init` and from then on used by the thread alone.
    private final class HandOff: @unchecked Sendable {
        private var database: SQLiteDatabase?
        init(_ database: SQLiteDatabase) { self.database = database }

        func checkpoint() {
            guard let handle = database?.handle else { return }
            _ = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }

        /// Closes the connection before `stop` returns, so the journal's owner knows which
        /// connection closes last.
        func close() { database = nil }
    }
}
