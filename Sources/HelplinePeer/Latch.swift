import Foundation

/// A value handed from one thread to another that waits for it (the I/O thread's
/// startup result).
package final class Latch<Value: Sendable>: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var value: Value?

    package init() {}

    package func set(_ value: Value) {
        lock.withLock { self.value = value }
        ready.signal()
    }

    package func wait() -> Value {
        ready.wait()
        return lock.withLock { value! }
    }
}
