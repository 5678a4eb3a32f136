/// How a worker ranks for the next offer: least loaded first (load ÷ capacity), then the one
/// idle longest (least recently assigned), then the one registered first.
///
/// A copy lives in every heap entry so comparisons never chase a pointer to the worker.
struct WorkerRank: Equatable, Sendable {
    var load: Int32
    var capacity: Int32
    /// The assignment counter at the worker's latest offer; 0 = never assigned, which ranks
    /// as idle longest.
    var lastAssigned: UInt64
    /// Registration order: the final tie-break, so the choice never depends on hashing.
    var serial: UInt64

    /// Whether this worker should get a ticket before `other`.
    func ranksBefore(_ other: WorkerRank) -> Bool {
        // load/capacity compared as rationals: a.load × b.capacity < b.load × a.capacity.
        let mine = Int64(load) * Int64(other.capacity)
        let theirs = Int64(other.load) * Int64(capacity)
        if mine != theirs { return mine < theirs }
        if lastAssigned != other.lastAssigned { return lastAssigned < other.lastAssigned }
        return serial < other.serial
    }
}
