import HelplineWire
import Testing

/// A string or list field, and how to build a message with it at a given size or count.
struct SizeLimit: Sendable, CustomTestStringConvertible {
    let field: String
    let limit: Int
    let make: @Sendable (Int) -> AnyMessage
    var testDescription: String { field }
}

/// An integer field with a range, and how to build a message with a given value.
struct RangeLimit: Sendable, CustomTestStringConvertible {
    let field: String
    let range: ClosedRange<Int>
    let make: @Sendable (Int) -> AnyMessage
    var testDescription: String { field }
}

/// Every string and list at its limit decodes and one past it is 413; every ranged
/// integer at its bounds decodes and one outside is 422.
@Suite struct LimitTests {
    private static func s(_ bytes: Int) -> String { Samples.text(bytes: bytes) }
    private static func list(_ count: Int) -> [String] { Samples.names(count, bytes: 8) }
    private static func ask(_ ask: Ask) -> AnyMessage { .clientMessage(.ask(ask)) }
    private static func assign(skills: [String] = [], options: [String] = [], ticket: String = "t", note: String? = nil)
        -> AnyMessage
    {
        .workerDirective(
            .assign(
                Assign(
                    ticket: ticket, role: .hila, skills: skills, priority: 0, options: options, ageMilliseconds: 0,
                    acceptTimeoutMilliseconds: 0, deadlineMilliseconds: 0, attempt: 1, note: note)))
    }
    private static func report(counts: [String: Int] = [:], queue: Report.Queue? = nil, worker: Report.Worker? = nil)
        -> AnyMessage
    {
        .clientReply(
            .report(
                Report(
                    uptimeMilliseconds: 0, counts: counts, queues: queue.map { [$0] } ?? [],
                    workers: worker.map { [$0] } ?? [])))
    }

    static let sizes: [SizeLimit] = [
        SizeLimit(field: "ASK id", limit: WireLimits.maxTicketIDBytes) { ask(Ask(ticket: s($0))) },
        SizeLimit(field: "ASK skills", limit: WireLimits.maxSkillsPerEntity) {
            ask(Ask(ticket: "t", skills: list($0)))
        },
        SizeLimit(field: "ASK skill", limit: WireLimits.maxSkillBytes) { ask(Ask(ticket: "t", skills: [s($0)])) },
        SizeLimit(field: "ASK options", limit: WireLimits.maxOptions) { ask(Ask(ticket: "t", options: list($0))) },
        SizeLimit(field: "ASK option", limit: WireLimits.maxOptionBytes) { ask(Ask(ticket: "t", options: [s($0)])) },
        SizeLimit(field: "CANCEL id", limit: WireLimits.maxTicketIDBytes) { .clientMessage(.cancel(ticket: s($0))) },
        SizeLimit(field: "RESUME ids", limit: WireLimits.maxResumeIDs) { .clientMessage(.resume(tickets: list($0))) },
        SizeLimit(field: "RESUME id", limit: WireLimits.maxTicketIDBytes) { .clientMessage(.resume(tickets: [s($0)])) },
        SizeLimit(field: "QUEUED id", limit: WireLimits.maxTicketIDBytes) {
            .clientReply(.queued(Queued(ticket: s($0), role: .hila, position: 0)))
        },
        SizeLimit(field: "ASSIGNED worker", limit: WireLimits.maxNameBytes) {
            .clientReply(.assigned(Assigned(ticket: "t", worker: s($0), role: .hila)))
        },
        SizeLimit(field: "ANSWERED option", limit: WireLimits.maxOptionBytes) {
            .clientReply(
                .answered(Answered(ticket: "t", decision: .option, option: s($0), worker: "w", elapsedMilliseconds: 0)))
        },
        SizeLimit(field: "ANSWERED worker", limit: WireLimits.maxNameBytes) {
            .clientReply(.answered(Answered(ticket: "t", decision: .approve, worker: s($0), elapsedMilliseconds: 0)))
        },
        SizeLimit(field: "TRANSFERRED note", limit: WireLimits.maxTextBytes) {
            .clientReply(.transferred(Transferred(ticket: "t", reason: .hila, note: s($0))))
        },
        SizeLimit(field: "EXPIRED id", limit: WireLimits.maxTicketIDBytes) { .clientReply(.expired(ticket: s($0))) },
        SizeLimit(field: "CANCELLED id", limit: WireLimits.maxTicketIDBytes) {
            .clientReply(.cancelled(ticket: s($0)))
        },
        SizeLimit(field: "REPORT counts key", limit: WireLimits.maxNameBytes) { report(counts: [s($0): 1]) },
        SizeLimit(field: "REPORT queue skills", limit: WireLimits.maxSkillsPerEntity) {
            report(queue: Report.Queue(role: .hila, skills: list($0), waiting: 1, oldestMilliseconds: 1))
        },
        SizeLimit(field: "REPORT worker name", limit: WireLimits.maxNameBytes) {
            report(worker: Report.Worker(name: s($0), role: .hila, skills: [], load: 0, capacity: 1, presence: .active))
        },
        SizeLimit(field: "REPORT worker skill", limit: WireLimits.maxSkillBytes) {
            report(
                worker: Report.Worker(name: "w", role: .hila, skills: [s($0)], load: 0, capacity: 1, presence: .active))
        },
        SizeLimit(field: "ERROR text to client", limit: WireLimits.maxTextBytes) {
            .clientReply(.error(ErrorReply(code: .invalid, text: s($0))))
        },
        SizeLimit(field: "ERROR id to client", limit: WireLimits.maxTicketIDBytes) {
            .clientReply(.error(ErrorReply(code: .invalid, text: "", ticket: s($0))))
        },
        SizeLimit(field: "READY name", limit: WireLimits.maxNameBytes) {
            .workerMessage(.ready(Ready(name: s($0), role: .hila)))
        },
        SizeLimit(field: "READY skills", limit: WireLimits.maxSkillsPerEntity) {
            .workerMessage(.ready(Ready(name: "w", role: .hila, skills: list($0))))
        },
        SizeLimit(field: "READY skill", limit: WireLimits.maxSkillBytes) {
            .workerMessage(.ready(Ready(name: "w", role: .hila, skills: [s($0)])))
        },
        SizeLimit(field: "READY holding", limit: WireLimits.maxCapacity) {
            .workerMessage(.ready(Ready(name: "w", role: .hila, holding: list($0))))
        },
        SizeLimit(field: "READY held id", limit: WireLimits.maxTicketIDBytes) {
            .workerMessage(.ready(Ready(name: "w", role: .hila, holding: [s($0)])))
        },
        SizeLimit(field: "ACCEPT id", limit: WireLimits.maxTicketIDBytes) {
            .workerMessage(.accept(ticket: s($0), leaseMilliseconds: 0))
        },
        SizeLimit(field: "ANSWER option", limit: WireLimits.maxOptionBytes) {
            .workerMessage(.answer(Answer(ticket: "t", decision: .option, option: s($0))))
        },
        SizeLimit(field: "TRANSFER note", limit: WireLimits.maxTextBytes) {
            .workerMessage(.transfer(ticket: "t", note: s($0)))
        },
        SizeLimit(field: "DECLINE reason", limit: WireLimits.maxTextBytes) {
            .workerMessage(.decline(ticket: "t", reason: s($0)))
        },
        SizeLimit(field: "EXTEND id", limit: WireLimits.maxTicketIDBytes) {
            .workerMessage(.extend(ticket: s($0), leaseMilliseconds: 1))
        },
        SizeLimit(field: "WELCOME attached", limit: WireLimits.maxCapacity) {
            .workerDirective(
                .welcome(
                    Welcome(heartbeatMilliseconds: 250, liveness: 1, acceptTimeoutMilliseconds: 1, attached: list($0))))
        },
        SizeLimit(field: "WELCOME dropped", limit: WireLimits.maxCapacity) {
            .workerDirective(
                .welcome(
                    Welcome(heartbeatMilliseconds: 250, liveness: 1, acceptTimeoutMilliseconds: 1, dropped: list($0))))
        },
        SizeLimit(field: "WELCOME attached id", limit: WireLimits.maxTicketIDBytes) {
            .workerDirective(
                .welcome(
                    Welcome(heartbeatMilliseconds: 250, liveness: 1, acceptTimeoutMilliseconds: 1, attached: [s($0)])))
        },
        SizeLimit(field: "ASSIGN id", limit: WireLimits.maxTicketIDBytes) { assign(ticket: s($0)) },
        SizeLimit(field: "ASSIGN skills", limit: WireLimits.maxSkillsPerEntity) { assign(skills: list($0)) },
        SizeLimit(field: "ASSIGN skill", limit: WireLimits.maxSkillBytes) { assign(skills: [s($0)]) },
        SizeLimit(field: "ASSIGN options", limit: WireLimits.maxOptions) { assign(options: list($0)) },
        SizeLimit(field: "ASSIGN option", limit: WireLimits.maxOptionBytes) { assign(options: [s($0)]) },
        SizeLimit(field: "ASSIGN note", limit: WireLimits.maxTextBytes) { assign(note: s($0)) },
        SizeLimit(field: "REVOKE id", limit: WireLimits.maxTicketIDBytes) {
            .workerDirective(.revoke(ticket: s($0), reason: .cancelled))
        },
        SizeLimit(field: "ERROR text to worker", limit: WireLimits.maxTextBytes) {
            .workerDirective(.error(ErrorReply(code: .invalid, text: s($0))))
        },
        SizeLimit(field: "DISCONNECT reason", limit: WireLimits.maxTextBytes) {
            .workerDirective(.disconnect(reason: s($0)))
        },
    ]

    static let ranges: [RangeLimit] = [
        RangeLimit(field: "ASK priority", range: 0...WireLimits.maxPriority) { ask(Ask(ticket: "t", priority: $0)) },
        RangeLimit(field: "ASK max_wait", range: WireLimits.maxWaitRangeMilliseconds) {
            ask(Ask(ticket: "t", maxWaitMilliseconds: $0))
        },
        RangeLimit(field: "ASK deadline", range: WireLimits.deadlineRangeMilliseconds) {
            ask(Ask(ticket: "t", deadlineMilliseconds: $0))
        },
        RangeLimit(field: "READY capacity", range: 1...WireLimits.maxCapacity) {
            .workerMessage(.ready(Ready(name: "w", role: .hila, capacity: $0)))
        },
        RangeLimit(field: "READY heartbeat", range: WireLimits.heartbeatRangeMilliseconds) {
            .workerMessage(.ready(Ready(name: "w", role: .hila, heartbeatMilliseconds: $0)))
        },
        RangeLimit(field: "ACCEPT lease", range: WireLimits.leaseRangeMilliseconds) {
            .workerMessage(.accept(ticket: "t", leaseMilliseconds: $0))
        },
        RangeLimit(field: "EXTEND lease", range: 1...WireLimits.leaseRangeMilliseconds.upperBound) {
            .workerMessage(.extend(ticket: "t", leaseMilliseconds: $0))
        },
        RangeLimit(field: "QUEUED position", range: 0...Int.max) {
            .clientReply(.queued(Queued(ticket: "t", role: .hila, position: $0)))
        },
        RangeLimit(field: "ASSIGN attempt", range: 1...Int.max) {
            .workerDirective(
                .assign(
                    Assign(
                        ticket: "t", role: .hila, skills: [], priority: 0, options: [], ageMilliseconds: 0,
                        acceptTimeoutMilliseconds: 0, deadlineMilliseconds: 0, attempt: $0)))
        },
    ]

    private func decodeCode(_ message: AnyMessage) -> ErrorCode? {
        let (command, header) = message.encode()
        return errorCode { () throws(WireError) in
            try AnyMessage.decode(message.direction, command: command.rawValue, header: header)
        }
    }

    @Test(arguments: sizes)
    func decode_whenStringOrListIsAtItsLimit_decodes(_ size: SizeLimit) throws {
        let message = size.make(size.limit)
        let (command, header) = message.encode()
        #expect(try AnyMessage.decode(message.direction, command: command.rawValue, header: header) == message)
    }

    @Test(arguments: sizes)
    func decode_whenStringOrListIsOnePastItsLimit_isTooLarge(_ size: SizeLimit) {
        #expect(decodeCode(size.make(size.limit + 1)) == .tooLarge)
    }

    @Test(arguments: ranges)
    func decode_whenIntegerIsAtEitherBound_decodes(_ range: RangeLimit) throws {
        for value in [range.range.lowerBound, range.range.upperBound] {
            #expect(decodeCode(range.make(value)) == nil, "\(range.field) = \(value)")
        }
    }

    @Test(arguments: ranges)
    func decode_whenIntegerIsOneOutsideItsRange_isInvalid(_ range: RangeLimit) {
        // Below 0 is written as a MessagePack negative int, which no field accepts.
        #expect(decodeCode(range.make(range.range.lowerBound - 1)) == .invalid)
        if range.range.upperBound < Int.max {
            #expect(decodeCode(range.make(range.range.upperBound + 1)) == .invalid)
        }
    }
}
