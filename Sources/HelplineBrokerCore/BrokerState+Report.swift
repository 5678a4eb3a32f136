import HelplineWire

extension BrokerState {
    /// The snapshot STATUS answers. O(waiting tickets + workers): an operator's command,
    /// never on a dispatch path. Sorted, so two equal states give equal reports.
    @usableFromInline
    func report(now: Timestamp) -> Report {
        var counts: [String: Int] = [
            "waiting": counters.waiting, "offered": counters.offered, "accepted": counters.accepted,
            "open": openTickets, "retained": counters.retained, "waiting_hila": hilaWaiting,
            "waiting_live": requirements[liveAny].queue.count, "asked": counters.asked,
            "answered": counters.answered, "taken_over": counters.takenOver, "transferred": counters.transferred,
            "expired": counters.expired, "cancelled": counters.cancelled, "revoked": counters.revoked,
            "dead_workers": counters.deadWorkers, "errors": counters.errors, "workers": workers.count,
            "reserved": counters.reserved, "journal_unwritable": journalUnwritable ? 1 : 0,
        ]
        for (code, count) in counters.errorsByCode { counts["errors_\(code.rawValue)"] = count }
        counts.merge(counters.external) { own, _ in own }
        var queues: [Report.Queue] = []
        for requirement in requirements.handles
        where requirements[requirement].role == .hila && !requirements[requirement].queue.isEmpty {
            queues.append(queueEntry(requirement, tickets: requirements[requirement].queue.tickets, now: now))
        }
        // The one live queue, shown per skill set like the HILA queues.
        var liveGroups: [RequirementID: [TicketHandle]] = [:]
        for ticket in requirements[liveAny].queue.tickets { liveGroups[tickets[ticket].requirement, default: []].append(ticket) }
        for (requirement, waiting) in liveGroups { queues.append(queueEntry(requirement, tickets: waiting, now: now)) }
        queues.sort { first, second in
            first.role != second.role
                ? first.role.rawValue < second.role.rawValue : first.skills.lexicographicallyPrecedes(second.skills)
        }
        let workerEntries = workers.handles.map { handle in
            let worker = workers[handle]
            return Report.Worker(
                name: worker.name, role: worker.role, skills: worker.skills, load: worker.load,
                capacity: worker.capacity, presence: worker.presence.wire)
        }
        return Report(
            uptimeMilliseconds: Int(max(0, now.milliseconds(since: startedAt))), counts: counts, queues: queues,
            workers: workerEntries.sorted { $0.name < $1.name })
    }

    private func queueEntry(_ requirement: RequirementID, tickets waiting: [TicketHandle], now: Timestamp) -> Report.Queue {
        let oldest = waiting.map { now.milliseconds(since: tickets[$0].askedAt) }.max() ?? 0
        return Report.Queue(
            role: requirements[requirement].role, skills: requirements[requirement].skillNames, waiting: waiting.count,
            oldestMilliseconds: Int(max(0, oldest)))
    }
}
