import HelplineTestSupport
import HelplineWire
import Testing
import ZeroMQ

/// Absent humans, seen from the wire: a console that goes silent, a human who never picks
/// a ticket up, a human who declines, a ticket that waits too long, a client that cancels.
@Suite(.serialized)
struct AbsentHumanConformanceTests {
    let context: ZMQContext

    init() throws {
        context = try ZMQContext()
    }

    private func worker(_ broker: BrokerProcess, name: String, heartbeat: Int = 30_000, role: Role = .hila) throws -> RawPeer {
        let peer = try RawPeer(endpoint: broker.endpoint, signature: .worker, context: context)
        try peer.send(.ready(Ready(name: name, role: role, heartbeatMilliseconds: heartbeat)))
        let (welcome, _) = try peer.receiveDirectiveSkippingHeartbeats()
        guard case .welcome = welcome else { throw ConformanceFailure.unexpected("\(welcome)") }
        return peer
    }

    private func expectAssign(_ peer: RawPeer, ticket: String, attempt: Int? = nil) throws {
        let (directive, _) = try peer.receiveDirectiveSkippingHeartbeats()
        guard case .assign(let assign) = directive else { throw ConformanceFailure.unexpected("\(directive)") }
        #expect(assign.ticket == ticket)
        if let attempt { #expect(assign.attempt == attempt) }
    }

    @Test func consoleThatStopsHeartbeating_losesItsTicketsAfterLivenessTimesInterval() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        // 250 ms × liveness 3: declared dead after 750 ms of silence, connection still open.
        let silent = try worker(broker, name: "silent", heartbeat: 250)
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.ask(Ask(ticket: "t-10")))
        _ = try client.receiveReply()
        try expectAssign(silent, ticket: "t-10")
        try silent.send(.accept(ticket: "t-10", leaseMilliseconds: 0))
        _ = try client.receiveReply()
        let standby = try worker(broker, name: "standby")
        // `standby` answers nothing but heartbeats-as-needed; `silent` now says nothing at all.
        try expectAssign(standby, ticket: "t-10", attempt: 2)
        // The dead console is told to go away if it speaks again.
        try silent.send(.heartbeat(presence: .active))
        var sawDisconnect = false
        while let frames = try silent.receiveFrames(timeoutMilliseconds: 2_000) {
            if frames[1] == [Command.disconnect.rawValue] { sawDisconnect = true; break }
        }
        #expect(sawDisconnect)
    }

    @Test func humanWhoNeverAccepts_ticketRevokedAndOfferedElsewhere_andTheyAreSetAway() throws {
        let broker = try BrokerProcess(arguments: ["--accept-timeout-ms", "300"])
        defer { broker.stop() }
        let idle = try worker(broker, name: "idle")
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.ask(Ask(ticket: "t-11")))
        _ = try client.receiveReply()
        try expectAssign(idle, ticket: "t-11")
        let busy = try worker(broker, name: "busy")
        let (revoke, _) = try idle.receiveDirectiveSkippingHeartbeats()
        #expect(revoke == .revoke(ticket: "t-11", reason: .acceptTimeout))
        try expectAssign(busy, ticket: "t-11", attempt: 2)

        try client.send(.status)
        let (reply, _) = try client.receiveReply()
        guard case .report(let report) = reply else { Issue.record("expected REPORT, got \(reply)"); return }
        #expect(report.workers.first { $0.name == "idle" }?.presence == .away)
    }

    @Test func decline_offersTheTicketToAnotherHuman_neverBackToTheDecliner() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let first = try worker(broker, name: "first")
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.ask(Ask(ticket: "t-12")))
        _ = try client.receiveReply()
        try expectAssign(first, ticket: "t-12")
        let second = try worker(broker, name: "second")
        try first.send(.decline(ticket: "t-12", reason: "not my area"))
        try expectAssign(second, ticket: "t-12", attempt: 2)
        try second.send(.decline(ticket: "t-12", reason: nil))
        // Both capable HILAs declined: it goes to the live-agent queue.
        var reasons: [TransferReason] = []
        for _ in 0..<3 {
            guard let (reply, _) = try? client.receiveReply(timeoutMilliseconds: 1_000) else { break }
            if case .transferred(let transferred) = reply { reasons.append(transferred.reason) }
        }
        #expect(reasons == [.hilaLost])
        #expect(try first.expectNothing() == nil)
    }

    @Test func ticketWaitingLongerThanMaxWait_isTransferredToLiveAgents() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let hila = try worker(broker, name: "full")
        let live = try worker(broker, name: "lou", role: .live)
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.ask(Ask(ticket: "t-13")))
        _ = try client.receiveReply()
        try expectAssign(hila, ticket: "t-13")
        try hila.send(.accept(ticket: "t-13", leaseMilliseconds: 0))
        _ = try client.receiveReply()
        // The only HILA is full: the next ticket waits, then moves after 300 ms.
        try client.send(.ask(Ask(ticket: "t-14", maxWaitMilliseconds: 300)))
        var transferred: Transferred?
        for _ in 0..<3 {
            let (reply, _) = try client.receiveReply()
            if case .transferred(let t) = reply { transferred = t; break }
        }
        #expect(transferred == Transferred(ticket: "t-14", reason: .maxWait))
        try expectAssign(live, ticket: "t-14")
        try live.send(.accept(ticket: "t-14", leaseMilliseconds: 0))
        var takenOver: Assigned?
        for _ in 0..<3 {
            let (reply, _) = try client.receiveReply()
            if case .assigned(let a) = reply { takenOver = a; break }
        }
        #expect(takenOver == Assigned(ticket: "t-14", worker: "lou", role: .live))
    }

    @Test func cancel_revokesTheTicketFromItsHuman_andConfirms() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let hila = try worker(broker, name: "ana")
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.ask(Ask(ticket: "t-15")))
        _ = try client.receiveReply()
        try expectAssign(hila, ticket: "t-15")
        try client.send(.cancel(ticket: "t-15"))
        let (revoke, _) = try hila.receiveDirectiveSkippingHeartbeats()
        #expect(revoke == .revoke(ticket: "t-15", reason: .cancelled))
        let (cancelled, _) = try client.receiveReply()
        #expect(cancelled == .cancelled(ticket: "t-15"))
        // The human's late answer is refused; the client hears nothing more.
        try hila.send(.answer(Answer(ticket: "t-15", decision: .approve)))
        let (refusal, _) = try hila.receiveDirectiveSkippingHeartbeats()
        guard case .error(let error) = refusal else { Issue.record("expected ERROR, got \(refusal)"); return }
        #expect(error.code == .forbidden || error.code == .unknownTicket)
        #expect(try client.expectNothing() == nil)
    }

    @Test func workerCommandBeforeReady_isAnsweredWithDisconnect() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let stranger = try RawPeer(endpoint: broker.endpoint, signature: .worker, context: context)
        try stranger.send(.heartbeat(presence: .active))
        let (directive, _) = try stranger.receiveDirective()
        guard case .disconnect = directive else { Issue.record("expected DISCONNECT, got \(directive)"); return }
    }
}
