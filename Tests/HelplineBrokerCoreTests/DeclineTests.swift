import HelplineBrokerCore
import HelplineWire
import Testing

/// DECLINE: front of its priority, never back to the decliner.
@Suite struct DeclineTests {
    @Test("[R26] decline_putsTicketAtFrontAndNeverBackToDecliner") func decline_putsTicketAtFrontAndNeverBackToDecliner() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("b", console: 2)
        h.ask("t1")
        h.ask("t2")
        #expect(h.ask("t3") == [Harness.queued("t3", position: 0)])
        #expect(h.ask("t4") == [Harness.queued("t4", position: 1)])
        // a declines t1: t1 goes ahead of t3, and a takes t3 instead.
        #expect(h.send(.decline(ticket: "t1", reason: "not mine"), from: Harness.console(1)) == [h.assign("t3", to: 1)])
        #expect(h.core.ticket("t1")?.declinedBy == ["a"])
        // b frees up and takes t1 first: it was put at the front.
        let answered = h.send(.answer(Answer(ticket: "t2", decision: .approve)), from: Harness.console(2))
        #expect(answered.last == h.assign("t1", to: 2, attempt: 2))
        // a frees up: t1 is not waiting any more, and a gets t4, never t1.
        let next = h.send(.answer(Answer(ticket: "t3", decision: .approve)), from: Harness.console(1))
        #expect(next.last == h.assign("t4", to: 1))
    }

    @Test("[R26] decline_goesToTheNextBestWorkerAtOnce") func decline_goesToTheNextBestWorkerAtOnce() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("b", console: 2)
        h.ready("c", console: 3)
        h.ask("t1")
        #expect(h.send(.decline(ticket: "t1", reason: nil), from: Harness.console(1)) == [h.assign("t1", to: 2, attempt: 2)])
        #expect(h.send(.decline(ticket: "t1", reason: nil), from: Harness.console(2)) == [h.assign("t1", to: 3, attempt: 3)])
        #expect(h.core.ticket("t1")?.declinedBy == ["a", "b"])
    }

    @Test("[R24], [R26] decline_whileOthersWait_skipsOnlyTheDeclinedTicket") func decline_whileOthersWait_skipsOnlyTheDeclinedTicket() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("b", console: 2)
        h.ask("t1")
        h.ask("t2")
        h.ask("t3", priority: 1)
        // a declines t1 and takes t3 (higher priority than t1 anyway).
        #expect(h.send(.decline(ticket: "t1", reason: nil), from: Harness.console(1)) == [h.assign("t3", to: 1, priority: 1)])
        // a answers t3: only t1 waits, and a declined it: a stays idle.
        let actions = h.send(.answer(Answer(ticket: "t3", decision: .approve)), from: Harness.console(1))
        #expect(actions.count == 1)
        #expect(h.core.ticket("t1")?.stage == "waiting")
    }

    @Test("[R49] decline_byTheOnlyCapableHILA_transfersHilaLost") func decline_byTheOnlyCapableHILA_transfersHilaLost() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("t1")
        #expect(
            h.send(.decline(ticket: "t1", reason: nil), from: Harness.console(1)) == [
                Harness.transferred("t1", .hilaLost), Harness.queued("t1", role: .live, position: 0),
            ])
    }

    @Test("[R27] decline_ofTicketNotHeld_isForbidden") func decline_ofTicketNotHeld_isForbidden() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("b", console: 2)
        h.ask("t1")
        let actions = h.send(.decline(ticket: "t1", reason: nil), from: Harness.console(2))
        #expect(isSingle(actions, Harness.workerError(.forbidden, id: "t1", command: .decline, to: 2)))
        #expect(h.core.ticket("t1")?.holder == "a")
    }
}
