import Foundation

/// The dedicated thread that owns the socket. Not from Swift's cooperative pool: it blocks
/// in `zmq_poll`, which a pool thread must never do.
final class IOThread: Sendable {
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread named `name`.
    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let exited = self.exited
        let thread = Thread {
            body()
            exited.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Waits until the thread's body has returned. Safe to call from several threads and
    /// more than once: each waiter passes the signal on to the next.
    func join() {
        exited.wait()
        exited.signal()
    }
}

/// A value handed from one thread to another that waits for it (the I/O thread's
/// startup result).
final class Latch<Value: Sendable>: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var value: Value?

    func set(_ value: Value) {
        lock.withLock { self.value = value }
        ready.signal()
    }

    func wait() -> Value {
        ready.wait()
        return lock.withLock { value! }
    }
}
