// HLP/Worker headers in canonical form; key order follows `HeaderKeys`.
extension HeaderEncoder {
    func pack(_ message: WorkerMessage) -> Command {
        start()
        switch message {
        case .ready(let ready):
            map(7)
            field(.name, ready.name)
            field(.role, ready.role)
            field(.skills, ready.skills)
            field(.capacity, ready.capacity)
            field(.heartbeat, ready.heartbeatMilliseconds)
            field(.holding, ready.holding)
            field(.presence, ready.presence)
            return .ready
        case .heartbeat(let presence):
            map(1)
            field(.presence, presence)
            return .heartbeat
        case .accept(let ticket, let lease):
            map(2)
            field(.id, ticket)
            field(.lease, lease)
            return .accept
        case .answer(let answer):
            map(answer.option == nil ? 2 : 3)
            field(.id, answer.ticket)
            field(.decision, answer.decision)
            field(.option, ifPresent: answer.option)
            return .answer
        case .transfer(let ticket, let note):
            map(note == nil ? 1 : 2)
            field(.id, ticket)
            field(.note, ifPresent: note)
            return .transfer
        case .decline(let ticket, let reason):
            map(reason == nil ? 1 : 2)
            field(.id, ticket)
            field(.reason, ifPresent: reason)
            return .decline
        case .extend(let ticket, let lease):
            map(2)
            field(.id, ticket)
            field(.lease, lease)
            return .extend
        case .disconnect:
            map(0)
            return .disconnect
        }
    }

    func pack(_ directive: WorkerDirective) -> Command {
        start()
        switch directive {
        case .welcome(let welcome):
            map(5)
            field(.heartbeat, welcome.heartbeatMilliseconds)
            field(.liveness, welcome.liveness)
            field(.acceptTimeout, welcome.acceptTimeoutMilliseconds)
            field(.attached, welcome.attached)
            field(.dropped, welcome.dropped)
            return .welcome
        case .assign(let assign):
            map(9 + (assign.transferReason == nil ? 0 : 1) + (assign.note == nil ? 0 : 1))
            field(.id, assign.ticket)
            field(.role, assign.role)
            field(.skills, assign.skills)
            field(.priority, assign.priority)
            field(.options, assign.options)
            field(.age, assign.ageMilliseconds)
            field(.acceptTimeout, assign.acceptTimeoutMilliseconds)
            field(.deadline, assign.deadlineMilliseconds)
            field(.attempt, assign.attempt)
            field(.transfer, ifPresent: assign.transferReason?.rawValue)
            field(.note, ifPresent: assign.note)
            return .assign
        case .revoke(let ticket, let reason):
            map(2)
            field(.id, ticket)
            field(.reason, reason)
            return .revoke
        case .heartbeat:
            map(0)
            return .heartbeat
        case .error(let error):
            pack(error)
            return .error
        case .disconnect(let reason):
            map(reason == nil ? 0 : 1)
            field(.reason, ifPresent: reason)
            return .disconnect
        }
    }
}
