import HelplineWire

/// Idle requirements kept with their worker index built, so a requirement that comes back
/// (the same skills asked again after a quiet spell) costs nothing: building one reads every
/// covering worker. Beyond this the oldest idle one is freed, so requirements made up by
/// clients (random skill combinations) cannot grow memory without bound. A few hundred
/// bytes each plus heap entries; 16,384 covers every pair of 180 skills.
let maxIdleRequirements = 16_384

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

    /// Creates the requirement and its worker index, once per distinct requirement, not per
    /// ticket: O(classes having its rarest skill + covering workers).
    private mutating func internRequirement(_ key: SkillKey, numbers: [Int]) -> RequirementID {
        let names = numbers.map { skills.name(of: $0) }.sorted()
        let requirement = requirements.insert(Requirement(key: key, skillNumbers: numbers, skillNames: names))
        requirementsByKey[key] = requirement
        coverage.add(requirement, skills: numbers)
        if queueHeads.count < requirements.slotLimit { queueHeads.append(.max) }
        queueHeads[Int(requirement.slot)] = .max
        var available: [WorkerHeap.Entry] = []
        for workerClass in coverage.candidateClasses(forRequirementWith: numbers)
        where classes[workerClass].role == key.role && classes[workerClass].skills.isSuperset(of: key.skills) {
            classes[workerClass].covered.append(requirement)
            requirements[requirement].capable += classes[workerClass].members.count
            for member in classes[workerClass].members {
                let membership = takeMembership()
                workers[member].memberships.append(membership)
                // A clean available worker joins at its rank, which is never better than
                // what its other heaps hold; anyone else is completed at the next flush.
                if workers[member].isAvailable, !workers[member].isDirty {
                    let rank = workers[member].rank
                    available.append(WorkerHeap.Entry(rank: rank, worker: member, membership: membership))
                    workers[member].worstIndexed = rank
                } else {
                    workers[member].heapComplete = false
                }
            }
        }
        requirements[requirement].workers = WorkerHeap(building: available, positions: &heapPositions)
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
            idleRequirements.retainAll { current.contains($0.requirement) && current[$0.requirement].idleEpoch == $0.epoch }
        }
    }

    private mutating func freeRequirement(_ requirement: RequirementID) {
        let key = requirements[requirement].key
        precondition(requirements[requirement].openTickets == 0 && requirements[requirement].queue.isEmpty, "freeing a requirement in use")
        for workerClass in coverage.candidateClasses(forRequirementWith: requirements[requirement].skillNumbers)
        where classes[workerClass].role == key.role && classes[workerClass].skills.isSuperset(of: key.skills) {
            guard let index = classes[workerClass].covered.firstIndex(of: requirement) else {
                preconditionFailure("a covering class lists the requirement")
            }
            let last = classes[workerClass].covered.count - 1
            classes[workerClass].covered.swapAt(index, last)
            classes[workerClass].covered.removeLast()
            // The heap goes with the requirement; its members' numbers are simply returned.
            for member in classes[workerClass].members {
                workers[member].memberships.swapAt(index, last)
                releaseMembership(workers[member].memberships.removeLast())
            }
        }
        requirementsByKey[key] = nil
        coverage.remove(requirement, skills: requirements[requirement].skillNumbers)
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
        // Sorted: the covered order decides nothing, but deterministic is easier to debug.
        for requirement in coverage.candidateRequirements(forClassWith: numbers).sorted()
        where requirements[requirement].role == role && key.skills.isSuperset(of: requirements[requirement].skills) {
            workerClass.covered.append(requirement)
        }
        let id = classes.insert(workerClass)
        classesByKey[key] = id
        coverage.add(id, skills: numbers)
        return id
    }

    /// Adds a worker (its record already naming the class) to the class and its counts.
    mutating func joinClass(_ worker: WorkerHandle) {
        let workerClass = workers[worker].workerClass
        workers[worker].memberIndex = classes[workerClass].members.count
        classes[workerClass].members.append(worker)
        var memberships: [Int32] = []
        for requirement in classes[workerClass].covered {
            requirements[requirement].capable += 1
            memberships.append(takeMembership())
        }
        workers[worker].memberships = memberships
        workers[worker].heapComplete = false
        workers[worker].worstIndexed = nil
        markDirty(worker)
    }

    /// Takes a worker out of its class, every heap and the capability counts. Returns the
    /// HILA requirements with waiting tickets that may have lost their last capable HILA.
    mutating func leaveClass(_ worker: WorkerHandle) -> [RequirementID] {
        let workerClass = workers[worker].workerClass
        let covered = classes[workerClass].covered
        var affected: [RequirementID] = []
        for (slot, requirement) in covered.enumerated() {
            let membership = workers[worker].memberships[slot]
            let position = heapPositions[Int(membership)]
            if position >= 0 { requirements[requirement].workers.remove(at: Int(position), positions: &heapPositions) }
            releaseMembership(membership)
            requirements[requirement].capable -= 1
            let left = requirements[requirement]
            if left.role == .hila, !left.queue.isEmpty, left.capable == 0 || left.declinedWaiting > 0 {
                affected.append(requirement)
            }
        }
        workers[worker].heapComplete = false
        workers[worker].worstIndexed = nil
        workers[worker].memberships = []
        let index = workers[worker].memberIndex
        let moved = classes[workerClass].members.removeLast()
        if moved != worker {
            classes[workerClass].members[index] = moved
            workers[moved].memberIndex = index
        }
        if classes[workerClass].members.isEmpty {
            classesByKey[classes[workerClass].key] = nil
            coverage.remove(workerClass, skills: classes[workerClass].skillNumbers)
            skills.release(classes[workerClass].skillNumbers)
            classes.remove(workerClass)
        }
        return affected
    }

    // MARK: Membership numbers

    /// A fresh membership number, not in any heap yet.
    private mutating func takeMembership() -> Int32 {
        if let membership = freeMemberships.popLast() { return membership }
        heapPositions.append(-1)
        return Int32(heapPositions.count - 1)
    }

    private mutating func releaseMembership(_ membership: Int32) {
        heapPositions[Int(membership)] = -1
        freeMemberships.append(membership)
    }
}
