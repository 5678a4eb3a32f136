import HelplineBrokerCore
import HelplineWire
import Testing

/// The client side: acknowledgments, idempotent ASK, CANCEL, RESUME, STATUS, quotas, retention.
@Suite struct ClientTests {
    @Test func answer_reachesTheClientWithTheWorkersBody() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("t1", options: ["refund", "replace"], body: "prompt")
        #expect(h.core.worker("a")?.held == ["t1"])
        h.setClock(1_234)
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        let answer = Answer(ticket: "t1", decision: .option, option: "refund")
        let answered = Answered(ticket: "t1", decision: .option, option: "refund", worker: "a", elapsedMilliseconds: 1_234)
        #expect(h.send(.answer(answer), body: "done", from: Harness.console(1)) == [Harness.toClient(Harness.client(1), .answered(answered), body: "done")])
    }

    @Test func answerOnOfferedTicket_isAnImplicitAccept_noAssigned() {
        var h = Harness()
        h.ready("bot", console: 1)
        h.ask("t1")
        let actions = h.send(.answer(Answer(ticket: "t1", decision: .answer)), body: "42", from: Harness.console(1))
        let answered = Answered(ticket: "t1", decision: .answer, worker: "bot", elapsedMilliseconds: 0)
        #expect(actions == [Harness.toClient(Harness.client(1), .answered(answered), body: "42")])
    }

    @Test func cancel_revokesFromHolder() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("t1")
        h.ask("t2")
        #expect(
            h.send(.cancel(ticket: "t1"), from: Harness.client(1)) == [
                Harness.revoke("t1", from: 1, .cancelled), Harness.toClient(Harness.client(1), .cancelled(ticket: "t1")),
                h.assign("t2", to: 1),
            ])
    }

    @Test func cancel_ofWaitingTicket_finishedTicketAndUnknownTicket() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("t1")
        h.ask("t2")
        let cancelled = Harness.toClient(Harness.client(2), .cancelled(ticket: "t2"))
        // The asking connection (client 1) is told too.
        #expect(
            h.send(.cancel(ticket: "t2"), from: Harness.client(2)) == [
                cancelled, Harness.toClient(Harness.client(1), .cancelled(ticket: "t2")),
            ])
        // Cancelling again resends the outcome; an unknown id is 404.
        #expect(h.send(.cancel(ticket: "t2"), from: Harness.client(2)) == [cancelled])
        #expect(isSingle(h.send(.cancel(ticket: "nope"), from: Harness.client(2)), Harness.clientError(.unknownTicket, id: "nope", command: .cancel, to: Harness.client(2))))
        // An answered ticket cannot be cancelled: CANCEL gets its answer again.
        h.send(.answer(Answer(ticket: "t1", decision: .approve)), body: "ok", from: Harness.console(1))
        let replay = h.send(.cancel(ticket: "t1"), from: Harness.client(1))
        let answered = Answered(ticket: "t1", decision: .approve, worker: "a", elapsedMilliseconds: 0)
        #expect(replay == [Harness.toClient(Harness.client(1), .answered(answered), body: "ok")])
    }

    @Test func askSameIdSameContent_returnsState() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("busy")
        h.ask("t0")
        #expect(h.ask("t1") == [Harness.queued("t1", position: 1)])
        #expect(h.ask("t1") == [Harness.queued("t1", position: 1)])
        #expect(h.core.ticketCount == 3)
        // From another connection: it gets the state, and the replies from now on.
        #expect(h.ask("t1", from: Harness.client(2)) == [Harness.queued("t1", position: 1, to: Harness.client(2))])
        h.send(.cancel(ticket: "t0"), from: Harness.client(1))
        let answered = h.send(.answer(Answer(ticket: "busy", decision: .approve)), from: Harness.console(1))
        #expect(answered.last == h.assign("t1", to: 1))
        let done = h.send(.answer(Answer(ticket: "t1", decision: .reject)), body: "no", from: Harness.console(1))
        #expect(done == [Harness.toClient(Harness.client(2), .answered(Answered(ticket: "t1", decision: .reject, worker: "a", elapsedMilliseconds: 0)), body: "no")])
        // Asked again once answered: the stored outcome, body included.
        let stored = Answered(ticket: "t1", decision: .reject, worker: "a", elapsedMilliseconds: 0)
        #expect(h.ask("t1") == [Harness.toClient(Harness.client(1), .answered(stored), body: "no")])
    }

    @Test func askSameIdOtherContent_conflict409() {
        var h = Harness()
        h.ask("t1", skills: ["a", "b"])
        #expect(h.ask("t1", skills: ["b", "a", "a"]).count == 2)
        #expect(isSingle(h.ask("t1", priority: 5), Harness.clientError(.conflict, id: "t1", command: .ask)))
        #expect(isSingle(h.ask("t1", skills: ["a"]), Harness.clientError(.conflict, id: "t1", command: .ask)))
        let digestA = Ask(ticket: "d1")
        h.send(.ask(digestA), body: "x", digest: 1, from: Harness.client(1))
        #expect(isSingle(h.send(.ask(digestA), body: "y", digest: 2, from: Harness.client(1)), Harness.clientError(.conflict, id: "d1", command: .ask)))
        #expect(h.send(.ask(digestA), body: "x", digest: 1, from: Harness.client(1)).count == 2)
        #expect(h.status()?.counts["errors"] == 3)
    }

    @Test func resume_movesRepliesToNewConnection() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("t1", from: Harness.client(1))
        let client2 = Harness.client(2)
        let actions = h.send(.resume(tickets: ["t1", "gone"]), from: client2)
        #expect(actions.count == 2)
        #expect(actions.first == Harness.queued("t1", stage: .offered, position: 0, to: client2))
        #expect(Harness.clientError(.unknownTicket, id: "gone", command: .resume, to: client2)(actions[1]))
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        #expect(h.send(.resume(tickets: ["t1"]), from: client2) == [Harness.queued("t1", stage: .accepted, position: 0, to: client2)])
        let answered = h.send(.answer(Answer(ticket: "t1", decision: .approve)), from: Harness.console(1))
        guard case .sendToClient(let connection, .answered, _)? = answered.first else {
            Issue.record("no ANSWERED")
            return
        }
        #expect(connection == client2)
    }

    @Test func resume_ofTransferredTicket_reportsTransferredThenQueued() {
        var h = Harness()
        h.ask("t1")
        h.ask("t2")
        #expect(
            h.send(.resume(tickets: ["t2"]), from: Harness.client(3)) == [
                Harness.transferred("t2", .noHILA, to: Harness.client(3)),
                Harness.queued("t2", role: .live, position: 1, to: Harness.client(3)),
            ])
        h.ask("t3", role: .live)
        #expect(h.send(.resume(tickets: ["t3"]), from: Harness.client(1)) == [Harness.queued("t3", role: .live, position: 2)])
    }

    @Test func status_reportsQueuesWorkersAndCounts() {
        var h = Harness(start: 1_000)
        h.ready("zed", console: 1, skills: ["fr", "en"], capacity: 2)
        h.ready("amy", console: 2, skills: ["en"], presence: .away)
        h.ask("t1", skills: ["fr"])
        h.ask("t2", skills: ["en"])
        h.setClock(1_500)
        h.ask("t3", skills: ["en"])
        h.ask("t4", skills: ["fr"])
        h.ask("t5", skills: ["de"])
        h.setClock(2_000)
        let report = h.status()
        #expect(report?.uptimeMilliseconds == 1_000)
        #expect(
            report?.queues == [
                Report.Queue(role: .hila, skills: ["en"], waiting: 1, oldestMilliseconds: 500),
                Report.Queue(role: .hila, skills: ["fr"], waiting: 1, oldestMilliseconds: 500),
                Report.Queue(role: .live, skills: ["de"], waiting: 1, oldestMilliseconds: 500),
            ])
        #expect(
            report?.workers == [
                Report.Worker(name: "amy", role: .hila, skills: ["en"], load: 0, capacity: 1, presence: .away),
                Report.Worker(name: "zed", role: .hila, skills: ["fr", "en"], load: 2, capacity: 2, presence: .active),
            ])
        #expect(report?.counts["waiting"] == 3)
        #expect(report?.counts["offered"] == 2)
        #expect(report?.counts["transferred"] == 1)
        #expect(report?.counts["waiting_live"] == 1)
        #expect(report?.counts["workers"] == 2)
        #expect(report?.counts["errors"] == 0)
    }

    @Test func heartbeat_clientGetsHeartbeat() {
        var h = Harness()
        #expect(h.send(.heartbeat, from: Harness.client(4)) == [Harness.toClient(Harness.client(4), .heartbeat)])
    }

    @Test func limits_openTicketsPerClientAndInTotal_429() {
        var h = Harness(configuration: BrokerConfiguration(maxOpenTicketsPerClient: 2, maxWaitingTickets: 3))
        h.ask("t1")
        h.ask("t2")
        #expect(isSingle(h.ask("t3"), Harness.clientError(.tooMany, id: "t3", command: .ask)))
        h.ask("t4", from: Harness.client(2))
        #expect(isSingle(h.ask("t5", from: Harness.client(3)), Harness.clientError(.tooMany, id: "t5", command: .ask, to: Harness.client(3))))
        // A finished ticket frees its place.
        h.send(.cancel(ticket: "t1"), from: Harness.client(1))
        #expect(h.ask("t3").count == 2)
    }

    @Test func ask_outOfRangeFields_invalid422() {
        var h = Harness()
        #expect(isSingle(h.ask("t1", priority: 12), Harness.clientError(.invalid, id: "t1", command: .ask)))
        #expect(isSingle(h.ask("t2", options: ["a", "a"]), Harness.clientError(.invalid, id: "t2", command: .ask)))
        #expect(isSingle(h.ask("t3", deadline: 0), Harness.clientError(.invalid, id: "t3", command: .ask)))
        #expect(h.core.ticketCount == 0)
    }

    @Test func ask_whenTheSkillTableIsFull_tooMany429_untilSkillsAreFreed() {
        var h = Harness()
        for number in 0..<512 {
            h.core.receive(.ask(Ask(ticket: "t\(number)", skills: ["s\(number)"])), body: nil, from: Harness.client(1), now: h.now)
        }
        _ = h.core.takeActions()
        #expect(BrokerInvariants.violations(of: h.core) == [])
        // 512 distinct skills are held by open tickets: a 513th name does not fit.
        #expect(isSingle(h.ask("one-more", skills: ["s512"]), Harness.clientError(.tooMany, id: "one-more", command: .ask)))
        // Known skills still work.
        #expect(h.ask("known", skills: ["s7"]).count == 2)
        // A finished ticket lets its skill go (once its idle requirements are evicted).
        h.send(.cancel(ticket: "t0"), from: Harness.client(1))
        #expect(h.ask("one-more", skills: ["s512"]).count == 2)
        #expect(h.status()?.counts["errors"] == 1)
    }

    @Test func retention_prunesFinishedTicketsAndMemoryStaysFlat() {
        var h = Harness(configuration: BrokerConfiguration(retentionMilliseconds: 10_000))
        h.ready("bot", console: 1, heartbeat: 30_000)
        h.ask("t1")
        h.send(.answer(Answer(ticket: "t1", decision: .approve)), body: "b", from: Harness.console(1))
        #expect(h.core.nextTimer == Timestamp(milliseconds: 10_000))
        h.advance(to: 9_999)
        #expect(h.core.ticket("t1")?.stage == "finished")
        h.advance(to: 10_000)
        #expect(h.core.ticket("t1") == nil)
        #expect(isSingle(h.send(.resume(tickets: ["t1"]), from: Harness.client(1)), Harness.clientError(.unknownTicket, id: "t1", command: .resume)))
        // A long run of tickets with fresh skill sets, driven straight (invariants every
        // 100 rounds): tickets, requirements and timers stay bounded.
        let bot = Harness.console(1)
        for round in 0..<3_000 {
            let now = Timestamp(milliseconds: 10_000 + Int64(round) * 20)
            h.core.receive(.heartbeat(presence: .active), body: nil, from: bot, now: now)
            // Odd rounds need a skill no HILA has: transferred, they expire after 2 s.
            let ask = Ask(ticket: "r\(round)", skills: round % 2 == 0 ? [] : ["s\(round % 700)"], deadlineMilliseconds: 2_000)
            h.core.receive(.ask(ask), body: "b", from: Harness.client(1), now: now)
            if h.core.ticket("r\(round)")?.stage == "offered" {
                h.core.receive(.answer(Answer(ticket: "r\(round)", decision: .approve)), body: nil, from: bot, now: now)
            }
            h.core.tick(now: now)
            _ = h.core.takeActions()
            if round % 100 == 0 { #expect(BrokerInvariants.violations(of: h.core) == []) }
        }
        #expect(h.core.ticketCount <= 600)
        #expect(h.core.timerEntryCount < 3_000)
        #expect(h.core.requirementCount < 1_100)
    }
}

@Suite struct ActionBufferTests {
    struct Refused: Error {}

    @Test func drainActions_keepsWhatWasNotPerformedWhenItThrows() {
        var core = HelplineBrokerCore<String>(now: .zero)
        core.receive(.heartbeat, body: nil, from: ConnectionID(raw: 1), now: .zero)
        core.receive(.heartbeat, body: nil, from: ConnectionID(raw: 2), now: .zero)
        var seen: [BrokerAction<String>] = []
        #expect(throws: Refused.self) {
            try core.drainActions { action in
                if !seen.isEmpty { throw Refused() }
                seen.append(action)
            }
        }
        #expect(core.takeActions() == [.sendToClient(ConnectionID(raw: 2), .heartbeat, body: nil)])
        #expect(core.takeActions() == [])
    }
}
