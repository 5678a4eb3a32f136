import HelplineBrokerCore
import HelplineJournal

/// Where and how the broker journals (see `BrokerSettings.journal`).
public struct JournalSettings: Sendable, Equatable {
    /// The SQLite file (its directory is created if missing), or a PostgreSQL connection
    /// URI (`postgresql://...`, see `PostgresJournal`).
    public var path: String
    /// How hard each group commit pushes to the disk.
    public var sync: JournalSync
    /// A cap on the file's size; beyond it the journal is full (as on a full disk) and the
    /// broker refuses new tickets with 503. nil: the disk is the limit.
    public var maxBytes: Int64?

    /// `make run`'s journal: beside the working directory, out of git (`.gitignore`).
    public static let defaultPath = "data/helpline.db"

    /// Journal settings; the defaults are `make run`'s.
    public init(path: String = JournalSettings.defaultPath, sync: JournalSync = .normal, maxBytes: Int64? = nil) {
        self.path = path
        self.sync = sync
        self.maxBytes = maxBytes
    }
}

extension BrokerSettings {
    /// The core's configuration, journaling exactly when the broker has a journal.
    var coreConfiguration: BrokerConfiguration {
        var configuration = core
        configuration.journaling = journal != nil
        return configuration
    }
}
