import Foundation

/// What became of the demo's tickets, counted as the agents learn it.
final class DemoTally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var open: Set<String> = []

    func asked(_ id: String) {
        lock.withLock {
            counts["asked", default: 0] += 1
            open.insert(id)
        }
    }

    /// An outcome ("answered", "taken over", "expired", "cancelled", "failed"); a ticket
    /// ends once.
    func finished(_ id: String, _ outcome: String) {
        lock.withLock {
            guard open.remove(id) != nil else { return }
            counts[outcome, default: 0] += 1
        }
    }

    /// An event worth counting on the way ("transferred", "re-offered").
    func count(_ event: String) {
        lock.withLock { counts[event, default: 0] += 1 }
    }

    subscript(key: String) -> Int {
        lock.withLock { counts[key, default: 0] }
    }

    var openTickets: Set<String> {
        lock.withLock { open }
    }
}
