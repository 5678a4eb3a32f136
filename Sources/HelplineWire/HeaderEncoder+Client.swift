// HLP/Client headers in canonical form; key order follows `HeaderKeys`.
extension HeaderEncoder {
    func pack(_ message: ClientMessage) -> Command {
        start()
        switch message {
        case .ask(let ask):
            map(7)
            field(.id, ask.ticket)
            field(.skills, ask.skills)
            field(.role, ask.role)
            field(.priority, ask.priority)
            field(.options, ask.options)
            field(.maxWait, ask.maxWaitMilliseconds)
            field(.deadline, ask.deadlineMilliseconds)
            return .ask
        case .cancel(let ticket):
            map(1)
            field(.id, ticket)
            return .cancel
        case .resume(let tickets):
            map(1)
            field(.ids, tickets)
            return .resume
        case .status:
            map(0)
            return .status
        case .heartbeat:
            map(0)
            return .heartbeat
        }
    }

    func pack(_ reply: ClientReply) -> Command {
        start()
        switch reply {
        case .queued(let queued):
            map(4)
            field(.id, queued.ticket)
            field(.role, queued.role)
            field(.stage, queued.stage)
            field(.position, queued.position)
            return .queued
        case .assigned(let assigned):
            map(3)
            field(.id, assigned.ticket)
            field(.worker, assigned.worker)
            field(.role, assigned.role)
            return .assigned
        case .answered(let answered):
            map(answered.option == nil ? 4 : 5)
            field(.id, answered.ticket)
            field(.decision, answered.decision)
            field(.option, ifPresent: answered.option)
            field(.worker, answered.worker)
            field(.elapsed, answered.elapsedMilliseconds)
            return .answered
        case .transferred(let transferred):
            map(transferred.note == nil ? 2 : 3)
            field(.id, transferred.ticket)
            field(.reason, transferred.reason)
            field(.note, ifPresent: transferred.note)
            return .transferred
        case .expired(let ticket):
            map(1)
            field(.id, ticket)
            return .expired
        case .cancelled(let ticket):
            map(1)
            field(.id, ticket)
            return .cancelled
        case .report(let report):
            pack(report)
            return .report
        case .error(let error):
            pack(error)
            return .error
        case .heartbeat:
            map(0)
            return .heartbeat
        }
    }

    /// REPORT. `counts` is a dictionary, so its keys are written sorted by their UTF-8
    /// bytes: the same report always encodes to the same bytes.
    private func pack(_ report: Report) {
        map(4)
        field(.uptime, report.uptimeMilliseconds)
        key(.counts)
        map(report.counts.count)
        for (name, count) in report.counts.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            string(name)
            int(count)
        }
        key(.queues)
        array(report.queues.count)
        for queue in report.queues {
            map(4)
            field(.role, queue.role)
            field(.skills, queue.skills)
            field(.waiting, queue.waiting)
            field(.oldest, queue.oldestMilliseconds)
        }
        key(.workers)
        array(report.workers.count)
        for worker in report.workers {
            map(6)
            field(.name, worker.name)
            field(.role, worker.role)
            field(.skills, worker.skills)
            field(.load, worker.load)
            field(.capacity, worker.capacity)
            field(.presence, worker.presence)
        }
    }

    /// ERROR, shared by both sub-protocols.
    func pack(_ error: ErrorReply) {
        map(2 + (error.ticket == nil ? 0 : 1) + (error.command == nil ? 0 : 1))
        field(.code, Int(error.code.rawValue))
        field(.text, error.text)
        field(.id, ifPresent: error.ticket)
        if let command = error.command { field(.command, Int(command)) }
    }
}
