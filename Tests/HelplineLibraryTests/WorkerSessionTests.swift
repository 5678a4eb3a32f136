import HelplineWire
import Testing

@testable import HelplineWorker

/// The worker state machine alone: injected time, exact actions.
@Suite("WorkerSession")
struct WorkerSessionTests {
    private func registered() -> WorkerSession {
        var session = WorkerSession(
            registration: WorkerRegistration(name: "ana", role: .hila, capacity: 3, heartbeat: .milliseconds(500)), liveness: 3)
        session.connectionOpened(now: 0)
        session.receive(.welcome(welcome(heartbeat: 1000, liveness: 3)), body: [], now: 10)
        _ = session.takeActions()
        return session
    }

    @Test func commandsWhileReconnecting_areSentAfterWelcome_onlyForAttachedTickets() {
        var session = registered()
        session.receive(.assign(assign("keep")), body: [], now: 20)
        session.receive(.assign(assign("lose")), body: [], now: 20)
        session.receive(.disconnect(reason: nil), body: [], now: 30)
        session.command(.accept(ticket: "keep", leaseMilliseconds: 0), body: [], now: 40)
        session.command(.answer(Answer(ticket: "lose", decision: .approve)), body: [], now: 40)
        _ = session.takeActions()

        session.connectionOpened(now: 50)
        let actions1 = session.takeActions()
        #expect(actions1 == [.send(.ready(Ready(
            name: "ana", role: .hila, capacity: 3, heartbeatMilliseconds: 500, holding: ["keep", "lose"])), body: [])])
        session.receive(.welcome(welcome(attached: ["keep"], dropped: ["lose"])), body: [], now: 60)
        let actions2 = session.takeActions()
        #expect(actions2 == [
            .send(.accept(ticket: "keep", leaseMilliseconds: 0), body: []),
            .event(.registered(welcome(attached: ["keep"], dropped: ["lose"]))),
        ])
    }

    @Test func heartbeat_usesTheNegotiatedInterval_andSilenceReconnects() {
        var session = registered()
        session.tick(now: 1009)
        let actions3 = session.takeActions()
        #expect(actions3.isEmpty)
        session.tick(now: 1010)
        let actions4 = session.takeActions()
        #expect(actions4 == [.send(.heartbeat(presence: .active), body: [])])
        session.tick(now: 3010)
        let actions5 = session.takeActions()
        #expect(actions5 == [
            .event(.disconnected(reason: "the broker was silent for 3 heartbeats")), .reconnect,
        ])
    }

    @Test func liveTicketAccepted_isNoLongerHeld() {
        var session = registered()
        session.receive(.assign(assign("conv", role: .live)), body: [], now: 20)
        session.command(.accept(ticket: "conv", leaseMilliseconds: 0), body: [], now: 21)
        #expect(session.held.isEmpty)
        session.command(.decline(ticket: "conv", reason: nil), body: [], now: 22)
        let actions6 = session.takeActions()
        #expect(actions6.filter { if case .send = $0 { true } else { false } }
            == [.send(.accept(ticket: "conv", leaseMilliseconds: 0), body: [])])
    }

    @Test func errorForbiddenOnAHeldTicket_dropsIt() {
        var session = registered()
        session.receive(.assign(assign("gone")), body: [], now: 20)
        _ = session.takeActions()
        let refusal = ErrorReply(code: .forbidden, text: "not held", ticket: "gone", command: Command.accept.rawValue)
        session.receive(.error(refusal), body: [], now: 21)
        let actions7 = session.takeActions()
        #expect(actions7 == [.event(.refused(refusal)), .event(.dropped(ticket: "gone"))])
        #expect(session.held.isEmpty)
    }
}

extension WorkerSessionTests {
    /// READY refused (the command is READY), or a registration revoked after a key reload
    /// (no command): either way the same READY would be refused again.
    @Test(arguments: [Command.ready.rawValue, nil])
    func readyRefusedOrRevoked401_thenDisconnect_stopsInsteadOfRetrying(command: UInt8?) {
        var session = WorkerSession(
            registration: WorkerRegistration(name: "ana", role: .hila, heartbeat: .milliseconds(500)), liveness: 3)
        session.connectionOpened(now: 0)
        _ = session.takeActions()
        let refusal = ErrorReply(code: .unauthorized, text: "key grants no hila role", command: command)
        session.receive(.error(refusal), body: [], now: 5)
        session.receive(.disconnect(reason: nil), body: [], now: 6)
        #expect(session.takeActions() == [
            .event(.refused(refusal)),
            .event(.disconnected(reason: "the broker refused the registration: key grants no hila role")), .stop,
        ])
    }

    @Test func disconnectWithoutARefusal_stillReconnects() {
        var session = WorkerSession(
            registration: WorkerRegistration(name: "ana", role: .hila, heartbeat: .milliseconds(500)), liveness: 3)
        session.connectionOpened(now: 0)
        _ = session.takeActions()
        session.receive(.disconnect(reason: nil), body: [], now: 6)
        #expect(session.takeActions().last == .reconnect)
    }
}

extension WorkerSessionTests {
    @Test func answerRefused503_isSentAgainAfterTheRetryDelay_notBefore() {
        var session = registered()
        session.receive(.assign(assign("t1")), body: [], now: 20)
        let answer = WorkerMessage.answer(Answer(ticket: "t1", decision: .approve))
        session.command(answer, body: Array("yes".utf8), now: 30)
        _ = session.takeActions()
        let refusal = ErrorReply(code: .unavailable, text: "journal unwritable", ticket: "t1", command: Command.answer.rawValue)
        session.receive(.error(refusal), body: [], now: 40)
        #expect(session.takeActions() == [.event(.refused(refusal))])
        #expect((session.nextTimer() ?? .max) <= 40 + WorkerSession.unavailableRetryMilliseconds)
        session.tick(now: 40 + WorkerSession.unavailableRetryMilliseconds - 1)
        #expect(!session.takeActions().contains(.send(answer, body: Array("yes".utf8))))
        session.tick(now: 40 + WorkerSession.unavailableRetryMilliseconds)
        #expect(session.takeActions().contains(.send(answer, body: Array("yes".utf8))))
        // Sent once: no second retry unless the broker refuses it again.
        session.tick(now: 40 + 2 * WorkerSession.unavailableRetryMilliseconds)
        #expect(!session.takeActions().contains(.send(answer, body: Array("yes".utf8))))
    }
}
