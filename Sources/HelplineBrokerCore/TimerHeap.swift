/// Every pending timer in one binary min-heap ordered by (due, token), with lazy
/// invalidation: cancelling a timer only forgets its token in the record that armed it;
/// the entry is dropped when it surfaces (or when the heap is compacted).
///
/// Tokens are unique and increase, so equal due times fire in the order they were armed:
/// the core stays deterministic.
struct TimerHeap: Sendable {
    enum Kind: UInt8, Sendable {
        /// A ticket's deadline: EXPIRED.
        case deadline
        /// A HILA ticket's max wait: TRANSFERRED (max-wait).
        case maxWait
        /// An offered ticket not accepted in time: REVOKE (accept-timeout).
        case acceptTimeout
        /// An accepted ticket's explicit lease ran out: REVOKE (lease-expired).
        case lease
        /// A worker's heartbeat to send or liveness to check.
        case heartbeat
    }

    struct Entry: Sendable {
        var due: Int64
        var token: UInt64
        var kind: Kind
        /// The ticket or worker slot the timer belongs to.
        var target: Int32

        func firesBefore(_ other: Entry) -> Bool {
            due != other.due ? due < other.due : token < other.token
        }
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }
    var first: Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var index = entries.count - 1
        while index > 0 {
            let parent = (index - 1) / 2
            guard entries[index].firesBefore(entries[parent]) else { break }
            entries.swapAt(index, parent)
            index = parent
        }
    }

    mutating func popFirst() -> Entry? {
        guard !entries.isEmpty else { return nil }
        let first = entries[0]
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(from: 0)
        }
        return first
    }

    /// Drops every entry for which `isArmed` is false and re-heapifies: O(n), run when stale
    /// entries outnumber armed ones so memory follows the armed timers.
    mutating func compact(keeping isArmed: (Entry) -> Bool) {
        entries.removeAll { !isArmed($0) }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(from: index) }
    }

    private mutating func siftDown(from start: Int) {
        var index = start
        while true {
            let left = 2 * index + 1
            guard left < entries.count else { return }
            let right = left + 1
            let child = right < entries.count && entries[right].firesBefore(entries[left]) ? right : left
            guard entries[child].firesBefore(entries[index]) else { return }
            entries.swapAt(index, child)
            index = child
        }
    }
}
