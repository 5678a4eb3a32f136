import CMsgPack

// HLP/Client headers: what the broker receives from agents and what agents receive back.
extension HeaderDecoder {
    /// Decodes the header of a command a client sent to the broker.
    ///
    /// - Throws: 400 for an unknown command byte or a malformed header, 403 for a command
    ///   clients may not send, 413 for an oversize header, string or list, 422 for a
    ///   missing or out-of-range field.
    public func decodeClientMessage(command byte: UInt8, header: UnsafeRawBufferPointer) throws(WireError)
        -> ClientMessage
    {
        let command = try Direction.clientToBroker.command(byte)
        let root = try unpack(header, command)
        defer { clearZone() }
        switch command {
        case .ask: return .ask(try ask(root))
        case .cancel: return .cancel(ticket: try ticketOnly(root, .cancel))
        case .resume: return .resume(tickets: try resume(root))
        case .status:
            try empty(root, .status)
            return .status
        case .heartbeat:
            try empty(root, .heartbeat)
            return .heartbeat
        default: preconditionFailure("Direction.clientToBroker allows no \(command)")
        }
    }

    /// Decodes the header of a command the broker sent to a client.
    ///
    /// - Throws: as `decodeClientMessage`; 403 for a command the broker never sends clients.
    public func decodeClientReply(command byte: UInt8, header: UnsafeRawBufferPointer) throws(WireError)
        -> ClientReply
    {
        let command = try Direction.brokerToClient.command(byte)
        let root = try unpack(header, command)
        defer { clearZone() }
        switch command {
        case .queued: return .queued(try queued(root))
        case .assigned: return .assigned(try assigned(root))
        case .answered: return .answered(try answered(root))
        case .transferred: return .transferred(try transferred(root))
        case .expired: return .expired(ticket: try ticketOnly(root, .expired))
        case .cancelled: return .cancelled(ticket: try ticketOnly(root, .cancelled))
        case .report: return .report(try report(root))
        case .error: return .error(try errorReply(root))
        case .heartbeat:
            try empty(root, .heartbeat)
            return .heartbeat
        default: preconditionFailure("Direction.brokerToClient allows no \(command)")
        }
    }

    // MARK: Client -> broker

    private func ask(_ header: msgpack_object) throws(WireError) -> Ask {
        var fields = try fields(of: header, keys: HeaderKeys.ask, command: .ask)
        return Ask(
            ticket: try fields.ticketID(),
            skills: try fields.skills() ?? [],
            role: try fields.vocabulary(.role, Role.self) ?? WireDefaults.role,
            priority: try fields.int(.priority, in: 0...WireLimits.maxPriority) ?? WireDefaults.priority,
            options: try fields.options() ?? [],
            maxWaitMilliseconds: try fields.int(.maxWait, in: WireLimits.maxWaitRangeMilliseconds)
                ?? WireDefaults.maxWaitMilliseconds,
            deadlineMilliseconds: try fields.int(.deadline, in: WireLimits.deadlineRangeMilliseconds)
                ?? WireDefaults.deadlineMilliseconds)
    }

    private func resume(_ header: msgpack_object) throws(WireError) -> [String] {
        let fields = try fields(of: header, keys: HeaderKeys.resume, command: .resume)
        guard
            let ids = try fields.names(.ids, maxCount: WireLimits.maxResumeIDs, itemLimit: WireLimits.maxTicketIDBytes)
        else { throw fields.missing(.ids) }
        guard !ids.isEmpty else {
            throw fields.error(.invalid, "'ids' is empty; must name 1...\(WireLimits.maxResumeIDs)")
        }
        return ids
    }

    // MARK: Broker -> client

    private func queued(_ header: msgpack_object) throws(WireError) -> Queued {
        var fields = try fields(of: header, keys: HeaderKeys.queued, command: .queued)
        return Queued(
            ticket: try fields.ticketID(),
            role: try fields.requiredVocabulary(.role, Role.self),
            stage: try fields.vocabulary(.stage, TicketStage.self) ?? .waiting,
            position: try fields.requiredInt(.position))
    }

    private func assigned(_ header: msgpack_object) throws(WireError) -> Assigned {
        var fields = try fields(of: header, keys: HeaderKeys.assigned, command: .assigned)
        return Assigned(
            ticket: try fields.ticketID(),
            worker: try fields.requiredString(.worker, limit: WireLimits.maxNameBytes, kind: .name),
            role: try fields.requiredVocabulary(.role, Role.self))
    }

    private func answered(_ header: msgpack_object) throws(WireError) -> Answered {
        var fields = try fields(of: header, keys: HeaderKeys.answered, command: .answered)
        let ticket = try fields.ticketID()
        let decision = try fields.requiredVocabulary(.decision, Decision.self)
        return Answered(
            ticket: ticket, decision: decision,
            option: try fields.option(for: decision),
            worker: try fields.requiredString(.worker, limit: WireLimits.maxNameBytes, kind: .name),
            elapsedMilliseconds: try fields.requiredInt(.elapsed))
    }

    private func transferred(_ header: msgpack_object) throws(WireError) -> Transferred {
        var fields = try fields(of: header, keys: HeaderKeys.transferred, command: .transferred)
        return Transferred(
            ticket: try fields.ticketID(),
            reason: try fields.requiredVocabulary(.reason, TransferReason.self),
            note: try fields.text(.note))
    }
}
