/// Every header key of HLP/1, spelled once (1-HLP.md §Commands).
///
/// The encoder writes keys from here and the decoder matches against the same spelling, so
/// the two cannot drift apart. The raw value indexes the decoder's slot table.
enum HeaderKey: Int, CaseIterable {
    case id, ids, skills, role, priority, options, maxWait, deadline
    case stage, position, worker, decision, option, elapsed, reason, note
    case uptime, counts, queues, workers, code, text, command
    case name, capacity, heartbeat, holding, presence, lease
    case liveness, acceptTimeout, attached, dropped, age, attempt, transfer
    case waiting, oldest, load

    /// The wire spelling. `StaticString` so matching and packing never build a `String`.
    var name: StaticString {
        switch self {
        case .id: "id"
        case .ids: "ids"
        case .skills: "skills"
        case .role: "role"
        case .priority: "priority"
        case .options: "options"
        case .maxWait: "max_wait"
        case .deadline: "deadline"
        case .stage: "stage"
        case .position: "position"
        case .worker: "worker"
        case .decision: "decision"
        case .option: "option"
        case .elapsed: "elapsed"
        case .reason: "reason"
        case .note: "note"
        case .uptime: "uptime"
        case .counts: "counts"
        case .queues: "queues"
        case .workers: "workers"
        case .code: "code"
        case .text: "text"
        case .command: "command"
        case .name: "name"
        case .capacity: "capacity"
        case .heartbeat: "heartbeat"
        case .holding: "holding"
        case .presence: "presence"
        case .lease: "lease"
        case .liveness: "liveness"
        case .acceptTimeout: "accept_timeout"
        case .attached: "attached"
        case .dropped: "dropped"
        case .age: "age"
        case .attempt: "attempt"
        case .transfer: "transfer"
        case .waiting: "waiting"
        case .oldest: "oldest"
        case .load: "load"
        }
    }

    /// Whether `bytes` spell this key.
    @inline(__always)
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let spelling = name
        return sameBytes(bytes, UnsafeRawBufferPointer(start: spelling.utf8Start, count: spelling.utf8CodeUnitCount))
    }
}

/// The keys each header may carry, in the canonical order of 1-HLP.md's tables (§Commands).
/// The encoder writes in this order; the decoder accepts any order.
enum HeaderKeys {
    static let ask: [HeaderKey] = [.id, .skills, .role, .priority, .options, .maxWait, .deadline]
    static let ticketOnly: [HeaderKey] = [.id]
    static let resume: [HeaderKey] = [.ids]
    static let empty: [HeaderKey] = []
    static let queued: [HeaderKey] = [.id, .role, .stage, .position]
    static let assigned: [HeaderKey] = [.id, .worker, .role]
    static let answered: [HeaderKey] = [.id, .decision, .option, .worker, .elapsed]
    static let transferred: [HeaderKey] = [.id, .reason, .note]
    static let report: [HeaderKey] = [.uptime, .counts, .queues, .workers]
    static let reportQueue: [HeaderKey] = [.role, .skills, .waiting, .oldest]
    static let reportWorker: [HeaderKey] = [.name, .role, .skills, .load, .capacity, .presence]
    static let error: [HeaderKey] = [.code, .text, .id, .command]
    static let ready: [HeaderKey] = [.name, .role, .skills, .capacity, .heartbeat, .holding, .presence]
    static let presenceOnly: [HeaderKey] = [.presence]
    static let lease: [HeaderKey] = [.id, .lease]
    static let answer: [HeaderKey] = [.id, .decision, .option]
    static let transfer: [HeaderKey] = [.id, .note]
    static let decline: [HeaderKey] = [.id, .reason]
    static let reasonOnly: [HeaderKey] = [.reason]
    static let welcome: [HeaderKey] = [.heartbeat, .liveness, .acceptTimeout, .attached, .dropped]
    static let assign: [HeaderKey] = [
        .id, .role, .skills, .priority, .options, .age, .acceptTimeout, .deadline, .attempt, .transfer, .note,
    ]
    static let revoke: [HeaderKey] = [.id, .reason]
}

/// Whether `a` and `b` hold the same bytes. By index, not `elementsEqual`: no iterators for
/// the few bytes of a key or a vocabulary word, compared once per field of every header.
@inline(__always)
func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    for index in 0..<a.count where a[index] != b[index] { return false }
    return true
}
