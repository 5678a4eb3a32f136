import HelplineWire
import Histogram
import ZeroMQ

/// A load-generating agent process: many DEALER sockets in one thread, frames kept as
/// `zmq_msg_t` (the body frame is built once and shared by every send), replies read in
/// place. It speaks HLP to Helpline, the same HLP frames through the raw forwarder, and
/// 7/MDP to a Majordomo broker.
///
/// It must cost less CPU per ticket than what it measures (they share 2 cores), so the hot
/// path makes no `String` and runs no codec: ids are fixed-width digits patched into a
/// pre-encoded ASK header, and outcomes are matched by the sequence parsed back from them.
final class LoadClient {
    let plan: LoadClientPlan
    private let context: ZMQContext
    private var sockets: [ZMQSocket] = []
    var inflight: [Int]
    private let poller: DrainPoller
    private let pacer: Pacer?
    let multipart = ZMQMultipart(capacity: 8)
    let decoder = HeaderDecoder()
    let ids: TicketIdFormat
    private let askHeader: AskHeaderTemplate
    private let body: ZMQFrame?
    /// Send time of every ticket without an outcome yet, by sequence.
    var outstanding = OutstandingTickets()
    private var sequence = 0
    private var nextSocket = 0
    var histogram = LatencyHistogram.latency()
    private var lateness = LatencyHistogram.latency()
    var result = LoadClientResult()
    private var orphanCheck = OrphanCheck()

    var windowStart: UInt64 { plan.startAt + plan.warmupNanoseconds }
    var windowEnd: UInt64 { windowStart + plan.measureNanoseconds }

    /// Count mode: sends between two reads of the replies.
    static let countReadEvery = 500

    init(plan: LoadClientPlan) throws {
        self.plan = plan
        ids = TicketIdFormat(tag: plan.tag)
        askHeader = AskHeaderTemplate(format: ids, encoder: HeaderEncoder())
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
        poller = try DrainPoller(sockets: sockets, fileDescriptors: pacer.map { [$0.fileDescriptor] } ?? [])
        body = plan.bodyBytes > 0 ? ZMQFrame(bytes: (0..<plan.bodyBytes).map { UInt8(truncatingIfNeeded: $0) }) : nil
    }

    /// Runs the plan: wait for the start, load, drain, linger.
    func run() throws {
        JSONLines.emit(BenchEvent("connected"))
        BenchClock.sleep(until: plan.startAt)
        if plan.count > 0 {
            for index in 0..<plan.count {
                try send(on: index % sockets.count, now: BenchClock.now())
                // Read as it goes: a broker drops replies to a peer whose pipe is full
                // (ZMQ_SNDHWM), and a large batch would fill it with QUEUED before the
                // first read.
                if index % Self.countReadEvery == Self.countReadEvery - 1 { try drainSockets(refillUntil: 0) }
            }
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
            if plan.untilQueued && result.queued >= plan.count { return }
            if outstanding.isEmpty && now >= sendingUntil {
                if settledAt == nil { settledAt = now }
                if now >= settledAt! + plan.lingerNanoseconds { return }
            }
            if now >= drainEnd { return }
            let wake = settledAt.map { $0 + plan.lingerNanoseconds } ?? min(drainEnd, now + 100_000_000)
            poller.wait(timeoutMilliseconds: BenchClock.pollTimeout(until: wake, now: now))
            try drainSockets(refillUntil: sendingUntil)
        }
    }

    /// Open loop: one ticket every 1/rate seconds, round robin over the sockets, whatever
    /// the replies do; a socket at its in-flight cap is skipped, and if all are, the send
    /// waits (counted in `deferredSends`). Sends due within `paceSlack` go out together:
    /// a wake-up per ticket would cost the client more CPU than the ticket costs the
    /// broker, and on 2 cores that CPU is taken from the server being measured.
    private func runPaced(_ pacer: Pacer) throws {
        let interval = 1e9 / plan.rate
        var sent = 0.0
        var nextSend = plan.startAt
        pacer.arm(at: nextSend)
        while BenchClock.now() < windowEnd {
            orphanCheck.exitIfOrphaned(now: BenchClock.now())
            poller.wait(timeoutMilliseconds: 100)
            if poller.isReadable(fileDescriptor: 0) { pacer.drain() }
            try drainSockets(refillUntil: 0)
            var now = BenchClock.now()
            while nextSend <= now + Self.paceSlack && nextSend < windowEnd {
                guard let socket = socketWithRoom() else {
                    result.deferredSends += 1
                    break
                }
                try send(on: socket, now: now)
                if now >= windowStart && now > nextSend { lateness.record(max(1, (now - nextSend) / 1_000)) }
                sent += 1
                nextSend = plan.startAt + UInt64(sent * interval)
                now = BenchClock.now()
            }
            // Deferred: try again when a reply may have freed a slot, at most 50 µs later.
            pacer.arm(at: nextSend > now ? nextSend : now + 50_000)
        }
        try receiveUntilSettled(sendingUntil: 0)
    }

    /// How early a paced send may leave to share a wake-up with the one before it.
    static let paceSlack: UInt64 = 200_000

    private func socketWithRoom() -> Int? {
        for _ in sockets.indices {
            let candidate = nextSocket
            nextSocket = (nextSocket + 1) % sockets.count
            if inflight[candidate] < plan.inflight { return candidate }
        }
        return nil
    }

    /// Reads every pending socket until `EAGAIN`, sending the next ticket the moment an
    /// outcome frees a slot (while `now < refillUntil`): the `EAGAIN` then comes after the
    /// socket's last send, which settles it (see `DrainPoller`).
    private func drainSockets(refillUntil: UInt64) throws {
        for index in sockets.indices where poller.isPending(index) {
            while try sockets[index].receive(into: multipart, dontWait: true) {
                let now = BenchClock.now()
                if handleReply(now: now, socket: index) && now < refillUntil { try send(on: index, now: now) }
            }
            poller.markSettled(index)
        }
    }

    // MARK: Sending

    private func send(on index: Int, now: UInt64) throws {
        sequence += 1
        let socket = sockets[index]
        let hasBody = body != nil
        switch plan.wire {
        case .hlp, .raw:
            try BenchFrames.clientSignature.withUnsafeBytes { try socket.send($0, more: true) }
            try withUnsafeBytes(of: Command.ask.rawValue) { try socket.send($0, more: true) }
            try socket.send(askHeader.header(for: sequence), more: hasBody)
        case .mdp:
            try socket.send(UnsafeRawBufferPointer(start: nil, count: 0), more: true)
            try BenchFrames.mdpClient.withUnsafeBytes { try socket.send($0, more: true) }
            try socket.send(BenchFrames.mdpService, more: true)
            try socket.send(askHeader.ticketId(for: sequence), more: hasBody)
        }
        if let body { try socket.send(body, more: false) }
        outstanding.insert(sequence, sentAt: now)
        poller.markPending(index)
        inflight[index] += 1
        result.sent += 1
    }
}
