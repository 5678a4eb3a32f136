import HelplineWire

/// Idle requirements kept with their worker index built, so a requirement that comes back
/// (the same skills asked again after a quiet spell) costs nothing. Beyond this the oldest
/// idle one is freed: each costs memory and every update of the workers it covers.
let maxIdleRequirements = 1024

extension BrokerState {
    // MARK: Requirements

    /// The requirement for `role` and skill names, interned if new; `nil` when the skill
    /// table cannot take the new names even after freeing idle requirements.
    mutating func internRequirement(role: Role, skillNames: [String]) -> RequirementID? {
        if let set = skills.lookUp(skillNames), let known = requirementsByKey[SkillKey(role: role, skills: set)] {
            return known
        }
        guard let numbers = retainSkills(skillNames) else { return nil }
        let key = SkillKey(role: role, skills: SkillSet(numbers))
        if let known = requirementsByKey[key] {
            skills.release(numbers)
            return known
        }
        return internRequirement(key, numbers: numbers)
    }

    /// Creates the requirement and its worker index: the one place that scans every worker
    /// class (O(classes + covering workers)), once per distinct requirement, not per ticket.
    private mutating func internRequirement(_ key: SkillKey, numbers: [Int]) -> RequirementID {
        let names = numbers.map { skills.name(of: $0) }.sorted()
        let requirement = requirements.insert(Requirement(key: key, skillNumbers: numbers, skillNames: names))
        requirementsByKey[key] = requirement
        if queueHeads.count < requirements.slotLimit { queueHeads.append(.max) }
        queueHeads[Int(requirement.slot)] = .max
        for workerClass in classes.handles
        where classes[workerClass].role == key.role && classes[workerClass].skills.isSuperset(of: key.skills) {
            let slot = Int32(classes[workerClass].covered.count)
            classes[workerClass].covered.append(requirement)
            for member in classes[workerClass].members {
                heapPositions[Int(member.slot)].append(-1)
                requirements[requirement].capable += 1
                // Join the heap exactly as the other heaps hold the worker; a dirty worker
                // is reconciled everywhere, this heap included, at the next flush.
                if let rank = workers[member].indexedRank {
                    requirements[requirement].workers.insert(
                        WorkerHeap.Entry(rank: rank, worker: member, slot: slot), positions: &heapPositions)
                }
            }
        }
        return requirement
    }

    /// One more open ticket needs `requirement`.
    mutating func retainRequirement(_ requirement: RequirementID) {
        if requirements[requirement].idleEpoch != 0 {
            requirements[requirement].idleEpoch = 0
            idleRequirementCount -= 1
        }
        requirements[requirement].openTickets += 1
    }

    /// One open ticket less needs `requirement`; at none it joins the idle list.
    mutating func releaseRequirement(_ requirement: RequirementID) {
        requirements[requirement].openTickets -= 1
        precondition(requirements[requirement].openTickets >= 0, "requirement released more than retained")
        guard requirements[requirement].openTickets == 0 else { return }
        let epoch = nextIdleEpoch
        nextIdleEpoch += 1
        requirements[requirement].idleEpoch = epoch
        idleRequirements.append((requirement, epoch))
        idleRequirementCount += 1
        trimIdleRequirements(keeping: maxIdleRequirements)
    }

    /// Frees the oldest idle requirements until at most `limit` remain.
    mutating func trimIdleRequirements(keeping limit: Int) {
        while idleRequirementCount > limit, let (requirement, epoch) = idleRequirements.first {
            idleRequirements.removeFirst()
            guard requirements.contains(requirement), requirements[requirement].idleEpoch == epoch else { continue }
            idleRequirementCount -= 1
            freeRequirement(requirement)
        }
        // Entries of requirements revived since are stale; drop them when they pile up.
        if idleRequirements.count > 2 * maxIdleRequirements + 64 {
            let current = requirements
            idleRequirements.filter { current.contains($0.requirement) && current[$0.requirement].idleEpoch == $0.epoch }
        }
    }

    private mutating func freeRequirement(_ requirement: RequirementID) {
        let key = requirements[requirement].key
        precondition(requirements[requirement].openTickets == 0 && requirements[requirement].queue.isEmpty, "freeing a requirement in use")
        for workerClass in classes.handles
        where classes[workerClass].role == key.role && classes[workerClass].skills.isSuperset(of: key.skills) {
            guard let index = classes[workerClass].covered.firstIndex(of: requirement) else {
                preconditionFailure("a covering class lists the requirement")
            }
            let last = classes[workerClass].covered.count - 1
            let moved = classes[workerClass].covered[last]
            classes[workerClass].covered.swapAt(index, last)
            classes[workerClass].covered.removeLast()
            for member in classes[workerClass].members {
                heapPositions[Int(member.slot)].swapAt(index, last)
                heapPositions[Int(member.slot)].removeLast()
                let position = index < last ? heapPositions[Int(member.slot)][index] : -1
                if position >= 0 { requirements[moved].workers.setSlot(at: Int(position), to: Int32(index)) }
            }
        }
        requirementsByKey[key] = nil
        skills.release(requirements[requirement].skillNumbers)
        queueHeads[Int(requirement.slot)] = .max
        requirements.remove(requirement)
    }

    /// Retains skill names, freeing every idle requirement first if the table is full.
    private mutating func retainSkills(_ names: [String]) -> [Int]? {
        if let numbers = skills.retain(names) { return numbers }
        trimIdleRequirements(keeping: 0)
        return skills.retain(names)
    }

    // MARK: Worker classes

    /// The class for `key`, created (covering every requirement it can serve) if new;
    /// `nil` when the skill table is full.
    mutating func internClass(role: Role, skillNames: [String]) -> WorkerClassID? {
        if let set = skills.lookUp(skillNames), let known = classesByKey[SkillKey(role: role, skills: set)] {
            return known
        }
        guard let numbers = retainSkills(skillNames) else { return nil }
        let key = SkillKey(role: role, skills: SkillSet(numbers))
        if let known = classesByKey[key] {
            skills.release(numbers)
            return known
        }
        var workerClass = WorkerClass(key: key, skillNumbers: numbers)
        for requirement in requirements.handles
        where requirements[requirement].role == role && key.skills.isSuperset(of: requirements[requirement].skills) {
            workerClass.covered.append(requirement)
        }
        let id = classes.insert(workerClass)
        classesByKey[key] = id
        return id
    }

    /// Adds a worker (its record already naming the class) to the class and its counts.
    mutating func joinClass(_ worker: WorkerHandle) {
        let workerClass = workers[worker].workerClass
        workers[worker].memberIndex = classes[workerClass].members.count
        classes[workerClass].members.append(worker)
        while heapPositions.count <= Int(worker.slot) { heapPositions.append([]) }
        heapPositions[Int(worker.slot)] = Array(repeating: -1, count: classes[workerClass].covered.count)
        for requirement in classes[workerClass].covered { requirements[requirement].capable += 1 }
        workers[worker].indexedRank = nil
        markDirty(worker)
    }

    /// Takes a worker out of its class, every heap and the capability counts. Returns the
    /// HILA requirements with waiting tickets that may have lost their last capable HILA.
    mutating func leaveClass(_ worker: WorkerHandle) -> [RequirementID] {
        let workerClass = workers[worker].workerClass
        let covered = classes[workerClass].covered
        var affected: [RequirementID] = []
        for (slot, requirement) in covered.enumerated() {
            let position = heapPositions[Int(worker.slot)][slot]
            if position >= 0 { requirements[requirement].workers.remove(at: Int(position), positions: &heapPositions) }
            requirements[requirement].capable -= 1
            let left = requirements[requirement]
            if left.role == .hila, !left.queue.isEmpty, left.capable == 0 || left.declinedWaiting > 0 {
                affected.append(requirement)
            }
        }
        workers[worker].indexedRank = nil
        heapPositions[Int(worker.slot)] = []
        let index = workers[worker].memberIndex
        let moved = classes[workerClass].members.removeLast()
        if moved != worker {
            classes[workerClass].members[index] = moved
            workers[moved].memberIndex = index
        }
        if classes[workerClass].members.isEmpty {
            classesByKey[classes[workerClass].key] = nil
            skills.release(classes[workerClass].skillNumbers)
            classes.remove(workerClass)
        }
        return affected
    }

    // MARK: Heap membership

    /// Notes that a worker's rank or availability changed; heaps catch up at the next flush
    /// (before any heap is read, and at the end of every event). A freed worker that takes
    /// a waiting ticket at once so never touches a heap.
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

    /// Puts the worker in (or out of) the heap of every requirement its class covers, at
    /// its current rank: O(covered × log workers).
    private mutating func reindex(_ worker: WorkerHandle) {
        workers[worker].isDirty = false
        let wanted: WorkerRank? = workers[worker].isAvailable ? workers[worker].rank : nil
        guard wanted != workers[worker].indexedRank else { return }
        let covered = classes[workers[worker].workerClass].covered
        for (slot, requirement) in covered.enumerated() {
            let position = Int(heapPositions[Int(worker.slot)][slot])
            if let rank = wanted {
                if position >= 0 {
                    requirements[requirement].workers.update(at: position, rank: rank, positions: &heapPositions)
                } else {
                    requirements[requirement].workers.insert(
                        WorkerHeap.Entry(rank: rank, worker: worker, slot: Int32(slot)), positions: &heapPositions)
                }
            } else if position >= 0 {
                requirements[requirement].workers.remove(at: position, positions: &heapPositions)
            }
        }
        workers[worker].indexedRank = wanted
    }
}
