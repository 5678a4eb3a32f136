import HelplineBrokerCore
import HelplineWire
import Testing

/// Rules of 1/HLP where the broker once did something else (found by an implementation
/// written from the spec alone). Each test fails on the old behaviour.
@Suite struct SpecAgreementTests {
    // Ticket Lifecycle: "ASK role hila, max_wait = 0, a capable HILA exists → [WAITING live]".
    @Test func askWithMaxWaitZero_goesStraightToTheLiveQueue_noHILAIsOffered() {
        var h = Harness()
        h.ready("ana", console: 1)
        #expect(
            h.ask("t1", maxWait: 0) == [
                Harness.queued("t1", role: .live, position: 0), Harness.transferred("t1", .maxWait),
            ])
        #expect(h.core.worker("ana")?.held == [])
        // Nothing fires later either: no REVOKE for a ticket the HILA never saw.
        #expect(h.advance(by: 10) == [])
        h.ready("lou", console: 2, role: .live)
        #expect(h.core.ticket("t1")?.holder == "lou")
    }

    @Test func askWithMaxWaitZero_andAFreeLiveAgent_isOfferedToTheLiveAgentOnly() {
        var h = Harness()
        h.ready("ana", console: 1)
        h.ready("lou", console: 2, role: .live)
        #expect(
            h.ask("t1", maxWait: 0) == [
                Harness.offeredAck("t1", role: .live),
                h.assign("t1", to: 2, role: .live, transfer: .maxWait),
                Harness.transferred("t1", .maxWait),
            ])
    }

    // Clients, CANCEL: "CANCELLED to the connection that sent CANCEL and, if different, to
    // the ticket's reply connection."
    @Test func cancelFromAnotherConnection_alsoReachesTheReplyConnection() {
        var h = Harness()
        h.ready("ana", console: 1)
        h.ask("t1", from: Harness.client(1))
        #expect(
            h.send(.cancel(ticket: "t1"), from: Harness.client(2)) == [
                Harness.revoke("t1", from: 1, .cancelled),
                Harness.toClient(Harness.client(2), .cancelled(ticket: "t1")),
                Harness.toClient(Harness.client(1), .cancelled(ticket: "t1")),
            ])
        // From the reply connection itself: one CANCELLED, not two.
        h.ask("t2", from: Harness.client(1))
        #expect(
            h.send(.cancel(ticket: "t2"), from: Harness.client(1)) == [
                Harness.revoke("t2", from: 1, .cancelled), Harness.toClient(Harness.client(1), .cancelled(ticket: "t2")),
            ])
    }

    // Opening and closing: "A READY on a connection that is already registered MUST be
    // answered with ERROR 403; the registration is unchanged."
    @Test func secondReadyOnARegisteredConnection_isForbidden_andChangesNothing() {
        var h = Harness()
        h.ready("ana", console: 1, skills: ["refunds"], capacity: 2)
        let other = h.ready("bo", console: 1, role: .live)
        #expect(isSingle(other, Harness.workerError(.forbidden, command: .ready, to: 1)))
        let same = h.ready("ana", console: 1, capacity: 5)
        #expect(isSingle(same, Harness.workerError(.forbidden, command: .ready, to: 1)))
        #expect(h.core.worker("bo") == nil)
        #expect(h.core.worker("ana")?.capacity == 2)
        #expect(h.core.worker("ana")?.connection == Harness.console(1))
        // Still registered: a ticket reaches it.
        #expect(h.ask("t1", skills: ["refunds"]).last == h.assign("t1", to: 1, skills: ["refunds"]))
    }

    // Dispatch: "ACCEPT is valid only on an offered ticket; ACCEPT on a ticket already
    // accepted is 403."
    @Test func acceptOnAnAcceptedTicket_isForbidden() {
        var h = Harness()
        h.ready("ana", console: 1)
        h.ask("t1")
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        let again = h.send(.accept(ticket: "t1", leaseMilliseconds: 500), from: Harness.console(1))
        #expect(isSingle(again, Harness.workerError(.forbidden, id: "t1", command: .accept, to: 1)))
        // Changed nothing: no lease was armed by it.
        #expect(h.advance(by: 600) == [])
        #expect(h.core.ticket("t1")?.stage == "accepted")
    }

    // Absent humans: the first HEARTBEAT after REVOKE accept-timeout may have crossed it on
    // the wire, so its `active` does not end the away; the next one does.
    @Test func heartbeatCrossingTheAcceptTimeoutRevoke_doesNotEndTheAway() {
        var h = Harness(configuration: BrokerConfiguration(acceptTimeoutMilliseconds: 2_000))
        h.ready("ana", console: 1)
        h.ask("t1")
        h.advance(to: 1_000)
        h.send(.heartbeat(presence: .active), from: Harness.console(1))
        #expect(h.advance(to: 2_000).first == Harness.revoke("t1", from: 1, .acceptTimeout))
        // Sent by the console at 2,000 ms, before it read the REVOKE: arrives just after.
        h.setClock(2_001)
        #expect(h.send(.heartbeat(presence: .active), from: Harness.console(1)) == [])
        #expect(h.core.worker("ana")?.presence == .away)
        // The human shows activity; the console's next HEARTBEAT says so: back to work.
        h.setClock(3_000)
        #expect(h.send(.heartbeat(presence: .active), from: Harness.console(1)) == [h.assign("t1", to: 1, age: 3_000, attempt: 2)])
    }

    @Test func awayAfterTheAcceptTimeout_endsWithAReady() {
        var h = Harness(configuration: BrokerConfiguration(acceptTimeoutMilliseconds: 2_000))
        h.ready("ana", console: 1)
        h.ask("t1")
        h.advance(to: 2_000)
        #expect(h.core.worker("ana")?.presence == .away)
        // A new connection's READY (presence active) is a fresh registration: it counts.
        h.ready("ana", console: 2)
        #expect(h.core.worker("ana")?.presence == .active)
        #expect(h.core.ticket("t1")?.holder == "ana")
    }

    @Test func firstHeartbeatAfterTheRevoke_sayingAway_keepsTheWorkerAway() {
        var h = Harness(configuration: BrokerConfiguration(acceptTimeoutMilliseconds: 2_000))
        h.ready("ana", console: 1)
        h.ask("t1")
        h.advance(to: 2_000)
        #expect(h.send(.heartbeat(presence: .away), from: Harness.console(1)) == [])
        #expect(h.send(.heartbeat(presence: .active), from: Harness.console(1)).count == 1)
        #expect(h.core.worker("ana")?.presence == .active)
    }
}

/// Reroute to live agents, max-wait: "A ticket that comes back to its HILA queue after its
/// max_wait has passed (decline, lease, holder lost) is re-dispatched at once if an eligible
/// HILA exists, and otherwise transfers with max-wait." (Found by the conformance kit.)
@Suite struct MaxWaitOnReturnTests {
    @Test func declinedAfterMaxWait_withNoEligibleHILA_transfersMaxWait() {
        var h = Harness()
        h.ready("ana", console: 1)
        h.ready("bo", console: 2, presence: .away)
        h.ask("t1", maxWait: 1_000)
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        h.advance(to: 2_000)
        #expect(
            h.send(.decline(ticket: "t1", reason: nil), from: Harness.console(1)) == [
                Harness.transferred("t1", .maxWait), Harness.queued("t1", role: .live, position: 0),
            ])
    }

    @Test func declinedAfterMaxWait_withAnEligibleHILA_isOfferedToIt() {
        var h = Harness()
        h.ready("ana", console: 1)
        h.ask("t1", maxWait: 1_000)
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        h.ready("bo", console: 2)
        h.advance(to: 2_000)
        #expect(
            h.send(.decline(ticket: "t1", reason: nil), from: Harness.console(1)) == [
                h.assign("t1", to: 2, age: 2_000, attempt: 2)
            ])
    }

    @Test func declinedBeforeMaxWait_waitsInItsHILAQueue_untilMaxWaitPasses() {
        var h = Harness()
        // Long heartbeats: nobody is declared dead while the clock jumps.
        h.ready("ana", console: 1, heartbeat: 30_000)
        h.ready("bo", console: 2, heartbeat: 30_000, presence: .away)
        h.ask("t1", maxWait: 5_000)
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        h.advance(to: 2_000)
        #expect(h.send(.decline(ticket: "t1", reason: nil), from: Harness.console(1)) == [])
        #expect(h.core.ticket("t1")?.stage == "waiting")
        #expect(h.advance(to: 4_999).filter { if case .sendToClient = $0 { true } else { false } } == [])
        #expect(
            h.advance(to: 5_000).filter { if case .sendToClient = $0 { true } else { false } } == [
                Harness.transferred("t1", .maxWait), Harness.queued("t1", role: .live, position: 0),
            ])
    }
}
