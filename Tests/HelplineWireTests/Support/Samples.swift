import HelplineWire

/// Messages of every type, at ordinary and at edge values, for round trips and fuzz seeds.
enum Samples {
    /// `count` distinct names of exactly `bytes` bytes each.
    static func names(_ count: Int, bytes: Int, prefix: String = "n") -> [String] {
        (0..<count).map { index in
            let stem = "\(prefix)\(index)-"
            return stem + String(repeating: "x", count: max(0, bytes - stem.utf8.count))
        }
    }

    /// A string of exactly `bytes` UTF-8 bytes, multi-byte characters included when it can.
    static func text(bytes: Int) -> String {
        let pairs = String(repeating: "é", count: bytes / 2)  // "é" is 2 bytes
        return bytes % 2 == 0 ? pairs : pairs + "x"
    }

    static let maxAsk = Ask(
        ticket: text(bytes: WireLimits.maxTicketIDBytes),
        skills: names(WireLimits.maxSkillsPerEntity, bytes: WireLimits.maxSkillBytes, prefix: "s"),
        role: .live, priority: WireLimits.maxPriority,
        options: names(WireLimits.maxOptions, bytes: WireLimits.maxOptionBytes, prefix: "o"),
        maxWaitMilliseconds: WireLimits.maxWaitRangeMilliseconds.upperBound,
        deadlineMilliseconds: WireLimits.deadlineRangeMilliseconds.upperBound)

    static let minAsk = Ask(
        ticket: "t", skills: [], role: .hila, priority: 0, options: [],
        maxWaitMilliseconds: WireLimits.maxWaitRangeMilliseconds.lowerBound,
        deadlineMilliseconds: WireLimits.deadlineRangeMilliseconds.lowerBound)

    static let report = Report(
        uptimeMilliseconds: Int.max,
        counts: ["waiting": 5, "offered": 0, "answered": Int.max, "é-counter": 1],
        queues: [
            Report.Queue(role: .hila, skills: ["refunds"], waiting: 3, oldestMilliseconds: 4_200),
            Report.Queue(role: .live, skills: [], waiting: 0, oldestMilliseconds: 0),
        ],
        workers: [
            Report.Worker(
                name: "ana", role: .hila, skills: ["refunds", "billing"], load: 1, capacity: 2, presence: .active),
            Report.Worker(name: text(bytes: 64), role: .live, skills: [], load: 0, capacity: 100, presence: .away),
        ])

    static let clientMessages: [ClientMessage] = [
        .ask(Ask(ticket: "t-1182", skills: ["refunds"], options: ["yes", "no"])),
        .ask(maxAsk), .ask(minAsk),
        .cancel(ticket: "t-1182"),
        .resume(tickets: ["t-1"]),
        // 1,000 ids of 60 bytes: the most that fit a 64 KiB header (see WireLimits.maxResumeIDs).
        .resume(tickets: names(WireLimits.maxResumeIDs, bytes: 60, prefix: "t")),
        .status, .heartbeat,
    ]

    static let clientReplies: [ClientReply] = [
        .queued(Queued(ticket: "t-1", role: .hila, stage: .waiting, position: 0)),
        .queued(Queued(ticket: "t-1", role: .live, stage: .accepted, position: Int.max)),
        .assigned(Assigned(ticket: "t-1", worker: text(bytes: WireLimits.maxNameBytes), role: .live)),
        .answered(
            Answered(ticket: "t-1", decision: .option, option: text(bytes: 64), worker: "ana", elapsedMilliseconds: 0)),
        .answered(Answered(ticket: "t-1", decision: .edit, worker: "ana", elapsedMilliseconds: Int.max)),
        .transferred(Transferred(ticket: "t-1", reason: .maxWait)),
        .transferred(Transferred(ticket: "t-1", reason: .hila, note: text(bytes: WireLimits.maxTextBytes))),
        .transferred(Transferred(ticket: "t-1", reason: .hilaLost, note: "")),
        .expired(ticket: "t-1"), .cancelled(ticket: "t-1"),
        .report(report),
        .report(Report(uptimeMilliseconds: 0, counts: [:], queues: [], workers: [])),
        .error(ErrorReply(code: .tooMany, text: "", ticket: nil, command: nil)),
        .error(ErrorReply(code: .unavailable, text: text(bytes: 1024), ticket: "t-1", command: 255)),
        .error(ErrorReply(code: .malformed, text: "line 1\nline 2", command: 0)),
        .heartbeat,
    ]

    static let workerMessages: [WorkerMessage] = [
        .ready(Ready(name: "ana", role: .hila)),
        .ready(
            Ready(
                name: text(bytes: WireLimits.maxNameBytes), role: .live,
                skills: names(WireLimits.maxSkillsPerEntity, bytes: WireLimits.maxSkillBytes),
                capacity: WireLimits.maxCapacity,
                heartbeatMilliseconds: WireLimits.heartbeatRangeMilliseconds.upperBound,
                holding: names(WireLimits.maxCapacity, bytes: WireLimits.maxTicketIDBytes), presence: .away)),
        .ready(
            Ready(
                name: "b", role: .hila, capacity: 1,
                heartbeatMilliseconds: WireLimits.heartbeatRangeMilliseconds.lowerBound)),
        .heartbeat(presence: .active), .heartbeat(presence: .away),
        .accept(ticket: "t-1", leaseMilliseconds: 0),
        .accept(ticket: "t-1", leaseMilliseconds: WireLimits.leaseRangeMilliseconds.upperBound),
        .answer(Answer(ticket: "t-1", decision: .option, option: "yes")),
        .answer(Answer(ticket: "t-1", decision: .answer)),
        .transfer(ticket: "t-1", note: nil), .transfer(ticket: "t-1", note: text(bytes: 1024)),
        .decline(ticket: "t-1", reason: nil), .decline(ticket: "t-1", reason: "busy 🙂"),
        .extend(ticket: "t-1", leaseMilliseconds: 1),
        .extend(ticket: "t-1", leaseMilliseconds: WireLimits.leaseRangeMilliseconds.upperBound),
        .disconnect,
    ]

    static let workerDirectives: [WorkerDirective] = [
        .welcome(Welcome(heartbeatMilliseconds: 1_000, liveness: 3, acceptTimeoutMilliseconds: 30_000)),
        .welcome(
            Welcome(
                heartbeatMilliseconds: WireLimits.negotiatedHeartbeatRangeMilliseconds.upperBound, liveness: 1,
                acceptTimeoutMilliseconds: 1)),
        .welcome(
            Welcome(
                heartbeatMilliseconds: WireLimits.negotiatedHeartbeatRangeMilliseconds.lowerBound, liveness: Int.max,
                acceptTimeoutMilliseconds: 0,
                attached: names(50, bytes: 128), dropped: names(50, bytes: 128, prefix: "d"))),
        .assign(
            Assign(
                ticket: "t-1", role: .hila, skills: [], priority: 0, options: [], ageMilliseconds: 0,
                acceptTimeoutMilliseconds: 0, deadlineMilliseconds: 0, attempt: 1)),
        .assign(
            Assign(
                ticket: maxAsk.ticket, role: .live, skills: maxAsk.skills, priority: 9, options: maxAsk.options,
                ageMilliseconds: Int.max, acceptTimeoutMilliseconds: 65_536,
                deadlineMilliseconds: WireLimits.deadlineRangeMilliseconds.upperBound, attempt: Int.max,
                transferReason: .noHILA, note: text(bytes: 1024))),
        .revoke(ticket: "t-1", reason: .leaseExpired),
        .heartbeat,
        .error(ErrorReply(code: .forbidden, text: "no", ticket: "t-1", command: 0x22)),
        .disconnect(reason: nil), .disconnect(reason: "shutting down"),
    ]

    static let all: [AnyMessage] =
        clientMessages.map(AnyMessage.clientMessage) + clientReplies.map(AnyMessage.clientReply)
        + workerMessages.map(AnyMessage.workerMessage) + workerDirectives.map(AnyMessage.workerDirective)
}
