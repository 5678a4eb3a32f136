/// How hard a commit pushes to the disk (SQLite `synchronous`, in WAL mode).
public enum JournalSync: String, Sendable, CaseIterable {
    /// Commits reach the operating system at once and the disk at each checkpoint: a
    /// killed or crashed broker loses nothing; a power cut or kernel crash may lose the
    /// last commits (never corrupts the file).
    case normal
    /// Every commit is on the disk (fsync) before the broker acknowledges: survives power
    /// loss too. Slower: one fsync per wake-up.
    case full

    var pragma: String { self == .full ? "FULL" : "NORMAL" }
}
