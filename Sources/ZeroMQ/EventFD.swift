import CZeroMQ
import Glibc

/// A Linux `eventfd`: the way other threads wake a thread blocked in ``ZMQPoller/poll(timeoutMilliseconds:)``.
///
/// Any thread calls ``signal()``; the poll loop polls ``fileDescriptor`` for reading and
/// calls ``drain()`` when it fires, then looks at whatever the signallers queued.
/// Signals coalesce: many signals before a drain wake the loop once.
///
/// `@unchecked Sendable` because its only state is an immutable descriptor, and `read`
/// and `write` on an eventfd are atomic system calls that many threads may make at once.
public final class EventFD: @unchecked Sendable {
    /// The descriptor to poll for reading. Non-blocking and close-on-exec.
    public let fileDescriptor: Int32

    /// Opens a new eventfd with a counter of zero.
    public init() throws(ZMQError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard fd >= 0 else { throw ZMQError(code: errno, context: "eventfd") }
        fileDescriptor = fd
    }

    deinit {
        close(fileDescriptor)
    }

    /// Makes the descriptor readable until the next ``drain()``. Never blocks.
    public func signal() {
        var one: UInt64 = 1
        // EAGAIN means the counter is at its 2^64-2 ceiling: it is readable already.
        while write(fileDescriptor, &one, MemoryLayout<UInt64>.size) < 0 && errno == EINTR {}
    }

    /// Resets the counter so the descriptor stops being readable. Never blocks.
    public func drain() {
        var count: UInt64 = 0
        // EAGAIN means nobody signalled: nothing to reset.
        while read(fileDescriptor, &count, MemoryLayout<UInt64>.size) < 0 && errno == EINTR {}
    }
}
