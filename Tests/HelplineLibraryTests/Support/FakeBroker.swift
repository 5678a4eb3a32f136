import HelplineWire
import ZeroMQ

/// A broker stand-in for library tests: one ROUTER socket on a loopback port that speaks
/// HLP frames as a test script says, and nothing else.
///
/// Receives poll without blocking and sleep between tries, so a test never holds one of
/// the few cooperative threads the client and worker tasks need.
final class FakeBroker {
    /// A message a peer sent, decoded.
    struct Inbound {
        /// The ROUTER routing id of the connection it came on.
        var identity: [UInt8]
        var signature: Signature
        var command: Command
        var client: ClientMessage?
        var worker: WorkerMessage?
        var body: [UInt8]
    }

    /// The resolved endpoint (`tcp://127.0.0.1:<port>`); a restart binds it again.
    let endpoint: String
    /// Answer clients' HEARTBEATs, as a live broker does, and keep them out of the script.
    var answersClientHeartbeats = true
    /// Heartbeats received (and skipped) from workers since the last `resetCounts`.
    private(set) var workerHeartbeats: [Presence] = []
    private let context: ZMQContext
    private var router: ZMQSocket?
    private let encoder = HeaderEncoder()
    private let decoder = HeaderDecoder()

    init() throws {
        context = try ZMQContext()
        let router = try ZMQSocket(context: context, type: .router)
        try router.bind("tcp://127.0.0.1:*")
        endpoint = try router.lastEndpoint
        self.router = router
    }

    /// Closes the socket: peers see their connection drop.
    func stop() {
        router = nil
    }

    /// Closes and binds the same endpoint again, as a restarted broker would: a new
    /// ROUTER, new routing ids, no memory of any peer. libzmq closes sockets in the
    /// background, so the port may take a moment to free.
    func restart() async throws {
        router = nil
        var lastError: (any Error)?
        for _ in 0..<200 {
            do {
                let router = try ZMQSocket(context: context, type: .router)
                try router.bind(endpoint)
                self.router = router
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        throw lastError!
    }

    /// The next message of the script, skipping heartbeats (client heartbeats answered),
    /// or nil after `timeout`.
    func receive(timeout: Duration = .seconds(5)) async throws -> Inbound? {
        let clock = ContinuousClock()
        let giveUp = clock.now + timeout
        while clock.now < giveUp {
            if let message = try receiveNow() {
                if message.command == .heartbeat, message.signature == .client, answersClientHeartbeats {
                    try send(ClientReply.heartbeat, toClient: message.identity)
                    continue
                }
                if case .heartbeat(let presence)? = message.worker {
                    workerHeartbeats.append(presence)
                    continue
                }
                return message
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }

    /// The next message that is `command`, dropping others; fails the test if none comes.
    func expect(_ command: Command, timeout: Duration = .seconds(5)) async throws -> Inbound {
        let clock = ContinuousClock()
        let giveUp = clock.now + timeout
        while clock.now < giveUp, let message = try await receive(timeout: giveUp - clock.now) {
            if message.command == command { return message }
        }
        throw FakeBrokerError.missing(command)
    }

    /// Everything received during `duration`, while sending HEARTBEAT to `worker` every
    /// `interval` as a live broker does.
    func pump(for duration: Duration, heartbeatTo worker: [UInt8]?, every interval: Duration) async throws -> [Inbound] {
        let clock = ContinuousClock()
        let end = clock.now + duration
        var nextBeat = clock.now
        var received: [Inbound] = []
        while clock.now < end {
            if let worker, clock.now >= nextBeat {
                try send(WorkerDirective.heartbeat, toWorker: worker)
                nextBeat = clock.now + interval
            }
            if let message = try await receive(timeout: .milliseconds(5)) { received.append(message) }
        }
        return received
    }

    /// What is received until `done` holds (or `limit` passes), while sending HEARTBEAT to
    /// `worker` every `interval` as a live broker does.
    func pump(
        until done: ([Inbound]) -> Bool, limit: Duration, heartbeatTo worker: [UInt8]?, every interval: Duration
    ) async throws -> [Inbound] {
        let clock = ContinuousClock()
        let end = clock.now + limit
        var nextBeat = clock.now
        var received: [Inbound] = []
        while clock.now < end, !done(received) {
            if let worker, clock.now >= nextBeat {
                try send(WorkerDirective.heartbeat, toWorker: worker)
                nextBeat = clock.now + interval
            }
            if let message = try await receive(timeout: .milliseconds(5)) { received.append(message) }
        }
        return received
    }

    func resetCounts() {
        workerHeartbeats.removeAll()
    }

    func send(_ reply: ClientReply, toClient identity: [UInt8], body: [UInt8] = []) throws {
        try sendFrames(identity, WireEnvelope.frames(reply, body: body, encoder: encoder))
    }

    func send(_ directive: WorkerDirective, toWorker identity: [UInt8], body: [UInt8] = []) throws {
        try sendFrames(identity, WireEnvelope.frames(directive, body: body, encoder: encoder))
    }

    private func sendFrames(_ identity: [UInt8], _ frames: [[UInt8]]) throws {
        guard let router else { throw FakeBrokerError.stopped }
        try router.sendMultipart([identity] + frames)
    }

    private func receiveNow() throws -> Inbound? {
        guard let router else { return nil }
        let message = ZMQMultipart()
        guard try router.receive(into: message, dontWait: true) else { return nil }
        let frames = (0..<message.count).map { message.frameBytes($0) }
        let identity = frames[0]
        return try WireEnvelope.withFrames(Array(frames.dropFirst()), receiver: .broker) { envelope throws(WireError) in
            var inbound = Inbound(
                identity: identity, signature: envelope.signature, command: envelope.command,
                body: envelope.body.map { Array($0) } ?? [])
            switch envelope.signature {
            case .client:
                inbound.client = try decoder.decodeClientMessage(command: envelope.command.rawValue, header: envelope.header)
            case .worker:
                inbound.worker = try decoder.decodeWorkerMessage(command: envelope.command.rawValue, header: envelope.header)
            }
            return inbound
        }
    }
}

enum FakeBrokerError: Error {
    case missing(Command)
    case stopped
}
