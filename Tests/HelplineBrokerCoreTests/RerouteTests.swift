import HelplineBrokerCore
import HelplineWire
import Testing

/// Automatic reroute to live agents, live dispatch, and the end of live tickets.
@Suite struct RerouteTests {
    @Test("[R46] ask_whenNoHILAHasTheSkill_transfersToLiveQueue") func ask_whenNoHILAHasTheSkill_transfersToLiveQueue() {
        var h = Harness()
        h.ready("en", console: 1, skills: ["en"])
        h.ready("live", console: 2, role: .live)
        #expect(
            h.ask("t1", skills: ["fr"]) == [
                Harness.offeredAck("t1", role: .live),
                h.assign("t1", to: 2, role: .live, skills: ["fr"], transfer: .noHILA),
                Harness.transferred("t1", .noHILA),
            ])
    }

    @Test("[R46], [R51] ask_whenNoHILAAndNoLiveAgent_waitsInTheLiveQueue") func ask_whenNoHILAAndNoLiveAgent_waitsInTheLiveQueue() {
        var h = Harness()
        // QUEUED is the acknowledgment: it comes before anything else about the ticket.
        #expect(h.ask("t1") == [Harness.queued("t1", role: .live, position: 0), Harness.transferred("t1", .noHILA)])
        #expect(h.ask("t2") == [Harness.queued("t2", role: .live, position: 1), Harness.transferred("t2", .noHILA)])
    }

    @Test("[R46] ask_aBusyOrAwayHILAStillCounts_noTransfer") func ask_aBusyOrAwayHILAStillCounts_noTransfer() {
        var h = Harness()
        h.ready("a", console: 1, presence: .away)
        #expect(h.ask("t1") == [Harness.queued("t1", position: 0)])
    }

    @Test("[R47] maxWait_transfersWithReason") func maxWait_transfersWithReason() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("busy")
        #expect(h.ask("t1", maxWait: 500) == [Harness.queued("t1", position: 0)])
        #expect(h.advance(to: 499) == [])
        #expect(h.advance(to: 500) == [Harness.transferred("t1", .maxWait), Harness.queued("t1", role: .live, position: 0)])
        #expect(h.core.ticket("t1")?.role == .live)
    }

    @Test("[R47] maxWait_whileOffered_revokesFromTheHILA") func maxWait_whileOffered_revokesFromTheHILA() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("live", console: 2, role: .live)
        h.ask("t1", maxWait: 500)
        #expect(
            h.advance(to: 500) == [
                Harness.revoke("t1", from: 1, .maxWait), Harness.transferred("t1", .maxWait),
                Harness.offeredAck("t1", role: .live), h.assign("t1", to: 2, role: .live, age: 500, attempt: 2, transfer: .maxWait),
            ])
    }

    @Test("[R47] maxWait_doesNotApplyOnceAHILAAccepted") func maxWait_doesNotApplyOnceAHILAAccepted() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("t1", maxWait: 500)
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        #expect(h.advance(to: 600) == [])
        #expect(h.core.ticket("t1")?.stage == "accepted")
    }

    @Test("[R48], [R53] hilaTransfer_movesToLiveQueueWithItsNote") func hilaTransfer_movesToLiveQueueWithItsNote() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("live", console: 2, role: .live)
        h.ask("t1", skills: [])
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        #expect(
            h.send(.transfer(ticket: "t1", note: "refund over limit"), from: Harness.console(1)) == [
                Harness.transferred("t1", .hila, note: "refund over limit"), Harness.offeredAck("t1", role: .live),
                h.assign("t1", to: 2, role: .live, attempt: 2, transfer: .hila, note: "refund over limit"),
            ])
        #expect(h.core.worker("a")?.load == 0)
    }

    @Test("[R49] lastCapableHILADies_waitingTicketsTransferHilaLost") func lastCapableHILADies_waitingTicketsTransferHilaLost() {
        var h = Harness()
        h.ready("fr", console: 1, skills: ["fr"])
        h.ask("t1", skills: ["fr"])
        h.ask("t2", skills: ["fr"])
        h.ask("t3")
        #expect(
            h.closeConnection(Harness.console(1)) == [
                Harness.transferred("t1", .hilaLost), Harness.queued("t1", role: .live, position: 0),
                Harness.transferred("t2", .hilaLost), Harness.queued("t2", role: .live, position: 1),
                Harness.transferred("t3", .hilaLost), Harness.queued("t3", role: .live, position: 2),
            ])
    }

    @Test("[R49] hilaDies_otherCapableHILAsRemain_ticketsStayWithHILAs") func hilaDies_otherCapableHILAsRemain_ticketsStayWithHILAs() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("b", console: 2)
        h.ask("t1")
        h.ask("t2")
        h.ask("t3")
        #expect(h.closeConnection(Harness.console(1)) == [])
        #expect(h.core.ticket("t1")?.stage == "waiting")
        #expect(h.core.ticket("t1")?.role == .hila)
    }

    @Test("[R49] hilaDies_remainingHILADeclinedTheWaitingTicket_transfersHilaLost") func hilaDies_remainingHILADeclinedTheWaitingTicket_transfersHilaLost() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("b", console: 2)
        h.ask("t1")
        h.ask("t2")
        // b declines t2; a is busy, so t2 waits, declined by b.
        h.send(.decline(ticket: "t2", reason: nil), from: Harness.console(2))
        #expect(h.core.ticket("t2")?.stage == "waiting")
        // a dies: t1 goes to b; t2 was declined by b, the only HILA left.
        #expect(
            h.closeConnection(Harness.console(1)) == [
                h.assign("t1", to: 2, attempt: 2), Harness.transferred("t2", .hilaLost),
                Harness.queued("t2", role: .live, position: 0),
            ])
    }

    @Test("[R52] liveAgentAccept_endsTicketWithAssignedLive") func liveAgentAccept_endsTicketWithAssignedLive() {
        var h = Harness()
        h.ready("lee", console: 1, role: .live)
        #expect(h.ask("t1", role: .live) == [Harness.offeredAck("t1", role: .live), h.assign("t1", to: 1, role: .live, transfer: .requested)])
        let assigned = Harness.toClient(Harness.client(1), .assigned(Assigned(ticket: "t1", worker: "lee", role: .live)))
        #expect(h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1)) == [assigned])
        #expect(h.core.ticket("t1")?.stage == "finished")
        #expect(h.core.worker("lee")?.load == 0)
        #expect(h.send(.resume(tickets: ["t1"]), from: Harness.client(1)) == [assigned])
        #expect(h.advance(to: WireDefaults.deadlineMilliseconds.toInt64 + 1).filter(\.isClientReply) == [])
    }

    @Test("[R29], [R31] liveAgent_cannotAnswerOrTransfer") func liveAgent_cannotAnswerOrTransfer() {
        var h = Harness()
        h.ready("lee", console: 1, role: .live)
        h.ask("t1", role: .live)
        #expect(isSingle(h.send(.answer(Answer(ticket: "t1", decision: .approve)), from: Harness.console(1)), Harness.workerError(.forbidden, id: "t1", command: .answer, to: 1)))
        #expect(isSingle(h.send(.transfer(ticket: "t1", note: nil), from: Harness.console(1)), Harness.workerError(.forbidden, id: "t1", command: .transfer, to: 1)))
    }

    @Test("[R50] liveDispatch_prefersSkilledAgentsThenAnyLiveAgent") func liveDispatch_prefersSkilledAgentsThenAnyLiveAgent() {
        var h = Harness()
        h.ready("generalist", console: 1, role: .live)
        h.ready("spanish", console: 2, role: .live, skills: ["es"])
        #expect(h.ask("t1", skills: ["es"], role: .live).last == h.assign("t1", to: 2, role: .live, skills: ["es"], transfer: .requested))
        #expect(h.ask("t2", skills: ["es"], role: .live).last == h.assign("t2", to: 1, role: .live, skills: ["es"], transfer: .requested))
        #expect(h.ask("t3", skills: ["es"], role: .live) == [Harness.queued("t3", role: .live, position: 0)])
        // Any live agent that frees up takes the head of the live queue.
        let accepted = h.send(.accept(ticket: "t2", leaseMilliseconds: 0), from: Harness.console(1))
        #expect(accepted.last == h.assign("t3", to: 1, role: .live, skills: ["es"], transfer: .requested))
    }

    @Test("[R51], [R54] noLiveAgent_waitsUntilDeadlineThenExpired") func noLiveAgent_waitsUntilDeadlineThenExpired() {
        var h = Harness()
        h.ask("t1", role: .live, deadline: 5_000)
        #expect(h.advance(to: 4_999) == [])
        #expect(h.advance(to: 5_000) == [Harness.toClient(Harness.client(1), .expired(ticket: "t1"))])
    }

    @Test("[R54] deadline_expiresEverywhere") func deadline_expiresEverywhere() {
        var h = Harness()
        h.ready("a", console: 1, capacity: 2)
        h.ready("x", console: 2, skills: ["x"])
        h.ask("tx", skills: ["x"])
        h.ask("t1", deadline: 500)
        h.ask("t2", deadline: 600)
        h.send(.accept(ticket: "t2", leaseMilliseconds: 0), from: Harness.console(1))
        #expect(h.ask("t3", skills: ["x"], deadline: 700) == [Harness.queued("t3", position: 0)])
        #expect(h.advance(to: 500) == [Harness.revoke("t1", from: 1, .expired), Harness.toClient(Harness.client(1), .expired(ticket: "t1"))])
        #expect(h.advance(to: 600) == [Harness.revoke("t2", from: 1, .expired), Harness.toClient(Harness.client(1), .expired(ticket: "t2"))])
        #expect(h.advance(to: 700) == [Harness.toClient(Harness.client(1), .expired(ticket: "t3"))])
        #expect(h.status()?.counts["expired"] == 3)
    }
}

extension Int {
    var toInt64: Int64 { Int64(self) }
}

extension BrokerAction {
    var isClientReply: Bool {
        if case .sendToClient = self { return true }
        return false
    }
}
