/// The workers available for one requirement, best first: an indexed binary min-heap on
/// `WorkerRank`.
///
/// A worker sits in the heap of every requirement its class covers, so each entry remembers
/// which of the worker's slots it fills (`slot`, the requirement's index in the class's
/// covered list) and every move writes the new position to `positions[worker][slot]`: a
/// changed rank is re-sifted in O(log n) without searching.
struct WorkerHeap: Sendable {
    struct Entry: Equatable, Sendable {
        var rank: WorkerRank
        var worker: WorkerHandle
        var slot: Int32
    }

    private(set) var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var top: Entry? { entries.first }

    mutating func insert(_ entry: Entry, positions: inout [[Int32]]) {
        entries.append(entry)
        siftUp(from: entries.count - 1, positions: &positions)
    }

    mutating func update(at index: Int, rank: WorkerRank, positions: inout [[Int32]]) {
        let old = entries[index].rank
        guard old != rank else { return }
        entries[index].rank = rank
        if rank.ranksBefore(old) {
            siftUp(from: index, positions: &positions)
        } else {
            siftDown(from: index, positions: &positions)
        }
    }

    mutating func remove(at index: Int, positions: inout [[Int32]]) {
        let removed = entries[index]
        positions[Int(removed.worker.slot)][Int(removed.slot)] = -1
        let last = entries.removeLast()
        guard index < entries.count else { return }
        entries[index] = last
        record(index, positions: &positions)
        if index > 0, last.rank.ranksBefore(entries[(index - 1) / 2].rank) {
            siftUp(from: index, positions: &positions)
        } else {
            siftDown(from: index, positions: &positions)
        }
    }

    /// Rewrites which class slot the entry at `index` fills (after the class's covered list
    /// was compacted).
    mutating func setSlot(at index: Int, to slot: Int32) {
        entries[index].slot = slot
    }

    /// The best entry whose worker is not excluded. Best-first walk of the heap tree: the
    /// frontier holds at most one more node than the excluded workers met, so with no
    /// exclusions this is the root, and a ticket declined by d workers costs O(d²) at worst.
    func best(excluding isExcluded: (WorkerHandle) -> Bool) -> Entry? {
        guard let root = entries.first else { return nil }
        if !isExcluded(root.worker) { return root }
        var frontier: [Int] = [1, 2].filter { $0 < entries.count }
        while !frontier.isEmpty {
            var bestAt = 0
            for candidate in 1..<frontier.count
            where entries[frontier[candidate]].rank.ranksBefore(entries[frontier[bestAt]].rank) {
                bestAt = candidate
            }
            let index = frontier.remove(at: bestAt)
            if !isExcluded(entries[index].worker) { return entries[index] }
            for child in [2 * index + 1, 2 * index + 2] where child < entries.count { frontier.append(child) }
        }
        return nil
    }

    /// Whether every parent ranks before its children (for the invariant checker).
    var isHeapOrdered: Bool {
        for index in entries.indices.dropFirst() where entries[index].rank.ranksBefore(entries[(index - 1) / 2].rank) {
            return false
        }
        return true
    }

    private mutating func siftUp(from start: Int, positions: inout [[Int32]]) {
        var index = start
        let moving = entries[index]
        while index > 0 {
            let parent = (index - 1) / 2
            guard moving.rank.ranksBefore(entries[parent].rank) else { break }
            entries[index] = entries[parent]
            record(index, positions: &positions)
            index = parent
        }
        entries[index] = moving
        record(index, positions: &positions)
    }

    private mutating func siftDown(from start: Int, positions: inout [[Int32]]) {
        var index = start
        let moving = entries[index]
        let count = entries.count
        while true {
            let left = 2 * index + 1
            guard left < count else { break }
            let right = left + 1
            let child = right < count && entries[right].rank.ranksBefore(entries[left].rank) ? right : left
            guard entries[child].rank.ranksBefore(moving.rank) else { break }
            entries[index] = entries[child]
            record(index, positions: &positions)
            index = child
        }
        entries[index] = moving
        record(index, positions: &positions)
    }

    private func record(_ index: Int, positions: inout [[Int32]]) {
        let entry = entries[index]
        positions[Int(entry.worker.slot)][Int(entry.slot)] = Int32(index)
    }
}
