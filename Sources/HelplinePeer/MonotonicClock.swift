import Glibc

/// Milliseconds on the monotonic clock: timers must not jump when the wall clock does.
package enum MonotonicClock {
    package static func milliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

extension Duration {
    /// Whole milliseconds, as the wire carries durations; negative durations count as 0.
    package var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return max(0, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
