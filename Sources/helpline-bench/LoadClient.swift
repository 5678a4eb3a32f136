import HelplineWire
import Histogram
import ZeroMQ

/// What a load client was asked to do (see `LoadClientCommand` for the flags).
struct LoadClientPlan: Sendable {
    var wire: BenchWire
    var endpoint: String
    var sockets: Int
    /// Closed loop: tickets kept in flight per socket. Paced: the most a socket may have
    /// in flight before the client falls behind its schedule.
    var inflight: Int
    var bodyBytes: Int
    /// Tickets per second for this process; 0 = closed loop.
    var rate: Double
    /// > 0: send exactly this many tickets at the start, then only wait for outcomes.
    var count: Int
    var startAt: UInt64
    var warmupNanoseconds: UInt64
    var measureNanoseconds: UInt64
    /// After sending stops: how long to wait for the outcomes still owed.
    var drainNanoseconds: UInt64
    /// After every outcome arrived: how long to keep listening for a second one.
    var lingerNanoseconds: UInt64
    /// Report each TRANSFERRED as an event line (failover measures them).
    var reportEvents: Bool
    /// Prefix of this process's ticket ids, unique in the run.
    var tag: String
}

/// What a load client saw, printed as its last JSON line.
struct LoadClientResult: Codable, Sendable {
    var sent = 0
    /// Final outcomes received inside the measurement window; latency counts these.
    var answeredInWindow = 0
    var answered = 0
    var takenOver = 0
    var expired = 0
    var cancelled = 0
    var queued = 0
    var transferred = 0
    var errors = 0
    /// A second final outcome for a ticket that already had one: must be 0.
    var duplicates = 0
    /// Tickets sent whose outcome never came: must be 0.
    var lost = 0
    /// Replies that could not be read.
    var malformed = 0
    var windowNanoseconds: UInt64 = 0
    /// Paced runs: sends that could not go out because every socket was at its cap.
    var deferredSends = 0
    /// Paced runs: how late sends left, against their schedule (µs, 99th percentile).
    var lateP99Micros: UInt64 = 0
    var latency = LatencySamples()
}

/// A load-generating agent process: many DEALER sockets in one thread, frames kept as
/// `zmq_msg_t` (the body frame is built once and shared by every send), replies read in
/// place. It speaks HLP to Helpline, the same HLP frames through the raw forwarder, and
/// 7/MDP to a Majordomo broker.
final class LoadClient {
    let plan: LoadClientPlan
    private let context: ZMQContext
    private var sockets: [ZMQSocket] = []
    private var inflight: [Int]
    private let poller: ZMQPoller
    private let pacer: Pacer?
    private let multipart = ZMQMultipart(capacity: 8)
    private let encoder = HeaderEncoder()
    private let decoder = HeaderDecoder()
    private let body: ZMQFrame?
    /// Send time of every ticket without an outcome yet, by id.
    private var outstanding: [String: UInt64] = [:]
    private var sequence = 0
    private var nextSocket = 0
    private var histogram = LatencyHistogram.latency()
    private var lateness = LatencyHistogram.latency()
    private(set) var result = LoadClientResult()
    private var orphanCheck = OrphanCheck()

    private var windowStart: UInt64 { plan.startAt + plan.warmupNanoseconds }
    private var windowEnd: UInt64 { windowStart + plan.measureNanoseconds }

    init(plan: LoadClientPlan) throws {
        self.plan = plan
        context = try ZMQContext()
        for _ in 0..<plan.sockets {
            let socket = try ZMQSocket(context: context, type: .dealer)
            // A paced client may run ahead of a slow broker: queue rather than block.
            try socket.setOption(.sendHighWaterMark, 100_000)
            try socket.setOption(.receiveHighWaterMark, 100_000)
            try socket.connect(plan.endpoint)
            sockets.append(socket)
        }
        inflight = Array(repeating: 0, count: plan.sockets)
        pacer = plan.rate > 0 ? Pacer() : nil
        var items = sockets.map { ZMQPoller.Item.socket($0) }
        if let pacer { items.append(.fileDescriptor(pacer.fileDescriptor)) }
        poller = ZMQPoller(items)
        body = plan.bodyBytes > 0 ? ZMQFrame(bytes: (0..<plan.bodyBytes).map { UInt8(truncatingIfNeeded: $0) }) : nil
    }

    /// Runs the plan: wait for the start, load, drain, linger.
    func run() throws {
        JSONLines.emit(BenchEvent("connected"))
        BenchClock.sleep(until: plan.startAt)
        if plan.count > 0 {
            for index in 0..<plan.count { try send(on: index % sockets.count, now: BenchClock.now()) }
            try receiveUntilSettled(sendingUntil: 0)
        } else if let pacer {
            try runPaced(pacer)
        } else {
            for index in sockets.indices {
                for _ in 0..<plan.inflight { try send(on: index, now: BenchClock.now()) }
            }
            try receiveUntilSettled(sendingUntil: windowEnd)
        }
        result.lost = outstanding.count
        result.windowNanoseconds = plan.measureNanoseconds
        result.latency = LatencySamples(histogram)
        result.lateP99Micros = lateness.totalCount > 0 ? lateness.valueAtPercentile(99) : 0
    }

    /// Closed loop (and the tail of every mode): each outcome frees a slot, refilled while
    /// `now < sendingUntil`; then waits for what is owed, then lingers for duplicates.
    private func receiveUntilSettled(sendingUntil: UInt64) throws {
        let drainEnd = max(sendingUntil, plan.startAt + plan.measureNanoseconds) + plan.drainNanoseconds
        var settledAt: UInt64?
        while true {
            let now = BenchClock.now()
            orphanCheck.exitIfOrphaned(now: now)
            if outstanding.isEmpty && now >= sendingUntil {
                if settledAt == nil { settledAt = now }
                if now >= settledAt! + plan.lingerNanoseconds { return }
            }
            if now >= drainEnd { return }
            let wake = settledAt.map { $0 + plan.lingerNanoseconds } ?? min(drainEnd, now + 100_000_000)
            _ = try poller.poll(timeoutMilliseconds: BenchClock.pollTimeout(until: wake, now: now))
            try drainSockets(refillUntil: sendingUntil)
        }
    }

    /// Open loop: one ticket every 1/rate seconds, round robin over the sockets, whatever
    /// the replies do; a socket at its in-flight cap is skipped, and if all are, the send
    /// waits (counted in `deferredSends`).
    private func runPaced(_ pacer: Pacer) throws {
        let interval = 1e9 / plan.rate
        var sent = 0.0
        var nextSend = plan.startAt
        pacer.arm(at: nextSend)
        while BenchClock.now() < windowEnd {
            orphanCheck.exitIfOrphaned(now: BenchClock.now())
            _ = try poller.poll(timeoutMilliseconds: 100)
            if poller.isReadable(sockets.count) { pacer.drain() }
            try drainSockets(refillUntil: 0)
            var now = BenchClock.now()
            while nextSend <= now && nextSend < windowEnd {
                guard let socket = socketWithRoom() else {
                    result.deferredSends += 1
                    break
                }
                try send(on: socket, now: now)
                if now >= windowStart { lateness.record(max(1, (now - nextSend) / 1_000)) }
                sent += 1
                nextSend = plan.startAt + UInt64(sent * interval)
                now = BenchClock.now()
            }
            // Deferred: try again when a reply may have freed a slot, at most 50 µs later.
            pacer.arm(at: nextSend > now ? nextSend : now + 50_000)
        }
        try receiveUntilSettled(sendingUntil: 0)
    }

    private func socketWithRoom() -> Int? {
        for _ in sockets.indices {
            let candidate = nextSocket
            nextSocket = (nextSocket + 1) % sockets.count
            if inflight[candidate] < plan.inflight { return candidate }
        }
        return nil
    }

    private func drainSockets(refillUntil: UInt64) throws {
        for index in sockets.indices {
            while try sockets[index].receive(into: multipart, dontWait: true) {
                let now = BenchClock.now()
                if handleReply(now: now, socket: index), now < refillUntil {
                    try send(on: index, now: now)
                }
            }
        }
    }

    // MARK: Sending

    private func send(on index: Int, now: UInt64) throws {
        sequence += 1
        let ticket = "\(plan.tag)-\(index)-\(sequence)"
        let socket = sockets[index]
        switch plan.wire {
        case .hlp, .raw:
            try BenchFrames.clientSignature.withUnsafeBytes { try socket.send($0, more: true) }
            try withUnsafeBytes(of: Command.ask.rawValue) { try socket.send($0, more: true) }
            try encoder.withEncoded(ClientMessage.ask(Ask(ticket: ticket))) { (_, header) throws(ZMQError) in
                try socket.send(header, more: body != nil)
            }
        case .mdp:
            try socket.send(UnsafeRawBufferPointer(start: nil, count: 0), more: true)
            try BenchFrames.mdpClient.withUnsafeBytes { try socket.send($0, more: true) }
            try socket.send(BenchFrames.mdpService, more: true)
            try socket.send(ticket, more: body != nil)
        }
        if let body { try socket.send(body, more: false) }
        outstanding[ticket] = now
        inflight[index] += 1
        result.sent += 1
    }

    // MARK: Receiving

    /// Reads the message in `multipart`, which arrived on `socket` (a broker replies on the
    /// connection that asked); true when it was the final outcome of a ticket this client
    /// was waiting on, so the slot is free.
    private func handleReply(now: UInt64, socket: Int) -> Bool {
        switch plan.wire {
        case .hlp: return handleHLP(now: now, socket: socket)
        case .raw: return handleRaw(now: now, socket: socket)
        case .mdp: return handleMDP(now: now, socket: socket)
        }
    }

    private func handleHLP(now: UInt64, socket: Int) -> Bool {
        guard multipart.count >= 3, multipart.frameSize(1) == 1 else {
            result.malformed += 1
            return false
        }
        let byte = multipart.withFrame(1) { $0[0] }
        // QUEUED is the hot event: count it without decoding its header.
        if byte == Command.queued.rawValue {
            result.queued += 1
            return false
        }
        let reply: ClientReply? = multipart.withFrame(2) { header in
            try? decoder.decodeClientReply(command: byte, header: header)
        }
        switch reply {
        case .answered(let answered):
            return finish(answered.ticket, now: now, socket: socket, \.answered)
        case .assigned(let assigned) where assigned.role == .live:
            return finish(assigned.ticket, now: now, socket: socket, \.takenOver)
        case .assigned:
            return false
        case .expired(let ticket):
            return finish(ticket, now: now, socket: socket, \.expired)
        case .cancelled(let ticket):
            return finish(ticket, now: now, socket: socket, \.cancelled)
        case .transferred(let transferred):
            result.transferred += 1
            if plan.reportEvents {
                JSONLines.emit(BenchEvent("transferred", ticket: transferred.ticket, detail: transferred.reason.rawValue, time: now))
            }
            return false
        case .error(let error):
            result.errors += 1
            if result.errors <= 3 { JSONLines.warn("load-client: ERROR \(error.code.rawValue) \(error.text)") }
            // A refused ASK created no ticket: its slot is free, and it is not lost.
            if let ticket = error.ticket, outstanding.removeValue(forKey: ticket) != nil {
                inflight[socket] -= 1
                return true
            }
            return false
        case .queued, .report, .heartbeat:
            return false
        case nil:
            result.malformed += 1
            return false
        }
    }

    /// Through the forwarder a worker's ANSWER frames come back as they were sent.
    private func handleRaw(now: UInt64, socket: Int) -> Bool {
        guard multipart.count >= 3, multipart.frameSize(1) == 1 else {
            result.malformed += 1
            return false
        }
        let byte = multipart.withFrame(1) { $0[0] }
        let message: WorkerMessage? = multipart.withFrame(2) { header in
            try? decoder.decodeWorkerMessage(command: byte, header: header)
        }
        guard case .answer(let answer) = message else {
            result.malformed += 1
            return false
        }
        return finish(answer.ticket, now: now, socket: socket, \.answered)
    }

    /// MDP reply: [empty, "MDPC01", service, ticket id, body].
    private func handleMDP(now: UInt64, socket: Int) -> Bool {
        guard multipart.count >= 4 else {
            result.malformed += 1
            return false
        }
        let ticket = multipart.withFrame(3) { String(decoding: $0, as: UTF8.self) }
        return finish(ticket, now: now, socket: socket, \.answered)
    }

    private func finish(_ ticket: String, now: UInt64, socket: Int, _ outcome: WritableKeyPath<LoadClientResult, Int>) -> Bool {
        guard let sentAt = outstanding.removeValue(forKey: ticket) else {
            result.duplicates += 1
            return false
        }
        result[keyPath: outcome] += 1
        inflight[socket] -= 1
        if now >= windowStart && now < windowEnd {
            result.answeredInWindow += 1
            histogram.record(max(1, (now - sentAt) / 1_000))
        }
        return true
    }
}
