import HelplineBrokerCore
import HelplineWire
import Testing

/// What the core journals, and that every record comes before the sends it guards.
@Suite struct JournalRecordTests {
    private let t1 = TicketReference(id: "t1", sequence: 1)

    @Test func journalingOff_emitsNoRecords() {
        var h = Harness()
        h.ready("ana", console: 1)
        #expect(records(h.ask("t1")) == [])
        #expect(records(h.answer("t1", from: 1)) == [])
    }

    @Test func ask_recordsTheTicketWithItsBody_andTheOffer() {
        var h = Harness.journaling()
        h.ready("ana", console: 1)
        h.setClock(5)
        // Records and sends interleave in one step's actions; the loop commits every record
        // of a wake-up before it performs any of its sends.
        let actions = h.send(.ask(Ask(ticket: "t1", skills: [])), body: "question", digest: 42, from: Harness.client(1))
        #expect(
            actions.filter { if case .journal = $0 { true } else { false } } == [
                .journal(.asked(t1, Ask(ticket: "t1"), bodyDigest: 42, client: Harness.client(1), at: Timestamp(milliseconds: 5)), body: "question"),
                .journal(.offered(t1, worker: "ana", attempt: 1, at: Timestamp(milliseconds: 5)), body: nil),
            ])
        #expect(sends(actions) == [Harness.offeredAck("t1"), h.assign("t1", to: 1, body: "question")])
    }

    @Test func acceptAndAnswer_recordTheHolderAndTheOutcomeWithTheAnswerBody() {
        var h = Harness.journaling()
        h.ready("ana", console: 1)
        h.ask("t1")
        h.setClock(100)
        #expect(records(h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))) == [
            .accepted(t1, worker: "ana", at: Timestamp(milliseconds: 100))
        ])
        h.setClock(250)
        let answered = Answered(ticket: "t1", decision: .edit, worker: "ana", elapsedMilliseconds: 250)
        let actions = h.answer("t1", from: 1, decision: .edit, body: "edited")
        #expect(actions.first == .journal(.finished(t1, .answered(answered), at: Timestamp(milliseconds: 250)), body: "edited"))
        #expect(actions.last == Harness.toClient(Harness.client(1), .answered(answered), body: "edited"))
    }

    @Test func decline_recordsTheReleaseWithItsReason_thenTheNextOffer() {
        var h = Harness.journaling()
        h.ready("ana", console: 1)
        h.ready("bea", console: 2)
        h.ask("t1")
        let actions = h.send(.decline(ticket: "t1", reason: "not mine"), from: Harness.console(1))
        #expect(records(actions) == [
            .released(t1, worker: "ana", reason: .declined, note: "not mine", at: .zero),
            .offered(t1, worker: "bea", attempt: 2, at: .zero),
        ])
    }

    @Test func workerDeath_releasesWhatItHeldAsHolderLost() {
        var h = Harness.journaling()
        h.ready("ana", console: 1)
        h.ask("t1")
        #expect(records(h.closeConnection(Harness.console(1))).first == .released(t1, worker: "ana", reason: .holderLost, note: nil, at: .zero))
    }

    @Test func maxWait_recordsTheRevokeAndTheTransfer() {
        var h = Harness.journaling()
        h.ready("ana", console: 1)
        h.ask("t1", maxWait: 1_000)
        let actions = h.advance(to: 1_000)
        #expect(records(actions) == [
            .released(t1, worker: "ana", reason: .maxWait, note: nil, at: Timestamp(milliseconds: 1_000)),
            .transferred(t1, reason: .maxWait, note: nil, worker: nil, at: Timestamp(milliseconds: 1_000)),
        ])
    }

    @Test func hilaTransfer_recordsWhoTransferredItAndTheNote() {
        var h = Harness.journaling()
        h.ready("ana", console: 1)
        h.ask("t1")
        #expect(records(h.send(.transfer(ticket: "t1", note: "VIP"), from: Harness.console(1))) == [
            .transferred(t1, reason: .hila, note: "VIP", worker: "ana", at: .zero)
        ])
    }

    @Test func retention_recordsThePrune() {
        var h = Harness.journaling { $0.retentionMilliseconds = 1_000 }
        h.ask("t1", role: .live)
        h.send(.cancel(ticket: "t1"), from: Harness.client(1))
        #expect(records(h.advance(to: 1_000)) == [.pruned(t1)])
    }
}
