import HelplineBrokerCore
import HelplineWire
import Testing

/// With keys, a ticket belongs to the key that asked it: another key can neither see it
/// (RESUME, a repeated ASK) nor cancel it, and is told nothing about it.
@Suite struct TicketOwnershipTests {
    @Test func resumeUnderAnotherKey_isUnknown_underTheSameKey_movesTheRepliesThere() {
        var h = Harness()
        h.ask("t1", role: .live, body: "card 4242", from: Harness.client(1), owner: "agent-7")
        let stranger = h.send(.resume(tickets: ["t1"]), from: Harness.client(2), owner: "agent-9")
        #expect(isSingle(stranger, Harness.clientError(.unknownTicket, id: "t1", command: .resume, to: Harness.client(2))))
        let anonymous = h.send(.resume(tickets: ["t1"]), from: Harness.client(3))
        #expect(isSingle(anonymous, Harness.clientError(.unknownTicket, id: "t1", command: .resume, to: Harness.client(3))))
        // The owner, reconnected: the state, and from now on the replies, come to it.
        let owner = h.send(.resume(tickets: ["t1"]), from: Harness.client(4), owner: "agent-7")
        #expect(owner == [Harness.queued("t1", role: .live, to: Harness.client(4))])
        let answered = h.ready("lee", console: 1, role: .live)
        #expect(answered.contains { if case .sendToWorker(_, .assign, "card 4242") = $0 { true } else { false } })
    }

    @Test func cancelUnderAnotherKey_isUnknown_andTheTicketStaysOpen() {
        var h = Harness()
        h.ask("t1", role: .live, owner: "agent-7")
        let stranger = h.send(.cancel(ticket: "t1"), from: Harness.client(2), owner: "agent-9")
        #expect(isSingle(stranger, Harness.clientError(.unknownTicket, id: "t1", command: .cancel, to: Harness.client(2))))
        #expect(h.core.ticket("t1")?.stage == "waiting")
        let owner = h.send(.cancel(ticket: "t1"), from: Harness.client(1), owner: "agent-7")
        #expect(owner.contains(Harness.toClient(Harness.client(1), .cancelled(ticket: "t1"))))
        #expect(h.core.ticket("t1")?.stage == "finished")
    }

    @Test func repeatedAskUnderAnotherKey_isAConflict_underTheSameKey_getsTheState() {
        var h = Harness()
        h.ask("t1", role: .live, owner: "agent-7")
        let stranger = h.ask("t1", role: .live, from: Harness.client(2), owner: "agent-9")
        #expect(isSingle(stranger, Harness.clientError(.conflict, id: "t1", command: .ask, to: Harness.client(2))))
        let owner = h.ask("t1", role: .live, from: Harness.client(3), owner: "agent-7")
        #expect(owner == [Harness.queued("t1", role: .live, to: Harness.client(3))])
    }
}
