import CMsgPack

// HLP/Worker headers: what the broker receives from consoles and what consoles receive back.
extension HeaderDecoder {
    /// Decodes the header of a command a worker sent to the broker.
    ///
    /// - Throws: 400 for an unknown command byte or a malformed header, 403 for a command
    ///   workers may not send, 413 for an oversize header, string or list, 422 for a
    ///   missing or out-of-range field.
    public func decodeWorkerMessage(command byte: UInt8, header: UnsafeRawBufferPointer) throws(WireError)
        -> WorkerMessage
    {
        let command = try Direction.workerToBroker.command(byte)
        let root = try unpack(header, command)
        defer { clearZone() }
        switch command {
        case .ready: return .ready(try ready(root))
        case .heartbeat:
            let fields = try fields(of: root, keys: HeaderKeys.presenceOnly, command: .heartbeat)
            return .heartbeat(presence: try fields.vocabulary(.presence, Presence.self) ?? .active)
        case .accept:
            var fields = try fields(of: root, keys: HeaderKeys.lease, command: .accept)
            return .accept(
                ticket: try fields.ticketID(),
                leaseMilliseconds: try fields.int(.lease, in: WireLimits.leaseRangeMilliseconds) ?? 0)
        case .answer: return .answer(try answer(root))
        case .transfer:
            var fields = try fields(of: root, keys: HeaderKeys.transfer, command: .transfer)
            return .transfer(ticket: try fields.ticketID(), note: try fields.text(.note))
        case .decline:
            var fields = try fields(of: root, keys: HeaderKeys.decline, command: .decline)
            return .decline(ticket: try fields.ticketID(), reason: try fields.text(.reason))
        case .extend:
            var fields = try fields(of: root, keys: HeaderKeys.lease, command: .extend)
            // A lease of 0 means "no lease" in ACCEPT; EXTEND must set a real one.
            let leases = 1...WireLimits.leaseRangeMilliseconds.upperBound
            return .extend(ticket: try fields.ticketID(), leaseMilliseconds: try fields.requiredInt(.lease, in: leases))
        case .disconnect:
            try empty(root, .disconnect)
            return .disconnect
        default: preconditionFailure("Direction.workerToBroker allows no \(command)")
        }
    }

    /// Decodes the header of a command the broker sent to a worker.
    ///
    /// - Throws: as `decodeWorkerMessage`; 403 for a command the broker never sends workers.
    public func decodeWorkerDirective(command byte: UInt8, header: UnsafeRawBufferPointer) throws(WireError)
        -> WorkerDirective
    {
        let command = try Direction.brokerToWorker.command(byte)
        let root = try unpack(header, command)
        defer { clearZone() }
        switch command {
        case .welcome: return .welcome(try welcome(root))
        case .assign: return .assign(try assign(root))
        case .revoke:
            var fields = try fields(of: root, keys: HeaderKeys.revoke, command: .revoke)
            return .revoke(
                ticket: try fields.ticketID(), reason: try fields.requiredVocabulary(.reason, RevokeReason.self))
        case .heartbeat:
            try empty(root, .heartbeat)
            return .heartbeat
        case .error: return .error(try errorReply(root))
        case .disconnect:
            let fields = try fields(of: root, keys: HeaderKeys.reasonOnly, command: .disconnect)
            return .disconnect(reason: try fields.text(.reason))
        default: preconditionFailure("Direction.brokerToWorker allows no \(command)")
        }
    }

    // MARK: Worker -> broker

    private func ready(_ header: msgpack_object) throws(WireError) -> Ready {
        let fields = try fields(of: header, keys: HeaderKeys.ready, command: .ready)
        return Ready(
            name: try fields.requiredString(.name, limit: WireLimits.maxNameBytes, kind: .name),
            role: try fields.requiredVocabulary(.role, Role.self),
            skills: try fields.skills() ?? [],
            capacity: try fields.int(.capacity, in: 1...WireLimits.maxCapacity) ?? WireDefaults.capacity,
            heartbeatMilliseconds: try fields.int(.heartbeat, in: WireLimits.heartbeatRangeMilliseconds)
                ?? WireDefaults.heartbeatMilliseconds,
            holding: try heldTickets(.holding, fields) ?? [],
            presence: try fields.vocabulary(.presence, Presence.self) ?? .active)
    }

    private func answer(_ header: msgpack_object) throws(WireError) -> Answer {
        var fields = try fields(of: header, keys: HeaderKeys.answer, command: .answer)
        let ticket = try fields.ticketID()
        let decision = try fields.requiredVocabulary(.decision, Decision.self)
        return Answer(ticket: ticket, decision: decision, option: try fields.option(for: decision))
    }

    // MARK: Broker -> worker

    private func welcome(_ header: msgpack_object) throws(WireError) -> Welcome {
        let fields = try fields(of: header, keys: HeaderKeys.welcome, command: .welcome)
        return Welcome(
            heartbeatMilliseconds: try fields.requiredInt(.heartbeat, in: WireLimits.negotiatedHeartbeatRangeMilliseconds),
            liveness: try fields.requiredInt(.liveness, in: 1...Int.max),
            acceptTimeoutMilliseconds: try fields.requiredInt(.acceptTimeout),
            attached: try heldTickets(.attached, fields) ?? [],
            dropped: try heldTickets(.dropped, fields) ?? [])
    }

    private func assign(_ header: msgpack_object) throws(WireError) -> Assign {
        var fields = try fields(of: header, keys: HeaderKeys.assign, command: .assign)
        return Assign(
            ticket: try fields.ticketID(),
            role: try fields.requiredVocabulary(.role, Role.self),
            skills: try fields.required(fields.skills(), .skills),
            priority: try fields.requiredInt(.priority, in: 0...WireLimits.maxPriority),
            options: try fields.required(fields.options(), .options),
            ageMilliseconds: try fields.requiredInt(.age),
            acceptTimeoutMilliseconds: try fields.requiredInt(.acceptTimeout),
            // What is left of the deadline: 0 when an offer races the expiry.
            deadlineMilliseconds: try fields.requiredInt(
                .deadline, in: 0...WireLimits.deadlineRangeMilliseconds.upperBound),
            attempt: try fields.requiredInt(.attempt, in: 1...Int.max),
            transferReason: try fields.vocabulary(.transfer, TransferReason.self),
            note: try fields.text(.note))
    }

    /// `holding`, `attached`, `dropped`: ticket ids a console holds, so at most its
    /// largest possible capacity of them.
    private func heldTickets(_ key: HeaderKey, _ fields: FieldReader) throws(WireError) -> [String]? {
        try fields.names(key, maxCount: WireLimits.maxCapacity, itemLimit: WireLimits.maxTicketIDBytes)
    }
}
