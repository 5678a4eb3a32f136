import HelplineBrokerCore
import HelplineWire
import Testing

/// Absent humans: heartbeats, dead consoles, offers nobody picks up, away, leases.
@Suite struct LivenessTests {
    @Test("[R35] ready_heartbeatIsClampedIntoTheBrokerRange") func ready_heartbeatIsClampedIntoTheBrokerRange() {
        var h = Harness()
        #expect(h.ready("fast", console: 1, heartbeat: 100) == [Harness.welcome(to: 1, heartbeat: 250)])
        #expect(h.ready("slow", console: 2, heartbeat: 60_000) == [Harness.welcome(to: 2, heartbeat: 30_000)])
        #expect(h.ready("usual", console: 3, heartbeat: 2_000) == [Harness.welcome(to: 3, heartbeat: 2_000)])
    }

    @Test("[R36], [R37] heartbeat_brokerSendsEveryInterval_workerMessagesKeepItAlive") func heartbeat_brokerSendsEveryInterval_workerMessagesKeepItAlive() {
        var h = Harness()
        h.ready("a", console: 1)
        #expect(h.core.nextTimer == Timestamp(milliseconds: 1_000))
        #expect(h.advance(to: 999) == [])
        #expect(h.advance(to: 1_000) == [Harness.toWorker(Harness.console(1), .heartbeat)])
        h.setClock(1_500)
        #expect(h.send(.heartbeat(presence: .active), from: Harness.console(1)) == [])
        #expect(h.advance(to: 2_000) == [Harness.toWorker(Harness.console(1), .heartbeat)])
        #expect(h.advance(to: 3_000) == [Harness.toWorker(Harness.console(1), .heartbeat)])
        #expect(h.advance(to: 4_000) == [Harness.toWorker(Harness.console(1), .heartbeat)])
        // Silent since 1,500: dead at 1,500 + 3 × 1,000.
        #expect(h.advance(to: 4_499) == [])
        #expect(h.core.worker("a") != nil)
        #expect(h.advance(to: 4_500) == [])
        #expect(h.core.worker("a") == nil)
        #expect(h.status()?.counts["dead_workers"] == 1)
    }

    @Test("[R38], [R41] workerSilentForLivenessTimesInterval_ticketsReofferedAtFront") func workerSilentForLivenessTimesInterval_ticketsReofferedAtFront() {
        var h = Harness()
        h.ready("a", console: 1, capacity: 2)
        h.ready("b", console: 2, capacity: 3)
        #expect(h.ask("t1").last == h.assign("t1", to: 1))
        #expect(h.ask("t2").last == h.assign("t2", to: 2))
        #expect(h.ask("t3").last == h.assign("t3", to: 2))
        #expect(h.ask("t4").last == h.assign("t4", to: 1))
        h.advance(to: 1_000)
        h.advance(to: 2_000)
        h.setClock(2_500)
        h.send(.heartbeat(presence: .active), from: Harness.console(2))
        // a has been silent for 3 s: t1 goes to b at once (its one free slot), t4 waits at
        // the front; then b's heartbeat is due.
        #expect(
            h.advance(to: 3_000) == [
                h.assign("t1", to: 2, age: 3_000, attempt: 2), Harness.toWorker(Harness.console(2), .heartbeat),
            ])
        #expect(h.core.worker("a") == nil)
        #expect(h.core.ticket("t4")?.stage == "waiting")
        #expect(h.ask("t5") == [Harness.queued("t5", position: 1)])
    }

    @Test("[R42] connectionClosed_reoffersAtOnce") func connectionClosed_reoffersAtOnce() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("t1")
        h.ready("b", console: 2)
        h.setClock(10)
        #expect(h.closeConnection(Harness.console(1)) == [h.assign("t1", to: 2, age: 10, attempt: 2)])
        #expect(h.core.worker("a") == nil)
        // A client connection closing changes nothing: its tickets wait for RESUME.
        #expect(h.closeConnection(Harness.client(1)) == [])
        #expect(h.core.ticket("t1")?.stage == "offered")
    }

    @Test("[R43] acceptTimeout_revokesAndSetsWorkerAway") func acceptTimeout_revokesAndSetsWorkerAway() {
        var h = Harness(configuration: BrokerConfiguration(acceptTimeoutMilliseconds: 2_000))
        h.ready("a", console: 1)
        h.ready("b", console: 2)
        #expect(h.ask("t1").last == h.assign("t1", to: 1))
        h.advance(to: 1_000)
        h.send(.heartbeat(presence: .active), from: Harness.console(1))
        h.send(.heartbeat(presence: .active), from: Harness.console(2))
        #expect(
            h.advance(to: 2_000) == [
                Harness.revoke("t1", from: 1, .acceptTimeout), h.assign("t1", to: 2, age: 2_000, attempt: 2),
                Harness.toWorker(Harness.console(1), .heartbeat), Harness.toWorker(Harness.console(2), .heartbeat),
            ])
        #expect(h.core.worker("a")?.presence == .away)
        // Away: a gets nothing new; the ticket waits though a is free.
        #expect(h.ask("t2") == [Harness.queued("t2", position: 0)])
        // The first HEARTBEAT after the REVOKE may have crossed it: it does not count.
        #expect(h.send(.heartbeat(presence: .active), from: Harness.console(1)) == [])
        // The console reports its human back: a takes the waiting ticket.
        #expect(h.send(.heartbeat(presence: .active), from: Harness.console(1)) == [h.assign("t2", to: 1)])
    }

    @Test("[R44] away_keepsItsTicketsButGetsNoNewOnes") func away_keepsItsTicketsButGetsNoNewOnes() {
        var h = Harness()
        h.ready("a", console: 1, capacity: 2)
        h.ask("t1")
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        #expect(h.send(.heartbeat(presence: .away), from: Harness.console(1)) == [])
        #expect(h.ask("t2") == [Harness.queued("t2", position: 0)])
        #expect(h.core.worker("a")?.held == ["t1"])
        let answered = h.send(.answer(Answer(ticket: "t1", decision: .approve)), from: Harness.console(1))
        #expect(answered.count == 1)
        #expect(h.send(.heartbeat(presence: .active), from: Harness.console(1)) == [h.assign("t2", to: 1)])
    }

    @Test("[R45] lease_expiresWithoutExtend_revokedAndRedispatched") func lease_expiresWithoutExtend_revokedAndRedispatched() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("b", console: 2)
        h.ask("t1")
        #expect(
            h.send(.accept(ticket: "t1", leaseMilliseconds: 500), from: Harness.console(1)) == [
                Harness.toClient(Harness.client(1), .assigned(Assigned(ticket: "t1", worker: "a", role: .hila)))
            ])
        h.setClock(400)
        #expect(h.send(.extend(ticket: "t1", leaseMilliseconds: 500), from: Harness.console(1)) == [])
        #expect(h.advance(to: 899) == [])
        #expect(
            h.advance(to: 900) == [Harness.revoke("t1", from: 1, .leaseExpired), h.assign("t1", to: 2, age: 900, attempt: 2)])
    }

    @Test("[R45] acceptedTicket_isHeldWhileTheConsoleLives") func acceptedTicket_isHeldWhileTheConsoleLives() {
        var h = Harness(configuration: BrokerConfiguration(acceptTimeoutMilliseconds: 2_000))
        h.ready("a", console: 1)
        h.ask("t1", maxWait: 3_000)
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        for second in 1...20 {
            h.advance(to: Int64(second) * 1_000)
            h.send(.heartbeat(presence: .active), from: Harness.console(1))
        }
        #expect(h.core.ticket("t1")?.stage == "accepted")
        #expect(h.core.ticket("t1")?.holder == "a")
    }

    @Test("[R33] extend_onOfferedTicket_isForbidden") func extend_onOfferedTicket_isForbidden() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("t1")
        let actions = h.send(.extend(ticket: "t1", leaseMilliseconds: 500), from: Harness.console(1))
        #expect(isSingle(actions, Harness.workerError(.forbidden, id: "t1", command: .extend, to: 1)))
    }
}
