/// The workers available for one requirement, best first: an indexed binary min-heap on
/// `WorkerRank`.
///
/// A worker sits in the heap of every requirement its class covers; each such membership has
/// a number, and every move writes the entry's new index to `positions[membership]` (one
/// flat array for all heaps), so a changed rank is re-sifted in O(log n) without searching.
struct WorkerHeap: Sendable {
    struct Entry: Equatable, Sendable {
        var rank: WorkerRank
        var worker: WorkerHandle
        var membership: Int32
    }

    private(set) var entries: [Entry] = []

    init() {}

    /// A heap of `entries` built bottom-up in O(n), positions recorded.
    init(building entries: [Entry], positions: inout [Int32]) {
        self.entries = entries
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) {
            siftDown(from: index, positions: &positions)
        }
        for index in self.entries.indices { record(index, positions: &positions) }
    }

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var top: Entry? { entries.first }

    mutating func insert(_ entry: Entry, positions: inout [Int32]) {
        entries.append(entry)
        siftUp(from: entries.count - 1, positions: &positions)
    }

    mutating func update(at index: Int, rank: WorkerRank, positions: inout [Int32]) {
        let old = entries[index].rank
        guard old != rank else { return }
        entries[index].rank = rank
        if rank.ranksBefore(old) {
            siftUp(from: index, positions: &positions)
        } else {
            siftDown(from: index, positions: &positions)
        }
    }

    mutating func remove(at index: Int, positions: inout [Int32]) {
        let removed = entries[index]
        positions[Int(removed.membership)] = -1
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

    /// What a search of the heap found.
    enum Probe {
        /// The best fresh entry whose worker is not excluded.
        case found(Entry)
        /// An entry that must be repaired before the search can decide.
        case stale(index: Int)
        /// No eligible worker.
        case none
    }

    /// Searches best-first by held rank: the first entry that is fresh and not excluded is
    /// the answer, the first stale one met must be repaired first. With no exclusions and
    /// a fresh root this is the root; a ticket declined by d workers walks O(d²) at worst.
    func probe(isExcluded: (WorkerHandle) -> Bool, isFresh: (Entry) -> Bool) -> Probe {
        guard let root = entries.first else { return .none }
        guard isFresh(root) else { return .stale(index: 0) }
        if !isExcluded(root.worker) { return .found(root) }
        var frontier: [Int] = [1, 2].filter { $0 < entries.count }
        while !frontier.isEmpty {
            var bestAt = 0
            for candidate in 1..<frontier.count
            where entries[frontier[candidate]].rank.ranksBefore(entries[frontier[bestAt]].rank) {
                bestAt = candidate
            }
            let index = frontier.remove(at: bestAt)
            guard isFresh(entries[index]) else { return .stale(index: index) }
            if !isExcluded(entries[index].worker) { return .found(entries[index]) }
            for child in [2 * index + 1, 2 * index + 2] where child < entries.count { frontier.append(child) }
        }
        return .none
    }

    /// Whether every parent ranks before its children (for the invariant checker).
    var isHeapOrdered: Bool {
        for index in entries.indices.dropFirst() where entries[index].rank.ranksBefore(entries[(index - 1) / 2].rank) {
            return false
        }
        return true
    }

    private mutating func siftUp(from start: Int, positions: inout [Int32]) {
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

    private mutating func siftDown(from start: Int, positions: inout [Int32]) {
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

    private func record(_ index: Int, positions: inout [Int32]) {
        positions[Int(entries[index].membership)] = Int32(index)
    }
}
