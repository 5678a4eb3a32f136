#if canImport(Glibc)
import Glibc
#endif
import HelplineBrokerCore

/// The loop's only clock: CLOCK_MONOTONIC in milliseconds, immune to wall-clock jumps.
/// The core never reads it; the loop passes `now` in.
enum MonotonicClock {
    static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }
}
