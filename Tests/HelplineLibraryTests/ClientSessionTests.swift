import HelplineWire
import Testing

@testable import HelplineClient

/// The client state machine alone: injected time, exact actions.
@Suite("ClientSession")
struct ClientSessionTests {
    private func session() -> ClientSession {
        ClientSession(settings: ClientSession.Settings(HelplineClient.Options(
            heartbeatInterval: .milliseconds(1000), liveness: 3, acknowledgmentTimeout: .seconds(5),
            resumeAfterSilence: .seconds(60), deadlineGrace: .seconds(10), cancelGrace: .seconds(10))))
    }

    @Test func outcomeRepeatedByTheBroker_finishesTheTicketOnce() {
        var session = session()
        let opened = session.ask(TicketRequest(id: "a"), now: 0)
        #expect(opened)
        session.receive(.queued(Queued(ticket: "a", role: .hila, position: 0)), body: [], now: 1)
        session.receive(.queued(Queued(ticket: "a", role: .hila, position: 0)), body: [], now: 2)
        session.receive(.expired(ticket: "a"), body: [], now: 3)
        session.receive(.expired(ticket: "a"), body: [], now: 4)
        session.receive(.cancelled(ticket: "a"), body: [], now: 5)
        let actions = session.takeActions()
        #expect(actions.dropFirst() == [
            .event(ticket: "a", .queued(role: .hila, stage: .waiting, position: 0)),
            .finish(ticket: "a", .success(.expired)),
        ])
        #expect(session.tickets.isEmpty)
    }

    @Test func reconnect_resumesAcknowledgedTicketsInGroupsOfTheProtocolLimit_andAsksTheOthersAgain() {
        var session = session()
        for index in 0..<WireLimits.maxResumeIDs + 1 {
            let id = "t-" + String(10_000 + index)
            _ = session.ask(TicketRequest(id: id), now: 0)
            session.receive(.queued(Queued(ticket: id, role: .hila, position: 0)), body: [], now: 0)
        }
        _ = session.ask(TicketRequest(id: "unacked", body: [7]), now: 0)
        _ = session.takeActions()

        session.transportReconnected(now: 10)
        let actions = session.takeActions()
        let resumes = actions.compactMap { action -> [String]? in
            if case .send(.resume(let ids), _) = action { ids } else { nil }
        }
        #expect(resumes.map(\.count) == [WireLimits.maxResumeIDs, 1])
        #expect(actions.contains(.send(.ask(TicketRequest(id: "unacked").header), body: [7])))
    }

    @Test func brokerSilentForLivenessIntervals_asksForOneReconnect() {
        var session = session()
        session.connectionOpened(now: 0)
        _ = session.ask(TicketRequest(id: "a"), now: 0)
        session.tick(now: 1000)
        let actions1 = session.takeActions()
        #expect(actions1.last == .send(.heartbeat, body: []))
        session.tick(now: 2999)
        _ = session.takeActions()
        session.tick(now: 3000)
        let actions2 = session.takeActions()
        #expect(actions2 == [.reconnect])
        session.tick(now: 4000)
        let actions3 = session.takeActions()
        #expect(actions3.isEmpty, "no second reconnect while the first is pending")
    }

    @Test func idleClient_sendsNoHeartbeat() {
        var session = session()
        session.connectionOpened(now: 0)
        _ = session.takeActions()
        session.tick(now: 10_000)
        let actions4 = session.takeActions()
        #expect(actions4.isEmpty)
        #expect(session.nextTimer() == nil)
    }

    @Test func transferRepeatedInAStateReport_isReportedOnce() {
        var session = session()
        _ = session.ask(TicketRequest(id: "a"), now: 0)
        session.receive(.transferred(Transferred(ticket: "a", reason: .noHILA)), body: [], now: 1)
        session.receive(.queued(Queued(ticket: "a", role: .live, position: 3)), body: [], now: 1)
        session.receive(.transferred(Transferred(ticket: "a", reason: .noHILA)), body: [], now: 2)
        session.receive(.queued(Queued(ticket: "a", role: .live, position: 1)), body: [], now: 2)
        let actions5 = session.takeActions()
        #expect(actions5.dropFirst() == [
            .event(ticket: "a", .transferred(reason: .noHILA, note: nil)),
            .event(ticket: "a", .queued(role: .live, stage: .waiting, position: 3)),
            .event(ticket: "a", .queued(role: .live, stage: .waiting, position: 1)),
        ])
    }

    @Test func noOutcomeByTheDeadlinePlusGrace_failsTheTicketWithTimeout() {
        var session = session()
        _ = session.ask(TicketRequest(id: "a", deadline: .seconds(1)), now: 0)
        session.receive(.queued(Queued(ticket: "a", role: .hila, position: 0)), body: [], now: 1)
        _ = session.takeActions()
        session.tick(now: 10_999)
        let actions6 = session.takeActions()
        #expect(!actions6.contains { if case .finish = $0 { true } else { false } })
        session.tick(now: 11_000)
        let finish = session.takeActions().first { if case .finish = $0 { true } else { false } }
        guard case .finish("a", .failure(let error))? = finish else {
            Issue.record("expected a timeout, got \(String(describing: finish))")
            return
        }
        #expect(error.kind == .timeout)
    }
}
