import Foundation
import HelplineTestSupport
import HelplineWire
import Testing
import ZeroMQ

/// The hostile-peer conformance run: while an honest client and console run a
/// steady load through a CURVE broker, hostile peers send garbage frames, truncated and
/// oversized messages, wrong signatures, commands wrong for their role, floods of ASK and
/// of HEARTBEAT, and try to connect with unlisted keys or none. Every honest ticket must
/// be answered exactly once, and the broker's memory must stay bounded.
@Suite(.serialized)
struct HostilePeerTests {
    /// Honest tickets; the hostile traffic is interleaved with them all along.
    static let honestTickets = 400
    /// Honest tickets in flight at once.
    static let window = 8
    /// A generous bound on the broker's RSS growth during the hostile run: the hostile
    /// client's open tickets are capped at 50 by quota, everything else is refused
    /// statelessly. Growth beyond this is a leak, not noise.
    static let maxGrowthKiB = 64 * 1024

    let context: ZMQContext
    let keys: CurveFixture

    init() throws {
        context = try ZMQContext()
        keys = try CurveFixture()
    }

    @Test func hostilePeers_duringSteadyLoad_honestTicketsAllAnswered_memoryBounded() throws {
        let broker = try BrokerProcess(
            arguments: keys.brokerArguments + [
                "--max-open-tickets-per-client", "50", "--max-waiting-tickets", "5000", "--max-body-bytes", "65536",
            ])
        defer { broker.stop() }
        var honest = try HonestLoad(broker: broker, keys: keys, context: context)
        // Warm up so the baseline includes the honest steady state (buffers, indexes).
        try honest.run(until: 100)
        let before = try residentKiB(of: broker.process!.processIdentifier)

        var hostile = try HostileSwarm(broker: broker, keys: keys, context: context)
        var round = 0
        // A bound on the whole run so a stalled broker fails the test instead of hanging it;
        // it takes about two seconds on an idle machine.
        let giveUp = ContinuousClock.now + .seconds(90)
        while honest.answered < Self.honestTickets, ContinuousClock.now < giveUp {
            hostile.attack(round: round)
            try honest.run(until: min(Self.honestTickets, honest.answered + 10), pollMilliseconds: 2)
            round += 1
        }
        #expect(honest.answered == Self.honestTickets)
        #expect(honest.problems.isEmpty, "\(honest.problems.prefix(5))")
        #expect(broker.process?.isRunning == true)

        let after = try residentKiB(of: broker.process!.processIdentifier)
        print("hostile run: \(round) rounds, \(hostile.sent) hostile messages; broker RSS \(before) KiB -> \(after) KiB")
        #expect(after - before < Self.maxGrowthKiB, "RSS grew from \(before) KiB to \(after) KiB")

        let counts = try status(broker)
        for key in ["errors_400", "errors_401", "errors_403", "errors_413", "errors_429", "errors_505", "handshakes_refused"] {
            #expect((counts[key] ?? 0) > 0, "\(key) never counted: \(counts)")
        }
        #expect(counts["workers"] == 1, "only the honest console is registered: \(counts)")
    }

    /// Small bodies arrive as slices of libzmq's 8 KiB receive batch; a broker that kept the
    /// slice would keep the batch, 8 KiB per open or retained ticket. Measured before the
    /// broker copied them: 5.6 KiB per retained ticket; after: about 0.5 KiB.
    @Test func retainedTickets_withSmallBodies_costUnderTwoKiBEach() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        var honest = try HonestLoad(broker: broker, keys: keys, context: context, total: 3_100)
        try honest.run(until: 100)
        let before = try residentKiB(of: broker.process!.processIdentifier)
        try honest.run(until: 3_100)
        let after = try residentKiB(of: broker.process!.processIdentifier)
        #expect(honest.answered == 3_100)
        print("3,000 retained tickets: broker RSS \(before) KiB -> \(after) KiB")
        #expect(after - before < 3_000 * 2, "RSS grew from \(before) KiB to \(after) KiB for 3,000 tickets")
    }

    private func status(_ broker: BrokerProcess) throws -> [String: Int] {
        let ops = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context, curve: keys.curve(for: "ops"))
        try ops.send(.status)
        let (reply, _) = try ops.receiveReply()
        guard case .report(let report) = reply else { throw ConformanceFailure.unexpected("\(reply)") }
        return report.counts
    }
}

/// VmRSS of a process, from /proc.
func residentKiB(of pid: Int32) throws -> Int {
    let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    else { throw ConformanceFailure.unexpected("no VmRSS for \(pid)") }
    return kib
}

/// One honest client and one honest console: the client keeps `window` tickets in flight,
/// the console answers every offer at once, and every outcome is checked.
struct HonestLoad {
    let agent: RawPeer
    let ana: RawPeer
    /// Tickets to ask in all.
    let total: Int
    private(set) var answered = 0
    private(set) var problems: [String] = []
    private var asked = 0
    private var open: Set<String> = []

    init(broker: BrokerProcess, keys: CurveFixture, context: ZMQContext, total: Int = HostilePeerTests.honestTickets) throws {
        self.total = total
        ana = try RawPeer(endpoint: broker.endpoint, signature: .worker, context: context, curve: keys.curve(for: "ana"))
        try ana.send(.ready(Ready(name: "ana", role: .hila, skills: ["refunds"], capacity: 4)))
        let (welcome, _) = try ana.receiveDirectiveSkippingHeartbeats()
        guard case .welcome = welcome else { throw ConformanceFailure.unexpected("\(welcome)") }
        agent = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context, curve: keys.curve(for: "agent"))
    }

    /// Runs until `target` tickets are answered (or a poll finds nothing to do).
    mutating func run(until target: Int, pollMilliseconds: Int = 5_000) throws {
        let poller = ZMQPoller([.socket(agent.socket), .socket(ana.socket)])
        while answered < target {
            while open.count < HostilePeerTests.window, asked < total {
                let id = "honest-\(asked)"
                try agent.send(.ask(Ask(ticket: id, skills: ["refunds"])), body: Self.question(asked))
                open.insert(id)
                asked += 1
            }
            guard try poller.poll(timeoutMilliseconds: pollMilliseconds) > 0 else { return }
            if poller.isReadable(1) { try serveOffers() }
            if poller.isReadable(0) { try readOutcomes() }
        }
    }

    /// A body of about 40 bytes: over libzmq's 33-byte inline size, under its batch.
    static func question(_ number: Int) -> [UInt8] {
        Array("question \(number): may I refund order 1182?".utf8)
    }

    private mutating func serveOffers() throws {
        while let frames = try ana.receiveFrames(timeoutMilliseconds: 0) {
            guard frames.count >= 3, frames[1] == [Command.assign.rawValue] else { continue }
            let assign = try frames[2].withUnsafeBytes { (header) throws(WireError) in
                try HeaderDecoder().decodeWorkerDirective(command: Command.assign.rawValue, header: header)
            }
            guard case .assign(let offer) = assign else { continue }
            try ana.send(.answer(Answer(ticket: offer.ticket, decision: .approve)), body: frames.count > 3 ? frames[3] : nil)
        }
    }

    private mutating func readOutcomes() throws {
        while let frames = try agent.receiveFrames(timeoutMilliseconds: 0) {
            let reply = try frames[2].withUnsafeBytes { (header) throws(WireError) in
                try HeaderDecoder().decodeClientReply(command: frames[1][0], header: header)
            }
            switch reply {
            case .queued:
                break
            case .answered(let outcome):
                if open.remove(outcome.ticket) == nil { problems.append("second outcome for \(outcome.ticket)") }
                let expected = Self.question(Int(outcome.ticket.dropFirst("honest-".count)) ?? -1)
                if frames.count < 4 || frames[3] != expected { problems.append("\(outcome.ticket): wrong answer body") }
                answered += 1
            default:
                problems.append("honest client got \(reply)")
            }
        }
    }
}

/// The hostile peers and what each round makes them send. They never read.
struct HostileSwarm {
    let context: ZMQContext
    let endpoint: String
    /// A client key: every command it may not send, and floods of those it may.
    let mallory: RawPeer
    let malloryAsWorker: RawPeer
    /// A valid key the broker does not list, and a peer with no CURVE at all.
    let stranger: RawPeer
    let plain: RawPeer
    let keys: CurveFixture
    private(set) var sent = 0
    private var random = HostileRandom(state: 0x4C4F_4F4B_4F55_54)
    private var floodSerial = 0

    init(broker: BrokerProcess, keys: CurveFixture, context: ZMQContext) throws {
        self.context = context
        self.keys = keys
        endpoint = broker.endpoint
        mallory = try RawPeer(endpoint: endpoint, signature: .client, context: context, curve: keys.curve(for: "mallory"))
        malloryAsWorker = try RawPeer(endpoint: endpoint, signature: .worker, context: context, curve: keys.curve(for: "mallory"))
        stranger = try RawPeer(endpoint: endpoint, signature: .client, context: context, curve: keys.curve(for: "stranger"))
        plain = try RawPeer(endpoint: endpoint, signature: .client, context: context)
        for peer in [mallory, malloryAsWorker, stranger, plain] { try? peer.socket.setOption(.sendHighWaterMark, 100_000) }
    }

    mutating func attack(round: Int) {
        let client = Array("HLPC01".utf8)
        let worker = Array("HLPW01".utf8)
        let encoder = HeaderEncoder()
        let (_, askHeader) = encoder.encode(ClientMessage.ask(Ask(ticket: "m-\(round)", skills: ["refunds"], options: ["a", "b"])))
        // Garbage frames: random counts of random bytes, some behind a valid signature.
        for _ in 0..<20 {
            let frames = (0..<random.below(7)).map { _ in random.bytes(random.below(64)) }
            send(mallory, frames.isEmpty ? [[]] : frames)
            send(mallory, [client, [random.byte()], random.bytes(random.below(40))])
        }
        // Truncated: a valid ASK header cut short, frames missing.
        send(mallory, [client, [Command.ask.rawValue], Array(askHeader.prefix(random.below(askHeader.count)))])
        send(mallory, [client, [Command.ask.rawValue]])
        send(mallory, [client])
        // Wrong signatures.
        send(mallory, [Array("HLPC02".utf8), [Command.ask.rawValue], askHeader])
        send(mallory, [Array("MDPC02".utf8), [0x01], [0x80]])
        send(mallory, [random.bytes(6), [Command.heartbeat.rawValue], [0x80]])
        // Commands wrong for its role and direction: READY with a client key (401 and
        // DISCONNECT), worker commands unregistered, broker-only commands, STATUS.
        let (_, readyHeader) = encoder.encode(WorkerMessage.ready(Ready(name: "ana", role: .hila, skills: ["refunds"])))
        send(malloryAsWorker, [worker, [Command.ready.rawValue], readyHeader])
        send(malloryAsWorker, [worker, [Command.accept.rawValue], encoder.encode(WorkerMessage.accept(ticket: "honest-1", leaseMilliseconds: 0)).1])
        send(mallory, [client, [Command.queued.rawValue], [0x80]])
        send(mallory, [client, [Command.assign.rawValue], [0x80]])
        send(mallory, [client, [Command.status.rawValue], [0x80]])
        // Oversized: a header over 64 KiB (413), a body over this broker's limit (413).
        send(mallory, [client, [Command.ask.rawValue], [UInt8](repeating: 0x80, count: 65_537)])
        send(mallory, [client, [Command.ask.rawValue], askHeader, [UInt8](repeating: 1, count: 65_537)])
        // Floods: ASKs no HILA can take (they wait in the live queue; the quota caps them),
        // and HEARTBEATs whose replies pile up unread.
        for _ in 0..<100 {
            floodSerial += 1
            let ask = ClientMessage.ask(Ask(ticket: "flood-\(floodSerial)", skills: ["nobody-has-this"]))
            send(mallory, [client, [Command.ask.rawValue], encoder.encode(ask).1, random.bytes(200)])
        }
        for _ in 0..<500 { send(mallory, [client, [Command.heartbeat.rawValue], [0x80]]) }
        // Unlisted key and no CURVE: refused at the handshake, their messages never arrive.
        send(stranger, [client, [Command.ask.rawValue], askHeader])
        send(plain, [client, [Command.status.rawValue], [0x80]])
        // Every tenth round a fresh peer sends a frame beyond ZMQ_MAXMSGSIZE (libzmq drops
        // the connection) and one with an unlisted key knocks.
        if round % 10 == 0 {
            if let big = try? RawPeer(endpoint: endpoint, signature: .client, context: context, curve: keys.curve(for: "mallory")) {
                send(big, [client, [Command.ask.rawValue], askHeader, [UInt8](repeating: 2, count: 2 << 20)])
            }
            if let knock = try? RawPeer(endpoint: endpoint, signature: .client, context: context, curve: keys.curve(for: "stranger")) {
                send(knock, [client, [Command.heartbeat.rawValue], [0x80]])
            }
        }
    }

    /// Sends without waiting; a full queue just drops the message (a flood outran the broker).
    private mutating func send(_ peer: RawPeer, _ frames: [[UInt8]]) {
        if (try? peer.socket.sendMultipart(frames, dontWait: true)) != nil { sent += 1 }
    }
}

/// SplitMix64, so a failing hostile run replays exactly.
struct HostileRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in byte() } }
}
