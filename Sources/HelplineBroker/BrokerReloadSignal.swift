import Synchronization
import ZeroMQ

/// Asks a running broker loop to read its authorized-keys file again, from any thread
/// (the SIGHUP handler's queue, a test): keys added are admitted from the next handshake,
/// keys removed can no longer ask, register or read STATUS, and consoles whose key no longer
/// grants their registration are revoked (see `HelplineBroker.reloadKeys`).
public final class BrokerReloadSignal: Sendable {
    private let requested = Atomic<Bool>(false)
    let wakeUp: EventFD

    init() throws {
        wakeUp = try EventFD()
    }

    /// Requests a reload; the loop does it at its next wake-up (now).
    public func reload() {
        requested.store(true, ordering: .releasing)
        wakeUp.signal()
    }

    /// Whether a reload was requested since the last call; clears the request.
    func take() -> Bool { requested.exchange(false, ordering: .acquiringAndReleasing) }
}
