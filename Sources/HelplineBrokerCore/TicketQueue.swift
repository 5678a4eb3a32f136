/// The waiting tickets of one queue, ordered by priority (9 first) and, within a priority,
/// by queue key: the front is served first.
///
/// One lane (a ring) per priority. Keys come from the core's two counters: tickets joining
/// at the back get ever larger positive keys, tickets coming back to the front (DECLINE,
/// dead worker, accept timeout) ever smaller negative ones, so every lane stays sorted by
/// key and a ticket is found by binary search. Removing a ticket from the middle (CANCEL,
/// deadline, max wait) leaves a tombstone; tombstones at the ends are popped at once and a
/// lane is compacted when they outnumber its tickets, so removal is O(log n) amortised.
struct TicketQueue: Sendable {
    /// Priorities 0...9, one lane each.
    static let priorityLevels = 10
    /// Tombstones a lane tolerates beyond its live entries before compaction: small lanes
    /// are not rewritten for a single cancelled ticket.
    private static let tombstoneSlack = 32

    struct Entry: Sendable {
        /// The ticket, or `nil` once it left the queue (a tombstone).
        var ticket: TicketHandle?
        var key: Int64
    }

    private var lanes: [RingBuffer<Entry>] = []
    private var liveCounts: [Int] = []
    private var tombstones: [Int] = []

    /// Tickets waiting in the queue.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Waiting tickets of one priority.
    func count(priority: Int) -> Int { liveCounts.isEmpty ? 0 : liveCounts[priority] }

    /// Waiting tickets served before a new ticket of `priority` would be: every ticket of a
    /// higher priority and every one of the same priority (it joins at the back).
    func countAhead(ofNew priority: Int) -> Int {
        guard !liveCounts.isEmpty else { return 0 }
        return liveCounts[priority...].reduce(0, +)
    }

    mutating func append(_ ticket: TicketHandle, priority: Int, key: Int64) {
        allocateLanesIfNeeded()
        precondition(lanes[priority].last.map { $0.key < key } ?? true, "back keys only grow")
        lanes[priority].append(Entry(ticket: ticket, key: key))
        liveCounts[priority] += 1
        count += 1
    }

    mutating func prepend(_ ticket: TicketHandle, priority: Int, key: Int64) {
        allocateLanesIfNeeded()
        precondition(lanes[priority].first.map { key < $0.key } ?? true, "front keys only shrink")
        lanes[priority].prepend(Entry(ticket: ticket, key: key))
        liveCounts[priority] += 1
        count += 1
    }

    /// Takes the ticket with `key` out of its lane.
    mutating func remove(priority: Int, key: Int64) {
        guard let offset = offset(of: key, priority: priority), lanes[priority][offset].ticket != nil else {
            preconditionFailure("removing a ticket that is not in the queue")
        }
        lanes[priority][offset].ticket = nil
        liveCounts[priority] -= 1
        tombstones[priority] += 1
        count -= 1
        while let first = lanes[priority].first, first.ticket == nil {
            lanes[priority].removeFirst()
            tombstones[priority] -= 1
        }
        while let last = lanes[priority].last, last.ticket == nil {
            lanes[priority].removeLast()
            tombstones[priority] -= 1
        }
        if tombstones[priority] > liveCounts[priority] + Self.tombstoneSlack {
            lanes[priority].retainAll { $0.ticket != nil }
            tombstones[priority] = 0
        }
    }

    /// The serving order of a ticket as one number, smaller first: priority descending in the
    /// top bits, then the queue key. Keys stay far inside ±2⁵⁸ (a billion tickets a second
    /// for nine years), so the sum never wraps.
    static func serveOrder(priority: Int, key: Int64) -> UInt64 {
        UInt64(priorityLevels - 1 - priority) << 59 | UInt64(key + (1 << 58))
    }

    /// `serveOrder` of the head, `UInt64.max` when empty. Front tombstones are popped on
    /// removal, so the head is the first entry of the highest non-empty lane: O(1).
    var headOrder: UInt64 {
        guard count > 0 else { return .max }
        for priority in stride(from: Self.priorityLevels - 1, through: 0, by: -1) where liveCounts[priority] > 0 {
            guard let first = lanes[priority].first else { break }
            return Self.serveOrder(priority: priority, key: first.key)
        }
        preconditionFailure("a non-empty queue has a non-empty lane")
    }

    /// The ticket at the head (see `headOrder`).
    var head: TicketHandle? {
        guard count > 0 else { return nil }
        for priority in stride(from: Self.priorityLevels - 1, through: 0, by: -1) where liveCounts[priority] > 0 {
            return lanes[priority].first?.ticket
        }
        return nil
    }

    /// Tickets ahead of the one with `key`: O(its position), for RESUME and repeated ASK.
    func position(priority: Int, key: Int64) -> Int {
        var ahead = countAhead(ofNew: priority) - liveCounts[priority]
        let lane = lanes[priority]
        var offset = 0
        while offset < lane.count, lane[offset].key < key {
            if lane[offset].ticket != nil { ahead += 1 }
            offset += 1
        }
        return ahead
    }

    /// The first ticket in serving order for which `isEligible` holds, with its priority.
    /// Normally the head of the highest non-empty lane; walks further only past tickets the
    /// caller excludes (ones a worker declined).
    func first(where isEligible: (TicketHandle) -> Bool) -> (ticket: TicketHandle, priority: Int, key: Int64)? {
        guard count > 0 else { return nil }
        for priority in stride(from: Self.priorityLevels - 1, through: 0, by: -1) where liveCounts[priority] > 0 {
            let lane = lanes[priority]
            for offset in 0..<lane.count {
                let entry = lane[offset]
                if let ticket = entry.ticket, isEligible(ticket) { return (ticket, priority, entry.key) }
            }
        }
        return nil
    }

    /// Every waiting ticket in serving order (REPORT, sweeps when the last HILA leaves).
    var tickets: [TicketHandle] {
        guard count > 0 else { return [] }
        var result: [TicketHandle] = []
        result.reserveCapacity(count)
        for priority in stride(from: Self.priorityLevels - 1, through: 0, by: -1) where liveCounts[priority] > 0 {
            let lane = lanes[priority]
            for offset in 0..<lane.count { if let ticket = lane[offset].ticket { result.append(ticket) } }
        }
        return result
    }

    /// Binary search: lanes are sorted by key.
    private func offset(of key: Int64, priority: Int) -> Int? {
        guard !lanes.isEmpty else { return nil }
        let lane = lanes[priority]
        var low = 0
        var high = lane.count
        while low < high {
            let middle = (low + high) / 2
            if lane[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low < lane.count && lane[low].key == key ? low : nil
    }

    private mutating func allocateLanesIfNeeded() {
        guard lanes.isEmpty else { return }
        lanes = Array(repeating: RingBuffer(), count: Self.priorityLevels)
        liveCounts = Array(repeating: 0, count: Self.priorityLevels)
        tombstones = Array(repeating: 0, count: Self.priorityLevels)
    }
}
