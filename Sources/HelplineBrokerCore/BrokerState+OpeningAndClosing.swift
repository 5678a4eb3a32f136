import HelplineWire

/// 1-HLP.md §Opening and closing (workers): READY registers a worker or replaces a known
/// name's registration. What a worker's departure does to its tickets is in `+AbsentHumans`.
extension BrokerState {
    /// 1-HLP.md [R9], [R12]–[R15].
    /// READY: registers a worker, or re-registers a known name (a console that reconnected):
    /// the new connection replaces the old, and tickets it lists in `holding` that it still
    /// holds are re-attached. A READY on a connection already registered is 403.
    mutating func ready(_ ready: Ready, from connection: ConnectionID, now: Timestamp) {
        if let (code, text) = Self.problem(with: ready) {
            refuseWorker(connection, code, text, command: .ready)
            return
        }
        // One registration per connection, made once (Opening and closing): a second READY
        // is refused and changes nothing, whatever name or role it names.
        if workersByConnection[connection] != nil {
            refuseWorker(connection, .forbidden, "this connection is already registered; READY again on a new socket", command: .ready)
            return
        }
        if let known = workersByName[ready.name] {
            reregister(known, ready, from: connection, now: now)
        } else {
            register(ready, from: connection, now: now)
        }
    }

    /// What is wrong with a READY the codec should already have refused.
    private static func problem(with ready: Ready) -> (ErrorCode, String)? {
        if ready.name.isEmpty { return (.invalid, "empty worker name") }
        if ready.name.utf8.count > WireLimits.maxNameBytes { return (.tooLarge, "worker name too long") }
        if !(1...WireLimits.maxCapacity).contains(ready.capacity) { return (.invalid, "capacity out of range") }
        if ready.skills.count > WireLimits.maxSkillsPerEntity { return (.tooLarge, "too many skills") }
        if ready.skills.contains(where: \.isEmpty) { return (.invalid, "empty skill") }
        if ready.holding.count > WireLimits.maxCapacity { return (.tooLarge, "too many held tickets") }
        return nil
    }

    private mutating func register(_ ready: Ready, from connection: ConnectionID, now: Timestamp) {
        guard workers.count < configuration.maxWorkers else {
            refuseWorker(connection, .tooMany, "broker holds its maximum of workers", command: .ready)
            return
        }
        guard let workerClass = internClass(role: ready.role, skillNames: ready.skills) else {
            refuseWorker(connection, .tooMany, "broker skill table is full", command: .ready)
            return
        }
        let interval = Int64(configuration.clampedHeartbeat(proposed: ready.heartbeatMilliseconds))
        let worker = workers.insert(
            WorkerRecord(
                name: ready.name, connection: connection, role: ready.role, skills: distinct(ready.skills),
                workerClass: workerClass, memberIndex: 0, capacity: ready.capacity,
                presence: ready.presence == .active ? .active : .away(.console), serial: nextWorkerSerial,
                heartbeat: HeartbeatSchedule(intervalMilliseconds: interval, lastSeen: now, nextSend: now.advanced(by: interval))))
        nextWorkerSerial += 1
        workersByName[ready.name] = worker
        workersByConnection[connection] = worker
        joinClass(worker)
        armHeartbeat(of: worker)
        // After a restore, tickets it held before the restart wait for it (see `+Restore`).
        let claim = claimReservations(for: worker, holding: distinct(ready.holding), now: now)
        sendWelcome(to: worker, attached: claim.attached, dropped: claim.dropped)
        dispatchOnReturn(claim.lapsed, now: now)
        dispatchToFreed(worker, now: now)
    }

    private mutating func reregister(_ worker: WorkerHandle, _ ready: Ready, from connection: ConnectionID, now: Timestamp) {
        let old = workers[worker]
        var affected: [RequirementID] = []
        let skillNames = distinct(ready.skills)
        if old.role != ready.role || Set(old.skills) != Set(skillNames) {
            guard let newClass = internClass(role: ready.role, skillNames: skillNames) else {
                refuseWorker(connection, .tooMany, "broker skill table is full", command: .ready)
                return
            }
            affected = leaveClass(worker)
            workers[worker].workerClass = newClass
            workers[worker].role = ready.role
            workers[worker].skills = skillNames
            joinClass(worker)
        }
        if old.connection != connection {
            // The old connection is forgotten without a word: it is most likely gone.
            workersByConnection[old.connection] = nil
            workersByConnection[connection] = worker
            workers[worker].connection = connection
        }
        workers[worker].capacity = ready.capacity
        workers[worker].presence = ready.presence == .active ? .active : .away(.console)
        let interval = Int64(configuration.clampedHeartbeat(proposed: ready.heartbeatMilliseconds))
        if old.heartbeat.timer != 0 { armedTimers -= 1 }
        workers[worker].heartbeat = HeartbeatSchedule(intervalMilliseconds: interval, lastSeen: now, nextSend: now.advanced(by: interval))
        armHeartbeat(of: worker)
        markDirty(worker)

        // Re-attach what the console still holds, up to its capacity and only in its role;
        // everything else it held goes back to the queues.
        var attached: [String] = []
        var dropped: [String] = []
        var kept: [TicketHandle] = []
        for id in distinct(ready.holding) {
            if let ticket = ticketsByID[id], tickets[ticket].state.holder == worker, tickets[ticket].role == ready.role,
                kept.count < ready.capacity
            {
                kept.append(ticket)
                attached.append(id)
            } else {
                dropped.append(id)
            }
        }
        let unlisted = workers[worker].held.filter { !kept.contains($0) }
        for ticket in unlisted { takeFromHolder(ticket, releasedBecause: .holderLost, now: now) }
        sendWelcome(to: worker, attached: attached, dropped: dropped)
        dispatchOnReturn(unlisted, now: now)
        transferUnservable(in: affected, now: now)
        dispatchToFreed(worker, now: now)
    }

    private mutating func sendWelcome(to worker: WorkerHandle, attached: [String], dropped: [String]) {
        let welcome = Welcome(
            heartbeatMilliseconds: Int(workers[worker].heartbeat.intervalMilliseconds),
            liveness: configuration.effectiveLiveness,
            acceptTimeoutMilliseconds: Int(configuration.effectiveAcceptTimeout), attached: attached, dropped: dropped)
        send(.welcome(welcome), to: workers[worker].connection)
    }

    private func distinct(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
