import HelplineBrokerCore
import HelplineWire
import Testing

/// A journal that cannot write (full or read-only disk): nothing unpersisted is ever
/// acknowledged, new work is refused with 503, what the broker holds keeps being served.
@Suite struct JournalFailureTests {
    private static func unavailable(_ id: String?, _ command: Command, to connection: ConnectionID = Harness.client(1)) -> (Action) -> Bool {
        Harness.clientError(.unavailable, id: id, command: command, to: connection)
    }

    @Test func newAsk_whoseRecordDidNotCommit_isForgotten_andAnswered503InsteadOfQueued() {
        var h = Harness.journaling()
        h.ready("ana", console: 1)
        let batch = h.ask("t1")
        let out = h.commitFails(batch)
        #expect(isSingle(out, Self.unavailable("t1", .ask)))
        #expect(h.core.ticket("t1") == nil)
        #expect(h.core.worker("ana")?.load == 0)
        #expect(!h.core.isJournalWritable)
        // While the journal is unwritable new tickets are refused; the broker still answers.
        #expect(isSingle(h.ask("t2"), Self.unavailable("t2", .ask)))
        #expect(isSingle(h.send(.resume(tickets: ["t1"]), from: Harness.client(1)), Harness.clientError(.unknownTicket, id: "t1", command: .resume)))
        #expect(h.send(.heartbeat, from: Harness.client(1)) == [Harness.toClient(Harness.client(1), .heartbeat)])
    }

    @Test func batchWithSeveralEvents_keepsTheSendsThatNeedNoRecord() {
        var h = Harness.journaling()
        var batch = h.ready("ana", console: 1)
        batch += h.ask("t1")
        batch += h.send(.heartbeat, from: Harness.client(2))
        let out = h.commitFails(batch)
        #expect(out.count == 3)
        #expect(out[0] == Harness.welcome(to: 1))
        #expect(out[1] == Harness.toClient(Harness.client(2), .heartbeat))
        #expect(Self.unavailable("t1", .ask)(out[2]))
    }

    @Test func answer_whoseRecordDidNotCommit_isRefused503_andTheTicketIsOfferedAgain() {
        var h = Harness.journaling()
        h.ready("ana", console: 1)
        h.ask("t1")
        _ = h.commitSucceeds()
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        h.setClock(10)
        let batch = h.answer("t1", from: 1, body: "yes")
        let out = h.commitFails(batch)
        // No ANSWERED: the answer is not durable. The worker is told, the ticket offered again.
        #expect(sends(out).count == 2)
        #expect(Harness.workerError(.unavailable, id: "t1", command: .answer, to: 1)(sends(out)[0]))
        #expect(sends(out)[1] == h.assign("t1", to: 1, age: 10, attempt: 2))
        #expect(h.core.ticket("t1")?.stage == "offered")
        // Until the journal writes again, a second answer is refused and nothing changes.
        #expect(isSingle(h.answer("t1", from: 1), Harness.workerError(.unavailable, id: "t1", command: .answer, to: 1)))
        #expect(h.core.ticket("t1")?.stage == "offered")
    }

    @Test func cancel_whoseRecordDidNotCommit_leavesTheTicketOpen_andTellsTheClient503() {
        var h = Harness.journaling()
        h.ask("t1", role: .live)
        _ = h.commitSucceeds()
        let batch = h.send(.cancel(ticket: "t1"), from: Harness.client(2))
        let out = h.commitFails(batch)
        #expect(out.contains(where: Self.unavailable("t1", .cancel, to: Harness.client(2))))
        #expect(h.core.ticket("t1")?.stage == "waiting")
    }

    @Test func transfer_whoseRecordDidNotCommit_returnsTheTicketToItsHILAQueue() {
        var h = Harness.journaling()
        h.ready("ana", console: 1)
        h.ready("lee", console: 2, role: .live)
        h.ask("t1")
        _ = h.commitSucceeds()
        let batch = h.send(.transfer(ticket: "t1", note: "VIP"), from: Harness.console(1))
        #expect(sends(batch).contains(Harness.transferred("t1", .hila, note: "VIP")))
        let out = h.commitFails(batch)
        #expect(!sends(out).contains(Harness.transferred("t1", .hila, note: "VIP")))
        #expect(Harness.workerError(.unavailable, id: "t1", command: .transfer, to: 1)(sends(out)[0]))
        #expect(h.core.ticket("t1")?.role == .hila)
        #expect(h.core.worker("lee")?.load == 0)
    }

    @Test func deadline_whileUnwritable_isRetried_andExpiresOnceTheJournalWrites() {
        var h = Harness.journaling()
        h.ask("t1", role: .live, deadline: 1_000)
        _ = h.commitSucceeds()
        _ = h.commitFails(h.ask("t2", role: .live))
        #expect(sends(h.advance(to: 1_000)) == [])
        #expect(h.core.ticket("t1")?.stage == "waiting")
        h.setClock(1_500)
        _ = h.commitSucceeds()
        #expect(h.core.isJournalWritable)
        #expect(sends(h.advance(to: 2_000)) == [Harness.toClient(Harness.client(1), .expired(ticket: "t1"))])
    }

    @Test func hilaLost_whileUnwritable_waits_andMovesToLiveAgentsOnceTheJournalWrites() {
        var h = Harness.journaling()
        h.ready("ana", console: 1, skills: ["refunds"])
        h.ask("t1", skills: ["refunds"])
        _ = h.commitSucceeds()
        _ = h.commitFails(h.ask("t2"))
        // The only HILA dies: its ticket waits rather than transfer unrecorded.
        #expect(sends(h.closeConnection(Harness.console(1))) == [])
        #expect(h.core.ticket("t1")?.stage == "waiting")
        #expect(sends(h.commitSucceeds()) == [Harness.transferred("t1", .hilaLost), Harness.queued("t1", role: .live)])
    }

    @Test func askAgain_afterTheJournalWritesAgain_isAccepted() {
        var h = Harness.journaling()
        _ = h.commitFails(h.ask("t1", role: .live))
        _ = h.commitSucceeds()
        #expect(sends(h.ask("t1", role: .live)) == [Harness.queued("t1", role: .live)])
    }
}
