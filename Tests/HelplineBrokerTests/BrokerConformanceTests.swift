import HelplineTestSupport
import HelplineWire
import Testing
import ZeroMQ

/// Raw frames against a real `helpline broker` process on an ephemeral loopback port.
/// Each test starts its own broker and stops it by PID.
@Suite(.serialized)
struct BrokerConformanceTests {
    let context: ZMQContext

    init() throws {
        context = try ZMQContext()
    }

    private func worker(_ broker: BrokerProcess, name: String, skills: [String] = [], capacity: Int = 1, heartbeat: Int = 1_000) throws -> RawPeer {
        let peer = try RawPeer(endpoint: broker.endpoint, signature: .worker, context: context)
        try peer.send(.ready(Ready(name: name, role: .hila, skills: skills, capacity: capacity, heartbeatMilliseconds: heartbeat)))
        let (welcome, _) = try peer.receiveDirectiveSkippingHeartbeats()
        guard case .welcome = welcome else { throw ConformanceFailure.unexpected("\(welcome)") }
        return peer
    }

    @Test func ask_answeredByWorker_bodiesForwardedByteForByte() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let hila = try worker(broker, name: "ana", skills: ["refunds"])
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        let askBody: [UInt8] = [0x81, 0xA6] + Array("prompt".utf8) + [0xA4] + Array("$240".utf8)
        try client.send(.ask(Ask(ticket: "t-1", skills: ["refunds"], options: ["approve", "reject"])), body: askBody)

        let (queued, _) = try client.receiveReply()
        guard case .queued(let q) = queued else { Issue.record("expected QUEUED, got \(queued)"); return }
        #expect(q.ticket == "t-1")

        let (offer, offeredBody) = try hila.receiveDirectiveSkippingHeartbeats()
        guard case .assign(let assign) = offer else { Issue.record("expected ASSIGN, got \(offer)"); return }
        #expect(assign.ticket == "t-1")
        #expect(assign.options == ["approve", "reject"])
        #expect(offeredBody == askBody)

        try hila.send(.accept(ticket: "t-1", leaseMilliseconds: 0))
        let (assigned, _) = try client.receiveReply()
        #expect(assigned == .assigned(Assigned(ticket: "t-1", worker: "ana", role: .hila)))

        let answerBody: [UInt8] = [0x81, 0xA4] + Array("text".utf8) + [0xA2] + Array("ok".utf8)
        try hila.send(.answer(Answer(ticket: "t-1", decision: .approve)), body: answerBody)
        let (answered, answeredBody) = try client.receiveReply()
        guard case .answered(let a) = answered else { Issue.record("expected ANSWERED, got \(answered)"); return }
        #expect(a.ticket == "t-1")
        #expect(a.decision == .approve)
        #expect(a.worker == "ana")
        #expect(answeredBody == answerBody)
    }

    @Test func ask_whenNoHILAIsRegistered_transfersToLiveQueueAtOnce() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.ask(Ask(ticket: "t-2", skills: ["billing"])))
        var transferred: Transferred?
        for _ in 0..<2 {
            let (reply, _) = try client.receiveReply()
            if case .transferred(let t) = reply { transferred = t }
        }
        #expect(transferred?.reason == .noHILA)
        #expect(transferred?.ticket == "t-2")
    }

    @Test func garbageFromOnePeer_getsErrorAndOthersAreUnharmed() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let hostile = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try hostile.sendFrames([Array("HLPC01".utf8), [0x01], [0xDD, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00]])
        let (bomb, _) = try hostile.receiveReply()
        guard case .error(let bombError) = bomb else { Issue.record("expected ERROR, got \(bomb)"); return }
        #expect(bombError.code == .malformed)

        try hostile.sendFrames([Array("MDPC02".utf8), [0x01], [0x80]])
        let (version, _) = try hostile.receiveReply()
        guard case .error(let versionError) = version else { Issue.record("expected ERROR, got \(version)"); return }
        #expect(versionError.code == .unsupportedVersion)

        try hostile.sendFrames([Array("HLPC01".utf8), [0x21], [0x80]])
        let (forbidden, _) = try hostile.receiveReply()
        guard case .error(let forbiddenError) = forbidden else { Issue.record("expected ERROR, got \(forbidden)"); return }
        #expect(forbiddenError.code == .forbidden)

        let hila = try worker(broker, name: "bo")
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.ask(Ask(ticket: "t-3")))
        _ = try client.receiveReply()
        let (offer, _) = try hila.receiveDirectiveSkippingHeartbeats()
        guard case .assign = offer else { Issue.record("expected ASSIGN, got \(offer)"); return }
        try hila.send(.answer(Answer(ticket: "t-3", decision: .reject)))
        let (answered, _) = try client.receiveReply()
        guard case .answered(let a) = answered else { Issue.record("expected ANSWERED, got \(answered)"); return }
        #expect(a.decision == .reject)
        #expect(try hostile.expectNothing() == nil)
    }

    @Test func workerConnectionDrops_ticketReofferedWithoutWaitingForHeartbeats() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        // Heartbeats of 30 s: only the transport's disconnect can move the ticket within the test.
        var first: RawPeer? = try worker(broker, name: "first", heartbeat: 30_000)
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.ask(Ask(ticket: "t-4")))
        _ = try client.receiveReply()
        let (offer, _) = try first!.receiveDirectiveSkippingHeartbeats()
        guard case .assign = offer else { Issue.record("expected ASSIGN, got \(offer)"); return }
        try first!.send(.accept(ticket: "t-4", leaseMilliseconds: 0))
        _ = try client.receiveReply()

        let second = try worker(broker, name: "second", heartbeat: 30_000)
        first = nil  // closes the socket: the TCP connection drops
        let (reoffer, _) = try second.receiveDirectiveSkippingHeartbeats(timeoutMilliseconds: 5_000)
        guard case .assign(let assign) = reoffer else { Issue.record("expected ASSIGN, got \(reoffer)"); return }
        #expect(assign.ticket == "t-4")
        #expect(assign.attempt == 2)
    }

    @Test func status_reportsWorkersAndCounts() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let hila = try worker(broker, name: "cy", skills: ["billing"], capacity: 3)
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.status)
        let (reply, _) = try client.receiveReply()
        guard case .report(let report) = reply else { Issue.record("expected REPORT, got \(reply)"); return }
        #expect(report.workers.map(\.name) == ["cy"])
        #expect(report.workers.first?.capacity == 3)
        _ = hila
    }
}

enum ConformanceFailure: Error {
    case unexpected(String)
}

extension BrokerConformanceTests {
    @Test func askResentWithTheSameBody_returnsItsState_otherBody_conflict409() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        let ask = Ask(ticket: "t-5", role: .live)
        try client.send(.ask(ask), body: [0x81, 0xA1, 0x61, 0x01])
        let (first, _) = try client.receiveReply()
        guard case .queued = first else { Issue.record("expected QUEUED, got \(first)"); return }
        try client.send(.ask(ask), body: [0x81, 0xA1, 0x61, 0x01])
        let (again, _) = try client.receiveReply()
        guard case .queued(let queued) = again else { Issue.record("expected QUEUED, got \(again)"); return }
        #expect(queued.ticket == "t-5")
        try client.send(.ask(ask), body: [0x81, 0xA1, 0x61, 0x02])
        let (conflict, _) = try client.receiveReply()
        guard case .error(let error) = conflict else { Issue.record("expected ERROR, got \(conflict)"); return }
        #expect(error.code == .conflict)
    }
}
