import Foundation
import ZeroMQ

/// The one door into the I/O thread: any thread posts a command and signals the eventfd;
/// the I/O thread, which owns the socket, takes the whole batch when it wakes.
///
/// NSLock rather than `Synchronization.Mutex`: Thread Sanitizer reports a false race on
/// Mutex on Linux, and this lock is held only to append or swap an array.
package final class Mailbox<Command: Sendable>: @unchecked Sendable {
    /// The I/O thread polls this descriptor for reading.
    package let wakeUp: EventFD
    private let lock = NSLock()
    private var commands: [Command] = []
    private var closed = false

    package init() throws(ZMQError) {
        wakeUp = try EventFD()
    }

    /// Queues `command` and wakes the I/O thread; false once the mailbox is closed, so a
    /// caller can fail at once instead of waiting for an answer that will never come.
    @discardableResult
    package func post(_ command: Command) -> Bool {
        let accepted = lock.withLock {
            guard !closed else { return false }
            commands.append(command)
            return true
        }
        if accepted { wakeUp.signal() }
        return accepted
    }

    /// Everything posted since the last call, oldest first (I/O thread only).
    package func take() -> [Command] {
        wakeUp.drain()
        return lock.withLock {
            let batch = commands
            commands.removeAll(keepingCapacity: true)
            return batch
        }
    }

    /// Refuses further posts and returns what was left, so the I/O thread can fail it.
    package func close() -> [Command] {
        lock.withLock {
            closed = true
            let batch = commands
            commands.removeAll()
            return batch
        }
    }
}
