/// Send times of the tickets a load client still waits on, by sequence number.
///
/// A ring indexed by the low bits of the sequence rather than a dictionary: sequences are
/// handed out in order and mostly come back within a window, so a slot is free again long
/// before the ring wraps onto it. When a ticket is still owed where a new one would go
/// (a slow or lost ticket), the ring doubles: it only ever spans what is outstanding.
struct OutstandingTickets {
    /// Sequence 0 is never handed out: it marks a free slot.
    private static let free = 0
    /// Room for 1,024 in flight before the first growth.
    private static let initialCapacity = 1_024

    private var slots: [(sequence: Int, sentAt: UInt64)]
    private var mask: Int
    /// Tickets still owed.
    private(set) var count = 0

    init() {
        slots = Array(repeating: (Self.free, 0), count: Self.initialCapacity)
        mask = Self.initialCapacity - 1
    }

    var isEmpty: Bool { count == 0 }

    /// Records `sequence` (> 0, never recorded before) as sent at `sentAt`.
    mutating func insert(_ sequence: Int, sentAt: UInt64) {
        precondition(sequence > Self.free, "sequences start at 1")
        while slots[sequence & mask].sequence != Self.free { grow() }
        slots[sequence & mask] = (sequence, sentAt)
        count += 1
    }

    /// The send time of `sequence`, forgotten; nil when it is not owed (never sent, or
    /// already answered: a duplicate).
    mutating func remove(_ sequence: Int) -> UInt64? {
        let slot = sequence & mask
        guard sequence > Self.free, slots[slot].sequence == sequence else { return nil }
        slots[slot].sequence = Self.free
        count -= 1
        return slots[slot].sentAt
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: (Self.free, 0), count: old.count * 2)
        mask = slots.count - 1
        for entry in old where entry.sequence != Self.free {
            slots[entry.sequence & mask] = entry
        }
    }
}
