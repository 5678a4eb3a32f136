import HelplineWire
import Testing

@testable import HelplineWorker

/// `confirmReplies`: a final reply is followed by a probe (EXTEND of an unknown id); the
/// broker's ERROR for the probe proves the reply before it was processed.
@Suite("WorkerSession reply confirmation")
struct WorkerSessionConfirmationTests {
    private func registered() -> WorkerSession {
        var session = WorkerSession(
            registration: WorkerRegistration(name: "ana", role: .hila, capacity: 3), liveness: 3, confirmReplies: true)
        session.connectionOpened(now: 0)
        session.receive(.welcome(welcome(heartbeat: 1000, liveness: 3)), body: [], now: 10)
        session.receive(.assign(assign("t-1", options: ["approve"])), body: [], now: 20)
        _ = session.takeActions()
        return session
    }

    /// The probe the session sent after its last reply.
    private func probe(in actions: [WorkerAction]) -> String? {
        actions.compactMap { action -> String? in
            if case .send(.extend(let id, 1), _) = action { id } else { nil }
        }.last
    }

    @Test func answer_isFollowedByAProbe_andItsErrorConfirmsTheAnswer() throws {
        var session = registered()
        session.command(.answer(Answer(ticket: "t-1", decision: .approve)), body: [], now: 30)
        let sent = session.takeActions()
        #expect(sent.first == .send(.answer(Answer(ticket: "t-1", decision: .approve)), body: []))
        let id = try #require(probe(in: sent))
        #expect(id.hasPrefix("helpline-probe-"))

        session.receive(.error(ErrorReply(code: .unknownTicket, text: "unknown", ticket: id, command: Command.extend.rawValue)), body: [], now: 31)
        #expect(session.takeActions() == [.event(.replyRecorded(ticket: "t-1"))])
        #expect(session.replies.isEmpty && session.awaiting.isEmpty && session.probes.isEmpty)
    }

    @Test func aRefusedAnswer_isReportedAsRefused_andItsProbeConfirmsNothing() throws {
        var session = registered()
        session.command(.answer(Answer(ticket: "t-1", decision: .approve)), body: [], now: 30)
        let id = try #require(probe(in: session.takeActions()))
        let refusal = ErrorReply(code: .forbidden, text: "cancelled", ticket: "t-1", command: Command.answer.rawValue)
        session.receive(.error(refusal), body: [], now: 31)
        session.receive(.error(ErrorReply(code: .unknownTicket, text: "unknown", ticket: id, command: Command.extend.rawValue)), body: [], now: 32)
        #expect(session.takeActions() == [.event(.refused(refusal))])
    }

    @Test func anAnswerTheJournalCouldNotRecord_isConfirmedOnlyAfterItsRetry() throws {
        var session = registered()
        session.command(.answer(Answer(ticket: "t-1", decision: .approve)), body: [], now: 30)
        let first = try #require(probe(in: session.takeActions()))
        let unavailable = ErrorReply(code: .unavailable, text: "journal", ticket: "t-1", command: Command.answer.rawValue)
        session.receive(.error(unavailable), body: [], now: 31)
        session.receive(.error(ErrorReply(code: .unknownTicket, text: "unknown", ticket: first, command: Command.extend.rawValue)), body: [], now: 32)
        #expect(session.takeActions() == [.event(.refused(unavailable))])

        session.tick(now: 31 + WorkerSession.unavailableRetryMilliseconds)
        let retry = session.takeActions()
        #expect(retry.first == .send(.answer(Answer(ticket: "t-1", decision: .approve)), body: []))
        let second = try #require(probe(in: retry))
        #expect(second != first)
        session.receive(.error(ErrorReply(code: .unknownTicket, text: "unknown", ticket: second, command: Command.extend.rawValue)), body: [], now: 1100)
        #expect(session.takeActions() == [.event(.replyRecorded(ticket: "t-1"))])
    }

    @Test func aReplyLostWithTheConnection_isUncertainWhenWelcomeNoLongerListsIt() {
        var session = registered()
        session.command(.answer(Answer(ticket: "t-1", decision: .approve)), body: [], now: 30)
        session.receive(.disconnect(reason: nil), body: [], now: 40)
        session.connectionOpened(now: 50)
        _ = session.takeActions()
        session.receive(.welcome(welcome(dropped: ["t-1"])), body: [], now: 60)
        #expect(session.takeActions().contains(.event(.replyUncertain(ticket: "t-1"))))
    }

    @Test func withoutConfirmation_noProbeIsSent() {
        var session = WorkerSession(registration: WorkerRegistration(name: "ana", role: .hila), liveness: 3)
        session.connectionOpened(now: 0)
        session.receive(.welcome(welcome()), body: [], now: 1)
        session.receive(.assign(assign("t-1")), body: [], now: 2)
        _ = session.takeActions()
        session.command(.answer(Answer(ticket: "t-1", decision: .approve)), body: [], now: 3)
        #expect(session.takeActions() == [.send(.answer(Answer(ticket: "t-1", decision: .approve)), body: [])])
    }
}
