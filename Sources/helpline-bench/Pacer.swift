import CHelplineBench
import Glibc

/// A timerfd that a `ZMQPoller` watches beside the sockets, so an open-loop load client
/// wakes at each send time with microsecond precision; `zmq_poll` alone counts in whole
/// milliseconds, which would turn a steady rate into bursts of tens of tickets.
final class Pacer {
    /// Becomes readable when the armed time passes.
    let fileDescriptor: Int32

    /// A disarmed timer.
    init() {
        fileDescriptor = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK) | Int32(TFD_CLOEXEC))
        precondition(fileDescriptor >= 0, "timerfd_create failed: errno \(errno)")
    }

    deinit {
        close(fileDescriptor)
    }

    /// Fires once at `deadline` (a `BenchClock.now()` value); a deadline already past
    /// fires at once.
    func arm(at deadline: UInt64) {
        // An all-zero it_value would disarm the timer: 1 ns is "already past".
        let at = max(deadline, 1)
        var spec = itimerspec(
            it_interval: timespec(),
            it_value: timespec(tv_sec: Int(at / 1_000_000_000), tv_nsec: Int(at % 1_000_000_000)))
        let rc = timerfd_settime(fileDescriptor, Int32(TFD_TIMER_ABSTIME), &spec, nil)
        precondition(rc == 0, "timerfd_settime failed: errno \(errno)")
    }

    /// Consumes the expiry so the descriptor stops being readable.
    func drain() {
        var expirations: UInt64 = 0
        _ = read(fileDescriptor, &expirations, MemoryLayout<UInt64>.size)
    }
}
