import HelplineBrokerCore
import HelplineWire
import Testing

/// A restarted broker: tickets come back from the journal in their state, with their age.
/// The harness clock starts at 100,000 ms: tickets were asked before the restart.
@Suite struct RestoreTests {
    private static let restart: Int64 = 100_000

    @Test func waitingTickets_keepTheirOrderAndAge() {
        var h = Harness.journaling(start: Self.restart)
        let summary = h.restore([
            restored("late", sequence: 3, askedAt: 90_000, stage: .waiting(atFront: false, order: 30)),
            restored("early", sequence: 1, askedAt: 80_000, stage: .waiting(atFront: false, order: 10)),
            restored("urgent", sequence: 2, askedAt: 85_000, stage: .waiting(atFront: false, order: 20), priority: 9),
        ])
        #expect(summary.waiting == 3)
        let ages = sends(h.ready("ana", console: 1, capacity: 3)).compactMap { action -> Int? in
            guard case .sendToWorker(_, .assign(let assign), _) = action else { return nil }
            return assign.ageMilliseconds
        }
        #expect(h.core.worker("ana")?.held == ["urgent", "early", "late"])
        #expect(ages == [15_000, 20_000, 10_000])
    }

    @Test func waitingTickets_assignCarriesTheAgeFromTheOriginalAsk() {
        var h = Harness.journaling(start: Self.restart)
        h.restore([restored("t1", sequence: 1, askedAt: 80_000, stage: .waiting(atFront: false, order: 1))])
        let actions = sends(h.ready("ana", console: 1))
        #expect(actions.last == h.assign("t1", to: 1, age: 20_000, deadline: WireDefaults.deadlineMilliseconds))
    }

    @Test func ticketsThatCameBackFromAWorker_stayAheadOfArrivals_latestReturnFirst() {
        var h = Harness.journaling(start: Self.restart)
        h.restore([
            restored("arrived", sequence: 1, askedAt: 90_000, stage: .waiting(atFront: false, order: 1)),
            restored("declined-early", sequence: 2, askedAt: 91_000, stage: .waiting(atFront: true, order: 5), attempts: 1),
            restored("declined-late", sequence: 3, askedAt: 92_000, stage: .waiting(atFront: true, order: 9), attempts: 1),
        ])
        h.ready("ana", console: 1, capacity: 3)
        #expect(h.core.worker("ana")?.held == ["declined-late", "declined-early", "arrived"])
    }

    @Test func heldTicket_isReattachedWhenItsWorkerListsIt_andItsAnswerGoesToTheResumingClient() {
        var h = Harness.journaling(start: Self.restart)
        h.restore([restored("t1", sequence: 1, askedAt: 99_000, stage: .held(by: "ana", accepted: true), attempts: 1, acceptedByHILA: true)])
        #expect(h.core.ticket("t1")?.stage == "reserved")
        #expect(sends(h.ready("ana", console: 1, holding: ["t1", "gone"])) == [Harness.welcome(to: 1, attached: ["t1"], dropped: ["gone"])])
        #expect(h.core.ticket("t1")?.stage == "accepted")
        // The client RESUMEs on its new connection and gets the answer there.
        #expect(sends(h.send(.resume(tickets: ["t1"]), from: Harness.client(2))) == [
            Harness.queued("t1", stage: .accepted, to: Harness.client(2))
        ])
        h.setClock(Self.restart + 500)
        let answered = Answered(ticket: "t1", decision: .approve, worker: "ana", elapsedMilliseconds: 1_500)
        #expect(sends(h.answer("t1", from: 1)) == [Harness.toClient(Harness.client(2), .answered(answered))])
    }

    @Test func heldTicket_whoseWorkerDoesNotComeBack_isRedispatchedWhenTheGraceEnds() {
        var h = Harness.journaling(start: Self.restart)
        h.restore([restored("t1", sequence: 1, askedAt: 99_000, stage: .held(by: "ana", accepted: false), attempts: 1)])
        #expect(sends(h.ready("bea", console: 2)) == [Harness.welcome(to: 2)])
        #expect(h.core.ticket("t1")?.holder == "ana")
        let actions = h.advance(to: Self.restart + 2_000)
        #expect(records(actions).first == .released(TicketReference(id: "t1", sequence: 1), worker: "ana", reason: .holderLost, note: nil, at: Timestamp(milliseconds: Self.restart + 2_000)))
        #expect(sends(actions).contains(h.assign("t1", to: 2, age: 3_000, attempt: 2)))
    }

    @Test func heldTicket_notListedByItsReturningWorker_isRedispatchedAtOnce() {
        var h = Harness.journaling(start: Self.restart)
        h.restore([restored("t1", sequence: 1, askedAt: 99_000, stage: .held(by: "ana", accepted: true), acceptedByHILA: true)])
        let actions = sends(h.ready("ana", console: 1, holding: []))
        #expect(actions == [Harness.welcome(to: 1), h.assign("t1", to: 1, age: 1_000, attempt: 1)])
    }

    @Test func finishedTicket_answersResumeWithItsBody_untilRetentionFromItsFinish() {
        var h = Harness.journaling({ $0.retentionMilliseconds = 60_000 }, start: Self.restart)
        let answered = Answered(ticket: "t1", decision: .answer, worker: "ana", elapsedMilliseconds: 3_000)
        h.restore([
            restored("t1", sequence: 1, askedAt: 50_000, stage: .finished(.answered(answered), at: Timestamp(milliseconds: 53_000)), answerBody: "the answer")
        ])
        #expect(sends(h.send(.resume(tickets: ["t1"]), from: Harness.client(2))) == [
            Harness.toClient(Harness.client(2), .answered(answered), body: "the answer")
        ])
        // A resent ASK with the same content gets the stored outcome, never a second ticket.
        let again = h.send(.ask(Ask(ticket: "t1")), body: "body-t1", digest: 7, from: Harness.client(3))
        #expect(sends(again) == [Harness.toClient(Harness.client(3), .answered(answered), body: "the answer")])
        #expect(records(again) == [])
        // Different content under the same id is a conflict.
        #expect(isSingle(h.send(.ask(Ask(ticket: "t1")), digest: 8, from: Harness.client(3)), Harness.clientError(.conflict, id: "t1", command: .ask, to: Harness.client(3))))
        // Retention counts from the recorded finish (53,000 + 60,000), not from the restart.
        #expect(records(h.advance(to: 112_999)) == [])
        #expect(records(h.advance(to: 113_000)) == [.pruned(TicketReference(id: "t1", sequence: 1))])
        #expect(isSingle(h.send(.resume(tickets: ["t1"]), from: Harness.client(2)), Harness.clientError(.unknownTicket, id: "t1", command: .resume, to: Harness.client(2))))
    }

    @Test func deadlinePassedWhileTheBrokerWasDown_expiresAtTheFirstTick() {
        var h = Harness.journaling(start: Self.restart)
        h.restore([restored("t1", sequence: 1, askedAt: 10_000, stage: .waiting(atFront: false, order: 1), deadline: 60_000)])
        let actions = h.advance(to: Self.restart)
        #expect(records(actions) == [.finished(TicketReference(id: "t1", sequence: 1), .expired, at: Timestamp(milliseconds: Self.restart))])
        #expect(h.core.ticket("t1")?.stage == "finished")
    }

    @Test func hilaTicketWithNoHILA_waitsOutTheGrace_thenMovesToLiveAgentsAsHilaLost() {
        var h = Harness.journaling(start: Self.restart)
        h.restore([restored("t1", sequence: 1, askedAt: 99_000, stage: .waiting(atFront: false, order: 1), skills: ["refunds"])])
        // A new ASK during the grace waits too: HILAs are re-registering.
        #expect(sends(h.ask("t2", skills: ["refunds"])) == [Harness.queued("t2", position: 1)])
        let actions = sends(h.advance(to: Self.restart + 2_000))
        #expect(actions == [
            Harness.transferred("t1", .hilaLost, to: .init(raw: 0)), Harness.queued("t1", role: .live, to: .init(raw: 0)),
            Harness.transferred("t2", .hilaLost), Harness.queued("t2", role: .live, position: 1),
        ])
    }

    @Test func hilaTicket_isServedByAHILAThatRegistersDuringTheGrace() {
        var h = Harness.journaling(start: Self.restart)
        h.restore([restored("t1", sequence: 1, askedAt: 99_000, stage: .waiting(atFront: false, order: 1), skills: ["refunds"])])
        #expect(sends(h.ready("ana", console: 1, skills: ["refunds"])).last == h.assign("t1", to: 1, skills: ["refunds"], age: 1_000))
        #expect(sends(h.advance(to: Self.restart + 2_000)) == [Harness.toWorker(Harness.console(1), .heartbeat)])
        #expect(h.core.ticket("t1")?.stage == "offered")
    }

    @Test func sameIDTwice_keepsTheNewestTicket_andPrunesTheOlder() {
        var h = Harness.journaling(start: Self.restart)
        let summary = h.restore([
            restored("t1", sequence: 4, askedAt: 99_000, stage: .waiting(atFront: false, order: 4)),
            restored("t1", sequence: 2, askedAt: 10_000, stage: .finished(.cancelled, at: Timestamp(milliseconds: 11_000))),
        ])
        #expect(summary.skipped == ["t1"])
        #expect(h.core.ticket("t1")?.stage == "waiting")
        // The superseded ticket's history is pruned from the journal.
        #expect(records(h.core.takeActions()) == [.pruned(TicketReference(id: "t1", sequence: 2))])
    }

    @Test func newTickets_afterARestore_getSequenceNumbersAboveEveryRestoredOne() {
        var h = Harness.journaling(start: Self.restart)
        h.restore([restored("old", sequence: 41, askedAt: 99_000, stage: .waiting(atFront: false, order: 41), role: .live)])
        _ = h.core.takeActions()
        let asked = records(h.ask("new", role: .live)).first
        #expect(asked?.ticket == TicketReference(id: "new", sequence: 42))
    }
}
