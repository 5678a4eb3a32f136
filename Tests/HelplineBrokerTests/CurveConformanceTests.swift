import Foundation
import HelplineTestSupport
import HelplineWire
import Testing
import ZeroMQ

/// A real `helpline broker` with CURVE and an authorized-keys file (spec §"Security"):
/// who gets in, and what each key may do once in. Raw frames, as in the conformance tests.
@Suite(.serialized)
struct CurveConformanceTests {
    let context: ZMQContext
    let keys: CurveFixture

    init() throws {
        context = try ZMQContext()
        keys = try CurveFixture()
    }

    private func peer(_ broker: BrokerProcess, as name: String, signature: Signature) throws -> RawPeer {
        try RawPeer(endpoint: broker.endpoint, signature: signature, context: context, curve: keys.curve(for: name))
    }

    private func report(_ broker: BrokerProcess) throws -> Report {
        let ops = try peer(broker, as: "ops", signature: .client)
        try ops.send(.status)
        let (reply, _) = try ops.receiveReply()
        guard case .report(let report) = reply else { throw ConformanceFailure.unexpected("\(reply)") }
        return report
    }

    @Test func unlistedKey_cannotConnect_noReplyAndTheHandshakeIsRefused() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let stranger = try peer(broker, as: "stranger", signature: .client)
        // The DEALER retries the handshake every 100 ms, so a monitor started now still sees one.
        let monitor = try stranger.socket.startMonitor(events: [.handshakeFailed, .handshakeSucceeded])
        try monitor.socket.setOption(.receiveTimeout, 5_000)
        try stranger.send(.heartbeat)
        try stranger.send(.ask(Ask(ticket: "s-1")))
        #expect(try stranger.expectNothing(forMilliseconds: 1_000) == nil)
        let event = try monitor.receiveEvent()
        #expect(event?.kind == .handshakeFailedAuth)
        #expect(event?.value == 400)
        let counts = try report(broker).counts
        #expect((counts["handshakes_refused"] ?? 0) >= 1)
        #expect(counts["asked"] == 0)
    }

    @Test func peerWithoutCurve_cannotConnectToACurveBroker() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let plain = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try plain.send(.heartbeat)
        #expect(try plain.expectNothing(forMilliseconds: 1_000) == nil)
    }

    @Test func clientKeySendingReady_is401ThenDisconnect_andNoWorkerIsRegistered() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let agent = try peer(broker, as: "agent", signature: .worker)
        try agent.send(.ready(Ready(name: "agent", role: .hila)))
        let (error, _) = try agent.receiveDirective()
        guard case .error(let refused) = error else { Issue.record("expected ERROR, got \(error)"); return }
        #expect(refused.code == .unauthorized)
        #expect(refused.command == Command.ready.rawValue)
        let (disconnect, _) = try agent.receiveDirective()
        guard case .disconnect = disconnect else { Issue.record("expected DISCONNECT, got \(disconnect)"); return }
        let report = try report(broker)
        #expect(report.workers.isEmpty)
        #expect(report.counts["errors_401"] == 1)
    }

    @Test func hilaKeyClaimingASkillItWasNotGranted_is401ThenDisconnect() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let ana = try peer(broker, as: "ana", signature: .worker)
        try ana.send(.ready(Ready(name: "ana", role: .hila, skills: ["refunds", "legal"])))
        let (error, _) = try ana.receiveDirective()
        guard case .error(let refused) = error else { Issue.record("expected ERROR, got \(error)"); return }
        #expect(refused.code == .unauthorized)
        #expect(refused.text.contains("legal"))
        let (disconnect, _) = try ana.receiveDirective()
        guard case .disconnect = disconnect else { Issue.record("expected DISCONNECT, got \(disconnect)"); return }
    }

    @Test func workerKeyRegisteringUnderAnotherName_orAnotherRole_is401() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        for ready in [Ready(name: "bo", role: .hila, skills: ["refunds"]), Ready(name: "ana", role: .live)] {
            let ana = try peer(broker, as: "ana", signature: .worker)
            try ana.send(.ready(ready))
            let (error, _) = try ana.receiveDirective()
            guard case .error(let refused) = error else { Issue.record("expected ERROR, got \(error)"); return }
            #expect(refused.code == .unauthorized, "\(ready)")
        }
        #expect(try report(broker).workers.isEmpty)
    }

    @Test func grantedReady_registers_andAnEncryptedTicketIsAnsweredEndToEnd() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let ana = try peer(broker, as: "ana", signature: .worker)
        try ana.send(.ready(Ready(name: "ana", role: .hila, skills: ["refunds"])))
        let (welcome, _) = try ana.receiveDirectiveSkippingHeartbeats()
        guard case .welcome = welcome else { Issue.record("expected WELCOME, got \(welcome)"); return }

        let agent = try peer(broker, as: "agent", signature: .client)
        let question = Array("refund order 1182?".utf8)
        try agent.send(.ask(Ask(ticket: "c-1", skills: ["refunds"])), body: question)
        let (queued, _) = try agent.receiveReply()
        guard case .queued = queued else { Issue.record("expected QUEUED, got \(queued)"); return }
        let (offer, offered) = try ana.receiveDirectiveSkippingHeartbeats()
        guard case .assign = offer else { Issue.record("expected ASSIGN, got \(offer)"); return }
        #expect(offered == question)
        try ana.send(.answer(Answer(ticket: "c-1", decision: .approve)), body: Array("yes".utf8))
        let (answered, body) = try agent.receiveReply()
        guard case .answered(let answer) = answered else { Issue.record("expected ANSWERED, got \(answered)"); return }
        #expect(answer.worker == "ana")
        #expect(body == Array("yes".utf8))
    }

    @Test func bodyAtTheProtocolLimit_passesCurve_aFrameBeyondMaxMessageBytes_dropsTheConnection() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let agent = try peer(broker, as: "agent", signature: .client)
        // ZMQ_MAXMSGSIZE counts each frame, encrypted: the largest body plus CURVE's overhead fits.
        try agent.send(.ask(Ask(ticket: "max", role: .live)), body: [UInt8](repeating: 9, count: WireLimits.maxBodyBytes))
        let (queued, _) = try agent.receiveReply()
        guard case .queued = queued else { Issue.record("expected QUEUED, got \(queued)"); return }
        // One frame past it: libzmq drops the connection before reading it; no reply comes.
        let big = try peer(broker, as: "agent", signature: .client)
        try big.send(.ask(Ask(ticket: "over")), body: [UInt8](repeating: 9, count: WireLimits.maxBodyBytes + 100))
        #expect(try big.expectNothing(forMilliseconds: 500) == nil)
        try agent.send(.resume(tickets: ["over"]))
        let (unknown, _) = try agent.receiveReply()
        #expect(unknown == .error(ErrorReply(code: .unknownTicket, text: "unknown ticket", ticket: "over", command: Command.resume.rawValue)))
    }

    @Test func status_fromAdminKey_isReported_fromClientKey_is401() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let agent = try peer(broker, as: "agent", signature: .client)
        try agent.send(.status)
        let (reply, _) = try agent.receiveReply()
        guard case .error(let refused) = reply else { Issue.record("expected ERROR, got \(reply)"); return }
        #expect(refused.code == .unauthorized)
        #expect(refused.command == Command.status.rawValue)
        #expect(try report(broker).counts["errors_401"] == 1)
    }

    @Test func workerKeySendingAsk_is401WithTheTicketId() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let ana = try peer(broker, as: "ana", signature: .client)
        try ana.send(.ask(Ask(ticket: "w-1")))
        let (reply, _) = try ana.receiveReply()
        guard case .error(let refused) = reply else { Issue.record("expected ERROR, got \(reply)"); return }
        #expect(refused.code == .unauthorized)
        #expect(refused.ticket == "w-1")
        #expect(try report(broker).counts["asked"] == 0)
    }

    @Test func anotherClientKey_cannotResumeOrCancelATicket_itsOwnerCan() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let agent = try peer(broker, as: "agent", signature: .client)
        try agent.send(.ask(Ask(ticket: "secret-1", role: .live)), body: Array("card 4242".utf8))
        let (queued, _) = try agent.receiveReply()
        guard case .queued = queued else { Issue.record("expected QUEUED, got \(queued)"); return }

        // mallory holds a valid client key and guesses the id: she learns nothing.
        let mallory = try peer(broker, as: "mallory", signature: .client)
        try mallory.send(.resume(tickets: ["secret-1"]))
        let (resumed, _) = try mallory.receiveReply()
        guard case .error(let unknown) = resumed else { Issue.record("expected ERROR, got \(resumed)"); return }
        #expect(unknown.code == .unknownTicket)
        try mallory.send(.cancel(ticket: "secret-1"))
        let (cancelled, _) = try mallory.receiveReply()
        guard case .error(let refused) = cancelled else { Issue.record("expected ERROR, got \(cancelled)"); return }
        #expect(refused.code == .unknownTicket)

        // The owner, on a new connection with the same key, gets it back.
        let again = try peer(broker, as: "agent", signature: .client)
        try again.send(.resume(tickets: ["secret-1"]))
        let (state, _) = try again.receiveReply()
        guard case .queued(let stillQueued) = state else { Issue.record("expected QUEUED, got \(state)"); return }
        #expect(stillQueued.ticket == "secret-1")
    }

    @Test func sighup_readsTheKeysAgain_aKeyAddedGetsIn_aKeyRemovedCanNoLongerAsk_aBrokenFileChangesNothing() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let pid = try #require(broker.process?.processIdentifier)
        let listed = try String(contentsOfFile: keys.path("authorized_keys"), encoding: .utf8)
        // Before: the stranger's handshake is refused (no reply).
        let early = try peer(broker, as: "stranger", signature: .client)
        try early.send(.heartbeat)
        #expect(try early.expectNothing(forMilliseconds: 300) == nil)

        // A broken file: nothing changes, agent still asks.
        try "this is not a key line\n".write(toFile: keys.path("authorized_keys"), atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        let agent = try peer(broker, as: "agent", signature: .client)
        try agent.send(.ask(Ask(ticket: "k-1", role: .live)))
        guard case .queued = try agent.receiveReply().0 else { Issue.record("agent refused after a broken reload"); return }

        // The stranger added, agent removed.
        let strangerLine = "\(keys.certificates["stranger"]!.publicKey)  stranger  client"
        let withoutAgent = listed.split(separator: "\n").filter { !$0.contains(" agent ") }.joined(separator: "\n")
        try (withoutAgent + "\n" + strangerLine + "\n").write(toFile: keys.path("authorized_keys"), atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        let stranger = try peer(broker, as: "stranger", signature: .client)
        // While its handshake is refused the DEALER may have no pipe to queue on: a send
        // then waits, so it gives up after 100 ms and the test fails instead of hanging.
        try stranger.socket.setOption(.sendTimeout, 100)
        var admitted = false
        for _ in 0..<30 where !admitted {  // the reload happens at the broker's next wake-up
            guard (try? stranger.send(.heartbeat)) != nil else { continue }
            if try stranger.receiveFrames(timeoutMilliseconds: 100) != nil { admitted = true }
        }
        #expect(admitted, "the stranger's key was not admitted after SIGHUP")
        try agent.send(.ask(Ask(ticket: "k-2", role: .live)))
        guard case .error(let refused) = try agent.receiveReply().0 else { Issue.record("a removed key still asks"); return }
        #expect(refused.code == .unauthorized)
    }

    @Test func sighup_revokesAConsoleWhoseKeyNoLongerGrantsItsSkills_andItsTicketMovesOn() throws {
        let broker = try BrokerProcess(arguments: keys.brokerArguments)
        defer { broker.stop() }
        let pid = try #require(broker.process?.processIdentifier)
        let ana = try peer(broker, as: "ana", signature: .worker)
        try ana.send(.ready(Ready(name: "ana", role: .hila, skills: ["refunds"])))
        guard case .welcome = try ana.receiveDirectiveSkippingHeartbeats().0 else { Issue.record("ana not welcomed"); return }
        let bo = try peer(broker, as: "bo", signature: .worker)
        try bo.send(.ready(Ready(name: "bo", role: .live)))
        guard case .welcome = try bo.receiveDirectiveSkippingHeartbeats().0 else { Issue.record("bo not welcomed"); return }
        let agent = try peer(broker, as: "agent", signature: .client)
        try agent.send(.ask(Ask(ticket: "r-1", skills: ["refunds"])))
        guard case .assign = try ana.receiveDirectiveSkippingHeartbeats().0 else { Issue.record("ana got no offer"); return }

        // ana may now serve billing only: her registration (refunds) is no longer granted.
        let listed = try String(contentsOfFile: keys.path("authorized_keys"), encoding: .utf8)
        let narrowed = listed.replacingOccurrences(of: "hila refunds,billing", with: "hila billing")
        try narrowed.write(toFile: keys.path("authorized_keys"), atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        let (error, _) = try ana.receiveDirectiveSkippingHeartbeats()
        guard case .error(let revoked) = error else { Issue.record("expected ERROR, got \(error)"); return }
        #expect(revoked.code == .unauthorized)
        #expect(revoked.text.contains("refunds"), "\(revoked.text)")
        guard case .disconnect = try ana.receiveDirectiveSkippingHeartbeats().0 else { Issue.record("expected DISCONNECT"); return }
        // No HILA is left for it: the ticket goes to the live agent, who was not revoked.
        let (handedOver, _) = try bo.receiveDirectiveSkippingHeartbeats()
        guard case .assign(let offer) = handedOver else { Issue.record("expected ASSIGN, got \(handedOver)"); return }
        #expect(offer.ticket == "r-1")
        #expect(try report(broker).workers.map(\.name) == ["bo"])
    }
}
