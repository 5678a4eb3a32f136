#if canImport(Glibc)
import Glibc
#endif
import HelplineBrokerCore
import HelplineJournal
import HelplineJournalPostgres
import Logging
import ZeroMQ

/// The loop's journal: restores the core at start, and between the core's actions and the
/// socket applies "confirm after durable" — every record of a wake-up is committed in one
/// transaction before any send of that wake-up goes out. If the commit fails the core
/// undoes what the batch acknowledged and the broker answers 503 until a commit (or the
/// periodic probe) succeeds again. A journal on a read-only disk at start is read, the
/// broker serves what it held, and the journal is opened for writing once it can be.
final class BrokerJournal {
    /// The writer (SQLite or PostgreSQL); nil while the journal cannot be opened for
    /// writing (read-only disk).
    private(set) var journal: (any JournalStore)?
    private let settings: JournalSettings
    private let clock: JournalClock
    private let logger: Logger
    private let retryInterval: Int64
    /// While the journal is unwritable: when to probe it next.
    private(set) var retryDue: Timestamp?

    /// Rounds of commit-then-undo per wake-up: the undo of a failed batch only emits
    /// records that need no undoing, so two rounds settle it; more means a bug, and the
    /// loop then sends only what needs no record.
    private static let maxRounds = 4

    /// Opens (or creates) the journal, making its directory first. A journal that exists
    /// but cannot be written (read-only disk) is left for `restore` to read.
    init(settings: JournalSettings, retryMilliseconds: Int, logger: Logger) throws(JournalError) {
        if !PostgresJournal.isConnectionString(settings.path) { Self.makeDirectory(containing: settings.path) }
        self.settings = settings
        clock = JournalClock(wallMilliseconds: WallClock.nowMilliseconds(), monotonic: MonotonicClock.now())
        self.logger = logger
        retryInterval = Int64(max(1, retryMilliseconds))
        do {
            journal = try Self.openWriter(settings, clock: clock)
        } catch where error.isReadOnly && !PostgresJournal.isConnectionString(settings.path) {
            logger.error("journal read-only: serving what it holds, refusing new tickets with 503", metadata: ["error": "\(error)"])
        }
    }

    private static func openWriter(_ settings: JournalSettings, clock: JournalClock) throws(JournalError) -> any JournalStore {
        if PostgresJournal.isConnectionString(settings.path) { return try PostgresJournal(conninfo: settings.path, clock: clock) }
        return try Journal(path: settings.path, sync: settings.sync, clock: clock, maxBytes: settings.maxBytes)
    }

    /// Puts every ticket of the journal back into `core` (fresh), bodies as frames.
    func restore(into core: inout HelplineBrokerCore<ZMQFrame>) throws(JournalError) {
        let now = MonotonicClock.now()
        let tickets: [RestoredTicket<ZMQFrame>]
        if let journal {
            tickets = try journal.restoredTickets { ZMQFrame($0) }
        } else {
            tickets = try Journal.restoredTickets(readOnlyPath: settings.path, clock: clock) { ZMQFrame($0) }
        }
        let summary = core.restore(tickets, now: now)
        if journal == nil {
            // Unwritable from the start: nothing to undo, but 503 until it writes.
            core.journalFailed([], now: now)
            retryDue = now.advanced(by: retryInterval)
        }
        logger.info(
            "journal restored",
            metadata: [
                "path": "\(settings.path)", "sync": "\(settings.sync.rawValue)", "waiting": "\(summary.waiting)",
                "reserved": "\(summary.reserved)", "finished": "\(summary.finished)", "skipped": "\(summary.skipped.count)",
                "took_ms": "\(MonotonicClock.now().milliseconds(since: now))",
            ])
    }

    /// Commits the records of `batch` and returns the actions the loop may now perform
    /// (its sends, or after a failed commit the sends the core kept and its 503s).
    func settle(_ batch: [BrokerAction<ZMQFrame>], core: inout HelplineBrokerCore<ZMQFrame>, now: Timestamp) -> [BrokerAction<ZMQFrame>] {
        var pending = batch
        var ready: [BrokerAction<ZMQFrame>] = []
        for _ in 0..<Self.maxRounds {
            do throws(JournalError) {
                guard pending.contains(where: \.isJournalRecord) else {
                    // Nothing to persist: nothing waits on the journal.
                    return ready.isEmpty ? pending : ready + pending
                }
                guard let journal else { throw JournalError.notOpen(settings.path) }
                try append(pending, to: journal)
                try journal.commit()
                recovered(core: &core, now: now)
                if ready.isEmpty { ready = pending } else { ready += pending }
            } catch {
                journal?.rollback()
                failed(error, now: now)
                core.journalFailed(pending, now: now)
            }
            pending = core.takeActions()
            if pending.isEmpty { return ready }
        }
        logger.error("journal did not settle; sending only what needs no record")
        core.journalFailed(pending, now: now)
        return ready + core.takeActions().filter { !$0.isJournalRecord }
    }

    /// While unwritable, probes the journal once per retry interval; when it writes again
    /// the core accepts work again (and catches up on what it held back).
    func retryIfDue(core: inout HelplineBrokerCore<ZMQFrame>, now: Timestamp) {
        guard let due = retryDue, now >= due else { return }
        do throws(JournalError) {
            if let journal {
                try journal.probe()
            } else {
                let opened = try Self.openWriter(settings, clock: clock)
                try opened.probe()
                journal = opened
            }
            recovered(core: &core, now: now)
        } catch {
            retryDue = now.advanced(by: retryInterval)
            logger.debug("journal still unwritable", metadata: ["error": "\(error)"])
        }
    }

    /// Appends every record of `actions`.
    private func append(_ actions: [BrokerAction<ZMQFrame>], to journal: any JournalStore) throws(JournalError) {
        for index in actions.indices {  // by index: no copy of each action
            guard case .journal(let record, let body) = actions[index] else { continue }
            if let body {
                try body.withUnsafeBytes { (bytes) throws(JournalError) in try journal.append(record, body: bytes) }
            } else {
                try journal.append(record, body: nil)
            }
        }
    }

    private func recovered(core: inout HelplineBrokerCore<ZMQFrame>, now: Timestamp) {
        if retryDue != nil {
            retryDue = nil
            logger.notice("journal writable again: accepting new tickets")
        }
        core.journalCommitted(now: now)
        journal?.maintain()
    }

    private func failed(_ error: JournalError, now: Timestamp) {
        if retryDue == nil {
            let cause = error.isDiskFull ? "disk full" : error.isReadOnly ? "read-only" : "write failed"
            logger.error(
                "journal unwritable (\(cause)): refusing new tickets with 503, serving what it holds",
                metadata: ["path": "\(settings.path)", "error": "\(error)"])
        }
        retryDue = now.advanced(by: retryInterval)
    }

    /// Creates the journal's directory (`mkdir -p`); opening the file reports any failure.
    private static func makeDirectory(containing path: String) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        var current = path.hasPrefix("/") ? "/" : ""
        for component in path[..<slash].split(separator: "/") {
            current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + component
            mkdir(current, 0o755)
        }
    }
}

/// The wall clock, read once at start to pair with the monotonic one (see `JournalClock`).
enum WallClock {
    static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

extension BrokerAction {
    /// A record to commit, not a send.
    var isJournalRecord: Bool {
        if case .journal = self { true } else { false }
    }
}
