import HelplineWire

// The checks behind `BrokerInvariants`, next to the state they read.
extension BrokerState {
    func ticketViolations() -> [String] {
        var problems: [String] = []
        var queued: [TicketHandle: Int] = [:]
        for requirement in requirements.handles {
            for ticket in requirements[requirement].queue.tickets {
                queued[ticket, default: 0] += 1
                if !tickets.contains(ticket) || queueOwner(of: ticket) != requirement {
                    problems.append("queue of requirement \(requirement.slot) holds a ticket that does not belong there")
                }
            }
        }
        var retainedCounts: [TicketHandle: Int] = [:]
        for index in 0..<retained.count { retainedCounts[retained[index].ticket, default: 0] += 1 }
        var holdersOf: [TicketHandle: [WorkerHandle]] = [:]
        for worker in workers.handles {
            for ticket in workers[worker].held { holdersOf[ticket, default: []].append(worker) }
        }
        var stageCounts = (waiting: 0, offered: 0, accepted: 0, finished: 0)
        var reservedCount = 0
        var reservedFor: [TicketHandle: String] = [:]
        for (name, held) in restoration.reservations {
            for ticket in held {
                if reservedFor.updateValue(name, forKey: ticket) != nil { problems.append("ticket reserved twice") }
            }
        }
        var openPerConnection: [ConnectionID: Int] = [:]
        var armed = 0
        for handle in tickets.handles {
            let ticket = tickets[handle]
            let name = "ticket \(ticket.id)"
            if ticketsByID[ticket.id] != handle { problems.append("\(name) is not indexed by its id") }
            // A finished ticket released its requirement, which may be freed since.
            if ticket.state.isOpen, !requirements.contains(ticket.requirement) || requirements[ticket.requirement].role != ticket.role {
                problems.append("\(name) needs a requirement of another role")
            }
            let inQueue = queued[handle] ?? 0
            let holders = holdersOf[handle] ?? []
            armed += [ticket.deadlineTimer, ticket.maxWaitTimer, ticket.holdTimer].filter { $0 != 0 }.count
            switch ticket.state {
            case .waiting:
                stageCounts.waiting += 1
                if inQueue != 1 || !holders.isEmpty { problems.append("\(name) waits but is in \(inQueue) queues, \(holders.count) workers") }
            case .offered(let worker, _), .accepted(let worker, _, _):
                if case .offered = ticket.state { stageCounts.offered += 1 } else { stageCounts.accepted += 1 }
                if inQueue != 0 || holders != [worker] { problems.append("\(name) is held but in \(inQueue) queues, workers \(holders)") }
                if !workers.contains(worker) { problems.append("\(name) is held by an unknown worker") }
                if workers.contains(worker), workers[worker].role != ticket.role { problems.append("\(name) is held by a worker of another role") }
            case .reserved(let worker, _):
                reservedCount += 1
                if inQueue != 0 || !holders.isEmpty { problems.append("\(name) is reserved but in \(inQueue) queues, workers \(holders)") }
                if reservedFor[handle] != worker { problems.append("\(name) is reserved for \(worker) but not listed so") }
                if workersByName[worker] != nil { problems.append("\(name) is reserved for \(worker), which is registered") }
            case .inTransit:
                problems.append("\(name) is in transit between events")
            case .finished:
                stageCounts.finished += 1
                if inQueue != 0 || !holders.isEmpty { problems.append("\(name) is finished but still queued or held") }
                if ticket.finalOutcomes != 1 { problems.append("\(name) produced \(ticket.finalOutcomes) final outcomes") }
                if retainedCounts[handle] != 1 { problems.append("\(name) is not retained exactly once") }
            }
            problems += timerViolations(of: ticket, name: name)
            if ticket.state.isOpen {
                if ticket.finalOutcomes != 0 { problems.append("\(name) is open after an outcome") }
                openPerConnection[ticket.replyTo, default: 0] += 1
            }
        }
        armed += workers.handles.filter { workers[$0].heartbeat.timer != 0 }.count
        if armed != armedTimers { problems.append("armed timers \(armedTimers), tokens \(armed)") }
        if (counters.waiting, counters.offered, counters.accepted, counters.retained)
            != (stageCounts.waiting, stageCounts.offered, stageCounts.accepted, stageCounts.finished)
        {
            problems.append("stage counters \(counters) disagree with tickets \(stageCounts)")
        }
        if reservedCount != counters.reserved || reservedCount != reservedFor.count {
            problems.append("reserved counter \(counters.reserved), tickets \(reservedCount), listed \(reservedFor.count)")
        }
        if retained.count != stageCounts.finished { problems.append("retention list has \(retained.count) of \(stageCounts.finished)") }
        let open = stageCounts.waiting + stageCounts.offered + stageCounts.accepted + reservedCount
        if open != openTickets { problems.append("open tickets \(openTickets), counted \(open)") }
        if openPerConnection != openByConnection { problems.append("per-connection open counts disagree") }
        if ticketsByID.count != tickets.count { problems.append("id index has \(ticketsByID.count) of \(tickets.count)") }
        return problems
    }

    private func timerViolations(of ticket: TicketRecord, name: String) -> [String] {
        var problems: [String] = []
        let open = ticket.state.isOpen
        if open != (ticket.deadlineTimer != 0) { problems.append("\(name): deadline timer armed \(ticket.deadlineTimer != 0), open \(open)") }
        let wantsMaxWait = open && ticket.role == .hila && !ticket.acceptedByHILA
        if wantsMaxWait != (ticket.maxWaitTimer != 0) { problems.append("\(name): max-wait timer armed \(ticket.maxWaitTimer != 0)") }
        let wantsHold: Bool
        switch ticket.state {
        case .offered: wantsHold = true
        case .accepted(_, _, let lease): wantsHold = lease != nil
        default: wantsHold = false
        }
        if wantsHold != (ticket.holdTimer != 0) { problems.append("\(name): hold timer armed \(ticket.holdTimer != 0), wanted \(wantsHold)") }
        return problems
    }

    func workerViolations() -> [String] {
        var problems: [String] = []
        if workersByName.count != workers.count || workersByConnection.count != workers.count {
            problems.append("worker indexes: \(workersByName.count) names, \(workersByConnection.count) connections, \(workers.count) workers")
        }
        let memberships = workers.handles.flatMap { workers[$0].memberships }
        if Set(memberships).count != memberships.count || !Set(memberships).isDisjoint(with: freeMemberships)
            || memberships.count + freeMemberships.count != heapPositions.count
        {
            problems.append("membership numbers are shared, leaked or both used and free")
        }
        for handle in workers.handles {
            let worker = workers[handle]
            let name = "worker \(worker.name)"
            if workersByName[worker.name] != handle || workersByConnection[worker.connection] != handle {
                problems.append("\(name) is not indexed by its name and connection")
            }
            if worker.load > worker.capacity { problems.append("\(name) holds \(worker.load) over capacity \(worker.capacity)") }
            for ticket in worker.held where !tickets.contains(ticket) || tickets[ticket].state.holder != handle {
                problems.append("\(name) lists a ticket that does not name it holder")
            }
            if worker.heartbeat.timer == 0 { problems.append("\(name) has no heartbeat timer") }
            if worker.isDirty { problems.append("\(name) is dirty between events") }
            guard classes.contains(worker.workerClass) else {
                problems.append("\(name) belongs to a freed class")
                continue
            }
            let workerClass = classes[worker.workerClass]
            if workerClass.role != worker.role || skills.lookUp(worker.skills) != workerClass.skills {
                problems.append("\(name) is in a class of other skills")
            }
            if workerClass.members.indices.contains(worker.memberIndex) == false || workerClass.members[worker.memberIndex] != handle {
                problems.append("\(name) has a wrong member index")
            }
            let positions = worker.memberships.map { heapPositions[Int($0)] }
            if positions.count != workerClass.covered.count { problems.append("\(name) has \(positions.count) heap slots for \(workerClass.covered.count)") }
            for (slot, requirement) in workerClass.covered.enumerated() where slot < positions.count {
                let position = Int(positions[slot])
                if position < 0 {
                    if worker.isAvailable { problems.append("\(name) is available but missing from a heap") }
                    if worker.heapComplete { problems.append("\(name) is marked complete but missing from a heap") }
                    continue
                }
                let entries = requirements[requirement].workers.entries
                guard position < entries.count, entries[position].worker == handle, entries[position].membership == worker.memberships[slot] else {
                    problems.append("\(name) heap position is stale")
                    continue
                }
                // Held ranks may be stale: never worse than worstIndexed, and for an available
                // worker never worse than its true rank (an unavailable one is dropped when met).
                let held = entries[position].rank
                if worker.isAvailable, worker.rank.ranksBefore(held) { problems.append("\(name) is held at a rank worse than its own") }
                if worker.worstIndexed.map({ $0.ranksBefore(held) }) ?? true { problems.append("\(name) has an entry worse than worstIndexed") }
            }
        }
        return problems
    }

    func indexViolations() -> [String] {
        var problems: [String] = []
        var openNeeding: [RequirementID: Int] = [liveAny: 1, hilaAny: 1]
        for handle in tickets.handles where tickets[handle].state.isOpen { openNeeding[tickets[handle].requirement, default: 0] += 1 }
        var hilaWaitingCount = 0
        let allWorkers = workers.handles
        let allRequirements = requirements.handles
        for requirement in allRequirements {
            let record = requirements[requirement]
            let name = "requirement \(record.role.rawValue)\(record.skillNames)"
            if requirementsByKey[record.key] != requirement { problems.append("\(name) is not indexed by its key") }
            if record.openTickets != (openNeeding[requirement] ?? 0) { problems.append("\(name) counts \(record.openTickets) open tickets") }
            if (record.openTickets == 0) != (record.idleEpoch != 0) { problems.append("\(name) idle mark disagrees with its tickets") }
            let covering = allWorkers.filter {
                workers[$0].role == record.role && classes[workers[$0].workerClass].skills.isSuperset(of: record.skills)
            }
            if record.capable != covering.count { problems.append("\(name) capable \(record.capable), counted \(covering.count)") }
            let held = record.workers.entries.map(\.worker)
            if !Set(covering.filter { workers[$0].isAvailable }).isSubset(of: held) || !Set(held).isSubset(of: covering)
                || Set(held).count != held.count
            {
                problems.append("\(name) heap misses an available covering worker or holds a stranger")
            }
            if !record.workers.isHeapOrdered { problems.append("\(name) heap is out of order") }
            if queueHeads[Int(requirement.slot)] != record.queue.headOrder { problems.append("\(name) queue head cache is stale") }
            let waiting = record.queue.tickets
            if waiting.filter({ !tickets[$0].declinedBy.isEmpty }).count != record.declinedWaiting {
                problems.append("\(name) declined-waiting count is stale")
            }
            if record.role == .hila { hilaWaitingCount += waiting.count }
            if requirement != liveAny, record.role == .live, !record.queue.isEmpty { problems.append("\(name) is a live requirement with its own queue") }
            for ticket in waiting where record.queue.position(priority: tickets[ticket].priority, key: queueKey(of: ticket)) < 0 {
                problems.append("\(name) has a negative position")
            }
        }
        if hilaWaitingCount != hilaWaiting { problems.append("hila waiting \(hilaWaiting), counted \(hilaWaitingCount)") }
        for handle in classes.handles {
            let workerClass = classes[handle]
            let expected = allRequirements.filter {
                requirements[$0].role == workerClass.role && workerClass.skills.isSuperset(of: requirements[$0].skills)
            }
            if Set(workerClass.covered) != Set(expected) || workerClass.covered.count != expected.count {
                problems.append("class \(workerClass.role.rawValue) covers the wrong requirements")
            }
            if workerClass.members.isEmpty { problems.append("class without members kept") }
            if classesByKey[workerClass.key] != handle { problems.append("class is not indexed by its key") }
        }
        return problems
    }

    func dispatchViolations() -> [String] {
        var problems: [String] = []
        let free = workers.handles.filter { workers[$0].isAvailable }
        for handle in tickets.handles {
            guard case .waiting = tickets[handle].state else { continue }
            let ticket = tickets[handle]
            let skillSet = requirements[ticket.requirement].skills
            let taker = free.first { worker in
                workers[worker].role == ticket.role && !ticket.declinedBy.contains(workers[worker].name)
                    && (ticket.role == .live || classes[workers[worker].workerClass].skills.isSuperset(of: skillSet))
            }
            if let taker { problems.append("ticket \(ticket.id) waits while \(workers[taker].name) is free to take it") }
            if ticket.role == .hila, !couldEverBeServed(handle) { problems.append("ticket \(ticket.id) waits for a HILA none could serve") }
        }
        return problems
    }

    private func queueKey(of ticket: TicketHandle) -> Int64 {
        guard case .waiting(let key) = tickets[ticket].state else { return 0 }
        return key
    }
}
