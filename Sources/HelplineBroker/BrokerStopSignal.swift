import Synchronization
import ZeroMQ

/// Asks a running broker loop to stop, from any thread (a signal handler's queue, a test).
///
/// The flag says what; the eventfd wakes the loop out of `zmq_poll` so it notices at once.
public final class BrokerStopSignal: Sendable {
    private let requested = Atomic<Bool>(false)
    let wakeUp: EventFD

    init() throws {
        wakeUp = try EventFD()
    }

    /// Requests a clean stop: the loop finishes its current batch, closes its socket and returns.
    public func stop() {
        requested.store(true, ordering: .releasing)
        wakeUp.signal()
    }

    var isRequested: Bool { requested.load(ordering: .acquiring) }
}
