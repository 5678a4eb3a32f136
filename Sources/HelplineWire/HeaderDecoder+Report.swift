import CMsgPack

// REPORT is the one header with nested containers: a map of counters and two lists of
// maps. Each entry is read like a small header of its own, in the decoder's second slot bank.
extension HeaderDecoder {
    func report(_ header: msgpack_object) throws(WireError) -> Report {
        let fields = try fields(of: header, keys: HeaderKeys.report, command: .report)
        let uptime = try fields.requiredInt(.uptime)
        let counts = try counts(fields)
        let queueList = try list(.queues, fields)
        let workerList = try list(.workers, fields)

        var queues: [Report.Queue] = []
        queues.reserveCapacity(queueList.count)
        for (index, object) in queueList.enumerated() {
            let entry = try self.fields(
                of: object, keys: HeaderKeys.reportQueue, command: .report, entry: (.queues, index))
            queues.append(
                Report.Queue(
                    role: try entry.requiredVocabulary(.role, Role.self),
                    skills: try entry.required(entry.skills(), .skills),
                    waiting: try entry.requiredInt(.waiting),
                    oldestMilliseconds: try entry.requiredInt(.oldest)))
        }

        var workers: [Report.Worker] = []
        workers.reserveCapacity(workerList.count)
        for (index, object) in workerList.enumerated() {
            let entry = try self.fields(
                of: object, keys: HeaderKeys.reportWorker, command: .report, entry: (.workers, index))
            workers.append(
                Report.Worker(
                    name: try entry.requiredString(.name, limit: WireLimits.maxNameBytes, kind: .name),
                    role: try entry.requiredVocabulary(.role, Role.self),
                    skills: try entry.required(entry.skills(), .skills),
                    load: try entry.requiredInt(.load),
                    capacity: try entry.requiredInt(.capacity),
                    presence: try entry.requiredVocabulary(.presence, Presence.self)))
        }
        return Report(uptimeMilliseconds: uptime, counts: counts, queues: queues, workers: workers)
    }

    /// `counts`: str → uint. Counter names are open-ended, so they are checked as names
    /// (non-empty, ≤ 64 bytes, printable) rather than against a vocabulary.
    private func counts(_ fields: FieldReader) throws(WireError) -> [String: Int] {
        guard let object = fields.object(.counts) else { throw fields.missing(.counts) }
        guard object.type == MSGPACK_OBJECT_MAP else { throw fields.wrongType("'counts'", object, expected: "a map") }
        let map = object.via.map
        var counts: [String: Int] = [:]
        counts.reserveCapacity(Int(map.size))
        for index in 0..<Int(map.size) {
            let entry = map.ptr[index]
            let name = try fields.string(
                entry.key, limit: WireLimits.maxNameBytes, kind: .name, what: "'counts' key #\(index)")
            let value = try fields.int(entry.val, in: 0...Int.max, what: "'counts'.'\(name)'")
            guard counts.updateValue(value, forKey: name) == nil else {
                throw fields.error(.malformed, "'counts' key '\(name)' appears twice")
            }
        }
        return counts
    }

    /// A required list whose elements are read one by one by the caller.
    private func list(_ key: HeaderKey, _ fields: FieldReader) throws(WireError) -> UnsafeBufferPointer<msgpack_object>
    {
        guard let object = fields.object(key) else { throw fields.missing(key) }
        guard object.type == MSGPACK_OBJECT_ARRAY else {
            throw fields.wrongType("'\(key.name)'", object, expected: "an array")
        }
        return UnsafeBufferPointer(start: object.via.array.ptr, count: Int(object.via.array.size))
    }
}
