import Glibc

/// CLOCK_MONOTONIC in nanoseconds: the one clock every bench process shares, so a start
/// time handed to a child process and the event times it reports compare directly.
enum BenchClock {
    /// Now, in nanoseconds since an arbitrary origin (boot).
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Sleeps until `deadline` (a `now()` value); returns at once if it has passed.
    static func sleep(until deadline: UInt64) {
        while true {
            let current = now()
            guard current < deadline else { return }
            let remaining = deadline - current
            var request = timespec(tv_sec: Int(remaining / 1_000_000_000), tv_nsec: Int(remaining % 1_000_000_000))
            _ = nanosleep(&request, nil)
        }
    }

    /// Sleeps `milliseconds`.
    static func sleep(milliseconds: Int) {
        sleep(until: now() + UInt64(max(0, milliseconds)) * 1_000_000)
    }

    /// Milliseconds to pass to a poll that must wake by `deadline`, rounded up so the
    /// poll does not return a little early and spin.
    static func pollTimeout(until deadline: UInt64, now current: UInt64) -> Int {
        guard deadline > current else { return 0 }
        return Int((deadline - current + 999_999) / 1_000_000)
    }
}
