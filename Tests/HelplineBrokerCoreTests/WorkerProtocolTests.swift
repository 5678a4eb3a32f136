import HelplineBrokerCore
import HelplineWire
import Testing

/// The worker side: registration, re-registration, commands out of place, bad input.
@Suite struct WorkerProtocolTests {
    @Test func workerCommandBeforeReady_getsDisconnect() {
        var h = Harness()
        let stranger = Harness.console(7)
        let disconnect = Harness.toWorker(stranger, .disconnect(reason: "not registered: send READY"))
        #expect(h.send(.heartbeat(presence: .active), from: stranger) == [disconnect])
        #expect(h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: stranger) == [disconnect])
        #expect(h.send(.answer(Answer(ticket: "t1", decision: .approve)), from: stranger) == [disconnect])
        // DISCONNECT from a stranger asks for what is already true.
        #expect(h.send(.disconnect, from: stranger) == [])
        #expect(h.status()?.counts["errors"] == 3)
    }

    @Test func answerWithOptionNotOffered_invalid422() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("t1", options: ["yes", "no"])
        let maybe = h.send(.answer(Answer(ticket: "t1", decision: .option, option: "maybe")), from: Harness.console(1))
        #expect(isSingle(maybe, Harness.workerError(.invalid, id: "t1", command: .answer, to: 1)))
        let missing = h.send(.answer(Answer(ticket: "t1", decision: .option)), from: Harness.console(1))
        #expect(isSingle(missing, Harness.workerError(.invalid, id: "t1", command: .answer, to: 1)))
        let stray = h.send(.answer(Answer(ticket: "t1", decision: .approve, option: "yes")), from: Harness.console(1))
        #expect(isSingle(stray, Harness.workerError(.invalid, id: "t1", command: .answer, to: 1)))
        #expect(h.core.ticket("t1")?.stage == "offered")
        let yes = h.send(.answer(Answer(ticket: "t1", decision: .option, option: "yes")), from: Harness.console(1))
        let answered = Answered(ticket: "t1", decision: .option, option: "yes", worker: "a", elapsedMilliseconds: 0)
        #expect(yes == [Harness.toClient(Harness.client(1), .answered(answered))])
    }

    @Test func commandsOnTicketsNotHeld_forbidden403_unknownIds404() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("b", console: 2)
        h.ask("t1")
        let console2 = Harness.console(2)
        #expect(isSingle(h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: console2), Harness.workerError(.forbidden, id: "t1", command: .accept, to: 2)))
        #expect(isSingle(h.send(.answer(Answer(ticket: "t1", decision: .approve)), from: console2), Harness.workerError(.forbidden, id: "t1", command: .answer, to: 2)))
        #expect(isSingle(h.send(.transfer(ticket: "t1", note: nil), from: console2), Harness.workerError(.forbidden, id: "t1", command: .transfer, to: 2)))
        #expect(isSingle(h.send(.extend(ticket: "t1", leaseMilliseconds: 10), from: console2), Harness.workerError(.forbidden, id: "t1", command: .extend, to: 2)))
        #expect(isSingle(h.send(.accept(ticket: "nope", leaseMilliseconds: 0), from: console2), Harness.workerError(.unknownTicket, id: "nope", command: .accept, to: 2)))
        // Finished tickets are held by nobody.
        h.send(.answer(Answer(ticket: "t1", decision: .approve)), from: Harness.console(1))
        #expect(isSingle(h.send(.answer(Answer(ticket: "t1", decision: .approve)), from: Harness.console(1)), Harness.workerError(.forbidden, id: "t1", command: .answer, to: 1)))
        // Other peers never notice.
        #expect(h.status()?.counts["errors"] == 6)
        #expect(h.core.worker("b")?.load == 0)
    }

    @Test func readyWithKnownName_replacesAndReattaches() {
        var h = Harness()
        h.ready("a", console: 1, capacity: 3)
        h.ask("t1")
        h.ask("t2")
        h.ask("t3")
        h.ready("b", console: 2)
        h.send(.accept(ticket: "t1", leaseMilliseconds: 0), from: Harness.console(1))
        // The console reconnects (new connection) holding t1 and t3 and one it invented.
        let actions = h.ready("a", console: 3, capacity: 3, holding: ["t1", "t3", "ghost"])
        #expect(actions == [Harness.welcome(to: 3, attached: ["t1", "t3"], dropped: ["ghost"]), h.assign("t2", to: 2, attempt: 2)])
        #expect(h.core.worker("a")?.connection == Harness.console(3))
        #expect(h.core.worker("a")?.held == ["t1", "t3"])
        #expect(h.core.ticket("t1")?.stage == "accepted")
        // The old connection is forgotten.
        #expect(h.send(.heartbeat(presence: .active), from: Harness.console(1)) == [Harness.toWorker(Harness.console(1), .disconnect(reason: "not registered: send READY"))])
        #expect(h.send(.answer(Answer(ticket: "t1", decision: .approve)), from: Harness.console(3)).count == 1)
    }

    @Test func readyWithKnownName_smallerCapacityAndOtherRole_dropsWhatDoesNotFit() {
        var h = Harness()
        h.ready("a", console: 1, capacity: 2)
        h.ask("t1")
        h.ask("t2")
        h.ready("b", console: 2, capacity: 2)
        // The console reconnects (each READY on a new connection, as the spec requires).
        let actions = h.ready("a", console: 3, capacity: 1, holding: ["t1", "t2"])
        #expect(actions == [Harness.welcome(to: 3, attached: ["t1"], dropped: ["t2"]), h.assign("t2", to: 2, attempt: 2)])
        // As a live agent now: its HILA ticket is dropped and goes back to the HILAs.
        let relive = h.ready("a", console: 4, role: .live, holding: ["t1"])
        #expect(relive == [Harness.welcome(to: 4, dropped: ["t1"]), h.assign("t1", to: 2, attempt: 2)])
    }

    @Test func readyWithAnotherNameOnTheSameConnection_isForbidden_andEndsNothing() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("t1")
        h.ready("b", console: 2)
        let actions = h.ready("c", console: 1)
        #expect(isSingle(actions, Harness.workerError(.forbidden, command: .ready, to: 1)))
        #expect(h.core.worker("a")?.held == ["t1"])
        #expect(h.core.worker("c") == nil)
    }

    @Test func disconnect_redispatchesTicketsAtOnce() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ready("b", console: 2)
        h.ask("t1")
        #expect(h.send(.disconnect, from: Harness.console(1)) == [h.assign("t1", to: 2, attempt: 2)])
        #expect(h.core.worker("a") == nil)
    }

    @Test func ready_beyondMaxWorkers_429() {
        var h = Harness(configuration: BrokerConfiguration(maxWorkers: 1))
        h.ready("a", console: 1)
        #expect(isSingle(h.ready("b", console: 2), Harness.workerError(.tooMany, command: .ready, to: 2)))
        // Re-registering a known name is not a new worker.
        #expect(h.ready("a", console: 3) == [Harness.welcome(to: 3)])
    }

    @Test func ready_invalidCapacity_422() {
        var h = Harness()
        #expect(isSingle(h.ready("a", console: 1, capacity: 0), Harness.workerError(.invalid, command: .ready, to: 1)))
        #expect(h.core.worker("a") == nil)
    }

    @Test func reject_decodingError_errorToSenderOnlyAndCounted() {
        var h = Harness()
        h.ready("a", console: 1)
        let malformed = ErrorReply(code: .malformed, text: "bad header", command: Command.ask.rawValue)
        #expect(h.reject(malformed, signature: .client, from: Harness.client(1)) == [Harness.toClient(Harness.client(1), .error(malformed))])
        let invalid = ErrorReply(code: .invalid, text: "priority as str", command: Command.ready.rawValue)
        #expect(h.reject(invalid, signature: .worker, from: Harness.console(1)) == [Harness.toWorker(Harness.console(1), .error(invalid))])
        #expect(h.status()?.counts["errors"] == 2)
        #expect(h.core.worker("a") != nil)
    }
}
