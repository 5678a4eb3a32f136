import Foundation

/// The dedicated thread that owns the socket. Not from Swift's cooperative pool: it blocks
/// in `zmq_poll`, which a pool thread must never do.
package final class IOThread: Sendable {
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread named `name`.
    package init(name: String, _ body: @escaping @Sendable () -> Void) {
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
    package func join() {
        exited.wait()
        exited.signal()
    }
}
