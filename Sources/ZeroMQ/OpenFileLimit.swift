import Glibc

/// The process's open-file limit (RLIMIT_NOFILE), which caps how many TCP peers a ZeroMQ
/// process can have: every connection holds a file descriptor, and so does every socket's
/// mailbox. libzmq itself does not raise it, and many systems start processes at a soft
/// limit of 1,024 while allowing far more.
public enum OpenFileLimit {
    /// The soft and hard limits now, and the soft limit before `raise` changed it.
    public struct Report: Sendable, Equatable {
        public var soft: Int
        public var hard: Int
        public var before: Int
    }

    /// The limits now (soft, hard); `Int.max` stands for unlimited.
    public static func current() -> (soft: Int, hard: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (1_024, 1_024) }
        return (Self.value(limit.rlim_cur), Self.value(limit.rlim_max))
    }

    /// Raises the soft limit to `wanted` (default: as high as allowed), never above the
    /// hard limit unless the process may raise that too (root, CAP_SYS_RESOURCE), and
    /// never lowers it. Failure leaves the limit as it was; the report says what it is.
    @discardableResult
    public static func raise(to wanted: Int? = nil) -> Report {
        let (soft, hard) = current()
        let target = wanted ?? hard
        guard target > soft else { return Report(soft: soft, hard: hard, before: soft) }
        var limit = rlimit(rlim_cur: Self.raw(min(target, hard)), rlim_max: Self.raw(hard))
        if target > hard {
            // Only a privileged process may raise the hard limit; the kernel caps both at
            // fs.nr_open.
            var raised = rlimit(rlim_cur: Self.raw(target), rlim_max: Self.raw(target))
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 {
                let now = current()
                return Report(soft: now.soft, hard: now.hard, before: soft)
            }
        }
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let now = current()
        return Report(soft: now.soft, hard: now.hard, before: soft)
    }

    /// File descriptors this process has open now (entries of /proc/self/fd).
    public static func inUse() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while readdir(directory) != nil { count += 1 }
        // ".", ".." and the descriptor opendir itself holds.
        return max(0, count - 3)
    }

    /// Linux's RLIM_INFINITY is all ones.
    private static func value(_ limit: rlim_t) -> Int {
        limit > rlim_t(Int.max) ? Int.max : Int(limit)
    }

    private static func raw(_ value: Int) -> rlim_t {
        value == Int.max ? rlim_t.max : rlim_t(value)
    }
}
