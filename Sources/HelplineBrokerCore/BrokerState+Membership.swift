/// Heap membership, maintained lazily where that is safe.
///
/// Invariant: every available worker is in the heap of every requirement its class covers,
/// and its entries hold ranks no worse than its true rank (an unavailable worker's entries
/// may hold anything up to its `worstIndexed`: they are dropped when met). Then the true
/// best worker is found from the top: an entry whose worker became unavailable is dropped,
/// one whose rank went stale (the worker got busier) is re-ranked, until the top is fresh;
/// nothing below a fresh top can be better, because true ranks are never better than held
/// ones.
///
/// So an offer (load up: rank worse) touches no heap at all; only a worker whose rank got
/// better than its entries hold (load down, back to active, new registration) is re-ranked
/// in every covered heap: O(covered × log workers).
extension BrokerState {
    /// Notes that a worker's rank or availability changed; heaps catch up at the next flush
    /// (before any heap is read, and at the end of every event).
    mutating func markDirty(_ worker: WorkerHandle) {
        guard !workers[worker].isDirty else { return }
        workers[worker].isDirty = true
        dirtyWorkers.append(worker)
    }

    mutating func flushDirtyWorkers() {
        guard !dirtyWorkers.isEmpty else { return }
        for worker in dirtyWorkers where workers.contains(worker) && workers[worker].isDirty {
            reindex(worker)
        }
        dirtyWorkers.removeAll(keepingCapacity: true)
    }

    /// Restores the invariant for one worker: nothing to do unless it is available and
    /// either missing from a heap or ranked better than some entry holds.
    private mutating func reindex(_ worker: WorkerHandle) {
        workers[worker].isDirty = false
        guard workers[worker].isAvailable else { return }
        let rank = workers[worker].rank
        if workers[worker].heapComplete, let worst = workers[worker].worstIndexed, !rank.ranksBefore(worst) { return }
        let covered = classes[workers[worker].workerClass].covered
        for (slot, requirement) in covered.enumerated() {
            let membership = workers[worker].memberships[slot]
            let position = Int(heapPositions[Int(membership)])
            if position >= 0 {
                requirements[requirement].workers.update(at: position, rank: rank, positions: &heapPositions)
            } else {
                requirements[requirement].workers.insert(
                    WorkerHeap.Entry(rank: rank, worker: worker, membership: membership), positions: &heapPositions)
            }
        }
        workers[worker].heapComplete = true
        workers[worker].worstIndexed = rank
    }

    /// The best available worker in a requirement's heap that `ticket`'s decliners exclude
    /// not, repairing stale entries met on the way.
    mutating func bestWorker(in requirement: RequirementID, for ticket: TicketHandle) -> WorkerHandle? {
        while true {
            let declined = tickets[ticket].declinedBy
            let probe = requirements[requirement].workers.probe(
                isExcluded: { declined.contains(workers[$0].name) },
                isFresh: { workers[$0.worker].isAvailable && workers[$0.worker].rank == $0.rank })
            switch probe {
            case .found(let entry): return entry.worker
            case .none: return nil
            case .stale(let index): repair(in: requirement, at: index)
            }
        }
    }

    /// Drops an entry whose worker is unavailable, or re-ranks it to the worker's true rank.
    private mutating func repair(in requirement: RequirementID, at index: Int) {
        let worker = requirements[requirement].workers.entries[index].worker
        if workers[worker].isAvailable {
            let rank = workers[worker].rank
            requirements[requirement].workers.update(at: index, rank: rank, positions: &heapPositions)
            if let worst = workers[worker].worstIndexed, rank.ranksBefore(worst) { return }
            workers[worker].worstIndexed = rank
        } else {
            requirements[requirement].workers.remove(at: index, positions: &heapPositions)
            workers[worker].heapComplete = false
        }
    }
}
