import HelplineWire

/// A vector's JSON `header` turned into the typed message it describes, with 1-HLP.md's
/// defaults for absent fields. Written against the JSON, not the decoder, so the golden
/// tests compare two readings of the same bytes.
struct VectorHeader {
    let fields: [String: Any]
    let vector: String

    init(_ fields: [String: Any], vector: String) {
        self.fields = fields
        self.vector = vector
    }

    func message(_ direction: Direction, _ command: Command) -> AnyMessage {
        switch direction {
        case .clientToBroker: .clientMessage(clientMessage(command))
        case .brokerToClient: .clientReply(clientReply(command))
        case .workerToBroker: .workerMessage(workerMessage(command))
        case .brokerToWorker: .workerDirective(workerDirective(command))
        }
    }

    private func clientMessage(_ command: Command) -> ClientMessage {
        switch command {
        case .ask:
            .ask(
                Ask(
                    ticket: string("id"), skills: strings("skills") ?? [], role: word("role") ?? .hila,
                    priority: int("priority") ?? 0, options: strings("options") ?? [],
                    maxWaitMilliseconds: int("max_wait") ?? 60_000, deadlineMilliseconds: int("deadline") ?? 3_600_000))
        case .cancel: .cancel(ticket: string("id"))
        case .resume: .resume(tickets: strings("ids")!)
        case .status: .status
        case .heartbeat: .heartbeat
        default: preconditionFailure("\(vector): \(command) is not client-to-broker")
        }
    }

    private func clientReply(_ command: Command) -> ClientReply {
        switch command {
        case .queued:
            .queued(
                Queued(
                    ticket: string("id"), role: word("role")!, stage: word("stage") ?? .waiting,
                    position: int("position")!))
        case .assigned: .assigned(Assigned(ticket: string("id"), worker: string("worker"), role: word("role")!))
        case .answered:
            .answered(
                Answered(
                    ticket: string("id"), decision: word("decision")!, option: optionalString("option"),
                    worker: string("worker"), elapsedMilliseconds: int("elapsed")!))
        case .transferred:
            .transferred(Transferred(ticket: string("id"), reason: word("reason")!, note: optionalString("note")))
        case .expired: .expired(ticket: string("id"))
        case .cancelled: .cancelled(ticket: string("id"))
        case .report: .report(report())
        case .error: .error(errorReply())
        case .heartbeat: .heartbeat
        default: preconditionFailure("\(vector): \(command) is not broker-to-client")
        }
    }

    private func workerMessage(_ command: Command) -> WorkerMessage {
        switch command {
        case .ready:
            .ready(
                Ready(
                    name: string("name"), role: word("role")!, skills: strings("skills") ?? [],
                    capacity: int("capacity") ?? 1, heartbeatMilliseconds: int("heartbeat") ?? 1_000,
                    holding: strings("holding") ?? [], presence: word("presence") ?? .active))
        case .heartbeat: .heartbeat(presence: word("presence") ?? .active)
        case .accept: .accept(ticket: string("id"), leaseMilliseconds: int("lease") ?? 0)
        case .answer:
            .answer(Answer(ticket: string("id"), decision: word("decision")!, option: optionalString("option")))
        case .transfer: .transfer(ticket: string("id"), note: optionalString("note"))
        case .decline: .decline(ticket: string("id"), reason: optionalString("reason"))
        case .extend: .extend(ticket: string("id"), leaseMilliseconds: int("lease")!)
        case .disconnect: .disconnect
        default: preconditionFailure("\(vector): \(command) is not worker-to-broker")
        }
    }

    private func workerDirective(_ command: Command) -> WorkerDirective {
        switch command {
        case .welcome:
            .welcome(
                Welcome(
                    heartbeatMilliseconds: int("heartbeat")!, liveness: int("liveness")!,
                    acceptTimeoutMilliseconds: int("accept_timeout")!, attached: strings("attached") ?? [],
                    dropped: strings("dropped") ?? []))
        case .assign:
            .assign(
                Assign(
                    ticket: string("id"), role: word("role")!, skills: strings("skills")!, priority: int("priority")!,
                    options: strings("options")!, ageMilliseconds: int("age")!,
                    acceptTimeoutMilliseconds: int("accept_timeout")!, deadlineMilliseconds: int("deadline")!,
                    attempt: int("attempt")!, transferReason: word("transfer"), note: optionalString("note")))
        case .revoke: .revoke(ticket: string("id"), reason: word("reason")!)
        case .heartbeat: .heartbeat
        case .error: .error(errorReply())
        case .disconnect: .disconnect(reason: optionalString("reason"))
        default: preconditionFailure("\(vector): \(command) is not broker-to-worker")
        }
    }

    private func report() -> Report {
        let counts = (fields["counts"] as! [String: Any]).mapValues { $0 as! Int }
        let queues = (fields["queues"] as! [[String: Any]]).map { entry in
            let queue = VectorHeader(entry, vector: vector)
            return Report.Queue(
                role: queue.word("role")!, skills: queue.strings("skills")!, waiting: queue.int("waiting")!,
                oldestMilliseconds: queue.int("oldest")!)
        }
        let workers = (fields["workers"] as! [[String: Any]]).map { entry in
            let worker = VectorHeader(entry, vector: vector)
            return Report.Worker(
                name: worker.string("name"), role: worker.word("role")!, skills: worker.strings("skills")!,
                load: worker.int("load")!, capacity: worker.int("capacity")!, presence: worker.word("presence")!)
        }
        return Report(uptimeMilliseconds: int("uptime")!, counts: counts, queues: queues, workers: workers)
    }

    private func errorReply() -> ErrorReply {
        ErrorReply(
            code: ErrorCode(rawValue: UInt16(int("code")!))!, text: string("text"), ticket: optionalString("id"),
            command: int("command").map { UInt8($0) })
    }

    // MARK: Field access

    private func string(_ key: String) -> String {
        guard let value = fields[key] as? String else { preconditionFailure("\(vector): '\(key)' is not a string") }
        return value
    }

    private func optionalString(_ key: String) -> String? { fields[key].map { $0 as! String } }

    private func strings(_ key: String) -> [String]? { fields[key].map { $0 as! [String] } }

    private func int(_ key: String) -> Int? { fields[key].map { $0 as! Int } }

    private func word<W: RawRepresentable>(_ key: String) -> W? where W.RawValue == String {
        fields[key].map { W(rawValue: $0 as! String)! }
    }
}
