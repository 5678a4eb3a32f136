import Glibc
import HelplineWire
import ZeroMQ

/// Set by SIGTERM: the worker says DISCONNECT (a Majordomo broker then forgets it at once
/// instead of dealing requests to a dead worker for 7.5 s) and exits.
nonisolated(unsafe) private var terminationRequested: sig_atomic_t = 0

/// A console process that answers instantly (or after a hold), many DEALER sockets in one
/// thread: HLP READY then ANSWER per ASSIGN; through the raw forwarder, an ANSWER per
/// ASK; in 7/MDP, a REPLY per REQUEST. Bodies go back as the frames they arrived in.
///
/// An ASSIGN answered at once (no hold, no events: the roundtrip load) is read by its id
/// alone and answered with that id's bytes in a header written from a template: the
/// worker must cost less CPU per ticket than the server it loads, on the same 2 cores.
final class EchoWorker {
    let plan: EchoWorkerPlan
    private let context: ZMQContext
    var sockets: [ZMQSocket] = []
    private var poller: DrainPoller
    let multipart = ZMQMultipart(capacity: 8)
    let encoder = HeaderEncoder()
    let decoder = HeaderDecoder()
    let answerWriter: AnswerHeaderWriter
    /// ASSIGNs need no decoding: answered at once, nothing reported.
    private let answersByIdAlone: Bool
    private var registered: [Bool]
    private var presence: [Presence]
    /// Tickets held, per socket, with the body to echo.
    private var held: [[String: ZMQFrame?]]
    /// Held tickets in the order they come due (the hold is the same for all).
    private var dueQueue: [(due: UInt64, socket: Int, ticket: String)] = []
    private var dueHead = 0
    private var nextHeartbeat: UInt64 = 0
    private var announcedReady = false
    private var orphanCheck = OrphanCheck()

    /// 7/MDP asks a worker to heartbeat; the reference broker expires after 3 × 2.5 s.
    static let mdpHeartbeatMilliseconds = 2_500
    /// Raw and MDP workers get no WELCOME: wait this long for the connections before
    /// telling the coordinator they are ready.
    static let connectGraceMilliseconds = 200

    init(plan: EchoWorkerPlan) throws {
        self.plan = plan
        answerWriter = AnswerHeaderWriter(encoder: encoder)
        answersByIdAlone = plan.role == .hila && !plan.absent && plan.holdMilliseconds == 0 && !plan.reportEvents
        // One DEALER per console: beyond libzmq's default of 1,023 sockets, and two
        // descriptors each (its connection and its mailbox). Twice that: a console told
        // DISCONNECT opens a new socket before libzmq has reaped the old one.
        OpenFileLimit.raise(to: 4 * plan.sockets + 64)
        context = try ZMQContext(maxSockets: 2 * plan.sockets + 16)
        registered = Array(repeating: false, count: plan.sockets)
        presence = Array(repeating: .active, count: plan.sockets)
        held = Array(repeating: [:], count: plan.sockets)
        let context = self.context
        sockets = try (0..<plan.sockets).map { _ in try Self.openSocket(context, plan.endpoint) }
        poller = try DrainPoller(sockets: sockets)
    }

    private func workerName(_ index: Int) -> String { "\(plan.name)-\(index)" }

    private static func openSocket(_ context: ZMQContext, _ endpoint: String) throws -> ZMQSocket {
        let socket = try ZMQSocket(context: context, type: .dealer)
        try socket.setOption(.sendHighWaterMark, 100_000)
        try socket.setOption(.receiveHighWaterMark, 100_000)
        try socket.connect(endpoint)
        return socket
    }

    /// Serves until SIGTERM (or killed).
    func run() throws {
        signal(SIGTERM) { _ in terminationRequested = 1 }
        for index in sockets.indices { try register(index) }
        if plan.wire != .hlp {
            BenchClock.sleep(milliseconds: Self.connectGraceMilliseconds)
            announceReady()
        }
        nextHeartbeat = BenchClock.now() + heartbeatInterval
        while terminationRequested == 0 {
            var now = BenchClock.now()
            orphanCheck.exitIfOrphaned(now: now)
            var wake = min(nextHeartbeat, now + 100_000_000)
            if dueHead < dueQueue.count { wake = min(wake, dueQueue[dueHead].due) }
            poller.wait(timeoutMilliseconds: BenchClock.pollTimeout(until: wake, now: now))
            // Answers go out as each ASSIGN is read; the EAGAIN after them settles the socket.
            for index in sockets.indices where poller.isPending(index) {
                while try sockets[index].receive(into: multipart, dontWait: true) {
                    try handle(index)
                }
                poller.markSettled(index)
            }
            now = BenchClock.now()
            try answerDue(now: now)
            if now >= nextHeartbeat {
                for index in sockets.indices { try sendHeartbeat(index) }
                nextHeartbeat = now + heartbeatInterval
            }
        }
        try disconnectAll()
    }

    /// DISCONNECT on every socket, given a moment to leave before the sockets close.
    private func disconnectAll() throws {
        for socket in sockets {
            try socket.setOption(.linger, 200)
            switch plan.wire {
            case .hlp: try sendWorker(.disconnect, on: socket)
            case .mdp: try sendMDP(.disconnect, on: socket, more: false)
            case .raw: break
            }
        }
    }

    private var heartbeatInterval: UInt64 {
        let milliseconds = plan.wire == .mdp ? Self.mdpHeartbeatMilliseconds : plan.heartbeatMilliseconds
        return UInt64(milliseconds) * 1_000_000
    }

    private func announceReady() {
        guard !announcedReady else { return }
        announcedReady = true
        JSONLines.emit(BenchEvent("ready", worker: plan.name))
    }

    // MARK: Registration and heartbeats

    private func register(_ index: Int) throws {
        let socket = sockets[index]
        poller.markPending(index)
        switch plan.wire {
        case .hlp:
            let ready = Ready(
                name: workerName(index), role: plan.role, capacity: plan.capacity,
                heartbeatMilliseconds: plan.heartbeatMilliseconds, holding: Array(held[index].keys),
                presence: presence[index])
            try sendWorker(.ready(ready), on: socket)
        case .mdp:
            try sendMDP(.ready, on: socket, more: true)
            try socket.send(BenchFrames.mdpService)
        case .raw:
            break
        }
    }

    private func sendHeartbeat(_ index: Int) throws {
        poller.markPending(index)
        switch plan.wire {
        case .hlp where registered[index]:
            try sendWorker(.heartbeat(presence: presence[index]), on: sockets[index])
        case .mdp:
            try sendMDP(.heartbeat, on: sockets[index], more: false)
        default:
            break
        }
    }

    /// DISCONNECT from the broker: a new socket, and READY listing what we hold.
    func reconnect(_ index: Int) throws {
        registered[index] = false
        sockets[index] = try Self.openSocket(context, plan.endpoint)
        try poller.replace(index, with: sockets[index])
        try register(index)
    }

    // MARK: Inbound

    private func handle(_ index: Int) throws {
        switch plan.wire {
        case .hlp: try handleHLP(index)
        case .raw: try handleRaw(index)
        case .mdp: try handleMDP(index)
        }
    }

    private func handleHLP(_ index: Int) throws {
        guard multipart.count >= 3, multipart.frameSize(1) == 1 else { return }
        let byte = multipart.withFrame(1) { $0[0] }
        if byte == Command.heartbeat.rawValue { return }
        if byte == Command.assign.rawValue && answersByIdAlone {
            if let header = answerHeader(for: 2) {
                try sendAnswer(header, on: sockets[index], routingId: false, bodyFrame: multipart.count > 3 ? 3 : nil)
                return
            }
        }
        let directive: WorkerDirective? = multipart.withFrame(2) { header in
            try? decoder.decodeWorkerDirective(command: byte, header: header)
        }
        switch directive {
        case .assign(let assign):
            try offered(assign, on: index)
        case .revoke(let ticket, let reason):
            held[index][ticket] = nil
            if reason == .acceptTimeout { presence[index] = .away }
            if plan.reportEvents {
                JSONLines.emit(BenchEvent("revoke", ticket: ticket, worker: workerName(index), detail: reason.rawValue))
            }
        case .welcome(let welcome):
            registered[index] = true
            for ticket in welcome.dropped { held[index][ticket] = nil }
            if plan.reportEvents {
                JSONLines.emit(BenchEvent("welcome", worker: workerName(index), detail: "dropped \(welcome.dropped.count)"))
            }
            if registered.allSatisfy({ $0 }) { announceReady() }
        case .disconnect:
            if plan.reportEvents { JSONLines.emit(BenchEvent("disconnect", worker: workerName(index))) }
            try reconnect(index)
        case .error(let error):
            if plan.reportEvents {
                JSONLines.emit(BenchEvent("error", ticket: error.ticket, worker: workerName(index), detail: "\(error.code.rawValue)"))
            }
        case .heartbeat, nil:
            break
        }
    }

    private func offered(_ assign: Assign, on index: Int) throws {
        if plan.reportEvents {
            JSONLines.emit(BenchEvent("assign", ticket: assign.ticket, worker: workerName(index), detail: "\(assign.attempt)"))
        }
        if plan.role == .live {
            try sendWorker(.accept(ticket: assign.ticket, leaseMilliseconds: 0), on: sockets[index])
            return
        }
        if plan.absent {
            held[index][assign.ticket] = .some(nil)
            return
        }
        if plan.holdMilliseconds == 0 {
            try answer(assign.ticket, on: index, body: nil, bodyInMultipart: multipart.count > 3)
            return
        }
        let body: ZMQFrame? = multipart.count > 3 ? multipart.takeFrame(3) : nil
        held[index][assign.ticket] = .some(body)
        dueQueue.append((BenchClock.now() + UInt64(plan.holdMilliseconds) * 1_000_000, index, assign.ticket))
    }

    private func answerDue(now: UInt64) throws {
        while dueHead < dueQueue.count, dueQueue[dueHead].due <= now {
            let (_, index, ticket) = dueQueue[dueHead]
            dueHead += 1
            // Revoked (or dropped) meanwhile: the spec says never answer it.
            guard let body = held[index].removeValue(forKey: ticket) else { continue }
            try answer(ticket, on: index, body: body, bodyInMultipart: false)
        }
        if dueHead > 1_024 && dueHead * 2 > dueQueue.count {
            dueQueue.removeFirst(dueHead)
            dueHead = 0
        }
    }

    private func answer(_ ticket: String, on index: Int, body: ZMQFrame?, bodyInMultipart: Bool) throws {
        let socket = sockets[index]
        poller.markPending(index)
        let hasBody = body != nil || bodyInMultipart
        try BenchFrames.workerSignature.withUnsafeBytes { try socket.send($0, more: true) }
        try withUnsafeBytes(of: Command.answer.rawValue) { try socket.send($0, more: true) }
        try encoder.withEncoded(WorkerMessage.answer(Answer(ticket: ticket, decision: .answer))) { (_, header) throws(ZMQError) in
            try socket.send(header, more: hasBody)
        }
        if let body {
            try socket.send(body)
        } else if bodyInMultipart {
            try socket.send(multipart, frame: 3)
        }
        if plan.reportEvents { JSONLines.emit(BenchEvent("answer", ticket: ticket, worker: workerName(index))) }
    }

    // MARK: Outbound

    /// The ANSWER header (decision `answer`) for the ticket whose header is frame
    /// `headerFrame` of the message received, read by its id alone; nil when that header
    /// is not shaped as the canonical encoder writes it. Valid until the next call.
    func answerHeader(for headerFrame: Int) -> UnsafeRawBufferPointer? {
        multipart.withFrame(headerFrame) { header in
            TicketIdPeek.ticketId(in: header).map { answerWriter.header(ticketId: $0) }
        }
    }

    /// Sends an ANSWER with `header`, echoing frame `bodyFrame` of the message received;
    /// behind the forwarder, frame 0 first (the client's routing id).
    func sendAnswer(_ header: UnsafeRawBufferPointer, on socket: ZMQSocket, routingId: Bool, bodyFrame: Int?) throws {
        if routingId { try socket.send(multipart, frame: 0, more: true) }
        try BenchFrames.workerSignature.withUnsafeBytes { try socket.send($0, more: true) }
        try withUnsafeBytes(of: Command.answer.rawValue) { try socket.send($0, more: true) }
        try socket.send(header, more: bodyFrame != nil)
        if let bodyFrame { try socket.send(multipart, frame: bodyFrame) }
    }

    private func sendWorker(_ message: WorkerMessage, on socket: ZMQSocket) throws {
        try BenchFrames.workerSignature.withUnsafeBytes { try socket.send($0, more: true) }
        try encoder.withEncoded(message) { (command, header) throws(ZMQError) in
            try withUnsafeBytes(of: command.rawValue) { (byte) throws(ZMQError) in try socket.send(byte, more: true) }
            try socket.send(header)
        }
    }
}
