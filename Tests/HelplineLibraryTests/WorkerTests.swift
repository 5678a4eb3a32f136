import HelplineClient
import HelplineWire
import HelplineWorker
import Testing

/// HelplineWorker against a scripted fake broker.
@Suite("HelplineWorker ⇄ fake broker", .serialized, .timeLimit(.minutes(1)))
struct WorkerTests {
    let registration = WorkerRegistration(
        name: "ana", role: .hila, skills: ["refunds", "billing"], capacity: 2, heartbeat: .milliseconds(100))

    /// A worker whose READY the broker has answered with WELCOME; returns its connection.
    private func register(_ broker: FakeBroker, _ worker: HelplineWorker, welcome: Welcome = welcome()) async throws -> [UInt8] {
        let ready = try await broker.expect(.ready)
        try broker.send(.welcome(welcome), toWorker: ready.identity)
        #expect(await firstEvent(worker.events) { if case .registered = $0 { true } else { false } } == .registered(welcome))
        return ready.identity
    }

    @Test func ready_carriesTheRegistration_andWelcomeRegisters() async throws {
        let broker = try FakeBroker()
        let worker = try HelplineWorker(endpoint: broker.endpoint, registration: registration, options: fastWorkerOptions())
        defer { worker.close() }
        let ready = try await broker.expect(.ready)
        #expect(ready.worker == .ready(Ready(
            name: "ana", role: .hila, skills: ["refunds", "billing"], capacity: 2, heartbeatMilliseconds: 100, holding: [],
            presence: .active)))
        try broker.send(.welcome(welcome()), toWorker: ready.identity)
        #expect(await firstEvent(worker.events) { if case .registered = $0 { true } else { false } } == .registered(welcome()))
    }

    @Test func assign_thenAcceptAndAnswer_sendsTheExactFrames() async throws {
        let broker = try FakeBroker()
        let worker = try HelplineWorker(endpoint: broker.endpoint, registration: registration, options: fastWorkerOptions())
        defer { worker.close() }
        let connection = try await register(broker, worker)
        let question = AskBody(prompt: "Refund order 1182?").encoded()
        try broker.send(.assign(assign("t-1", options: ["refund", "deny"])), toWorker: connection, body: question)

        let offer = try #require(await next(worker.tickets))
        #expect(offer.id == "t-1")
        #expect(offer.options == ["refund", "deny"])
        #expect(offer.acceptTimeout == .seconds(30))
        #expect(AskBody(decoding: offer.body)?.prompt == "Refund order 1182?")

        try worker.accept(offer.id, lease: .seconds(5))
        let accept = try await broker.expect(.accept)
        #expect(accept.worker == .accept(ticket: "t-1", leaseMilliseconds: 5000))
        let answerBody = AnswerBody(text: "approved, policy 4.2").encoded()
        try worker.answer(offer.id, decision: .option, option: "refund", body: answerBody)
        let answer = try await broker.expect(.answer)
        #expect(answer.worker == .answer(Answer(ticket: "t-1", decision: .option, option: "refund")))
        #expect(answer.body == answerBody)
        #expect(answer.identity == connection)
    }

    @Test func answer_thatBreaksAProtocolRule_throwsInvalidAndSendsNothing() async throws {
        let broker = try FakeBroker()
        let worker = try HelplineWorker(endpoint: broker.endpoint, registration: registration, options: fastWorkerOptions())
        defer { worker.close() }
        #expect(throws: HelplineWorkerError.self) { try worker.answer("t-1", decision: .approve, option: "refund") }
        #expect(throws: HelplineWorkerError.self) { try worker.transfer("t-1", note: String(repeating: "x", count: 1025)) }
        #expect(throws: HelplineWorkerError.self) {
            _ = try HelplineWorker(endpoint: broker.endpoint, registration: WorkerRegistration(name: "", role: .hila))
        }
    }

    @Test func heartbeats_keepFlowing_whileTheHandlerTakesItsTime() async throws {
        let broker = try FakeBroker()
        let worker = try HelplineWorker(endpoint: broker.endpoint, registration: registration, options: fastWorkerOptions())
        let serving = Task {
            await worker.serve { ticket in
                try? await Task.sleep(for: .milliseconds(1500))  // a human thinking
                return .answer(.approve)
            }
        }
        defer {
            // Closing ends the tickets stream, and with it `serve`.
            worker.close()
            serving.cancel()
        }
        let connection = try await register(broker, worker)
        try broker.send(.assign(assign("slow")), toWorker: connection)
        broker.resetCounts()

        // Until the answer arrives (1.5 s of thinking; a busy machine may take longer).
        let received = try await broker.pump(
            until: { $0.last?.command == .answer }, limit: .seconds(10), heartbeatTo: connection, every: .milliseconds(100))
        #expect(received.map(\.command) == [.accept, .answer])
        #expect(received.last?.worker == .answer(Answer(ticket: "slow", decision: .approve)))
        #expect(received.allSatisfy { $0.identity == connection }, "no reconnect while the human thought")
        // At least 1.5 s at 250 ms (the shortest WELCOME interval): about 6; a loaded
        // machine may delay a few.
        #expect(broker.workerHeartbeats.count >= 4)
        #expect(broker.workerHeartbeats.allSatisfy { $0 == .active })
        worker.close()
        await serving.value
    }

    @Test func brokerDisconnect_reRegistersOnANewSocket_holdingItsTickets() async throws {
        let broker = try FakeBroker()
        let worker = try HelplineWorker(endpoint: broker.endpoint, registration: registration, options: fastWorkerOptions())
        defer { worker.close() }
        let first = try await register(broker, worker)
        try broker.send(.assign(assign("h-1")), toWorker: first)
        try broker.send(.assign(assign("h-2")), toWorker: first)
        _ = await next(worker.tickets)
        _ = await next(worker.tickets)
        try worker.accept("h-1")
        _ = try await broker.expect(.accept)

        try broker.send(.disconnect(reason: "restarting"), toWorker: first)
        let ready = try await broker.expect(.ready)
        #expect(ready.identity != first, "a new socket after DISCONNECT")
        guard case .ready(let header)? = ready.worker else { throw FakeBrokerError.missing(.ready) }
        #expect(header.holding == ["h-1", "h-2"])
        let reWelcome = welcome(attached: ["h-1"], dropped: ["h-2"])
        try broker.send(.welcome(reWelcome), toWorker: ready.identity)
        #expect(await firstEvent(worker.events) { $0 == .dropped(ticket: "h-2") } != nil)

        // The dropped ticket is forgotten; the attached one is still the console's.
        try worker.answer("h-2", decision: .approve)
        try worker.answer("h-1", decision: .reject)
        let answer = try await broker.expect(.answer)
        #expect(answer.worker == .answer(Answer(ticket: "h-1", decision: .reject)))
        #expect(answer.identity == ready.identity)
    }

    @Test func brokerSilence_reRegistersOnANewSocket() async throws {
        let broker = try FakeBroker()
        let worker = try HelplineWorker(
            endpoint: broker.endpoint, registration: registration, options: fastWorkerOptions(liveness: 3))
        defer { worker.close() }
        let first = try await register(broker, worker, welcome: welcome(liveness: 3))
        // No heartbeats from the broker: after 3 × 100 ms the worker gives up on it.
        let ready = try await broker.expect(.ready, timeout: .seconds(3))
        #expect(ready.identity != first)
        #expect(await firstEvent(worker.events) { if case .reconnecting = $0 { true } else { false } } != nil)
    }

    @Test func answerLostInABrokerCrash_isSentAgainWhenWelcomeAttachesTheTicket() async throws {
        let broker = try FakeBroker()
        let worker = try HelplineWorker(endpoint: broker.endpoint, registration: registration, options: fastWorkerOptions())
        defer { worker.close() }
        let first = try await register(broker, worker, welcome: welcome(heartbeat: 1000))
        try broker.send(.assign(assign("crash")), toWorker: first)
        _ = await next(worker.tickets)
        try worker.answer("crash", decision: .approve, body: [9, 9])
        _ = try await broker.expect(.answer)

        // The broker restarted before it recorded the answer; the worker learns it from
        // DISCONNECT and lists the recently answered ticket in holding.
        try broker.send(.disconnect(reason: nil), toWorker: first)
        let ready = try await broker.expect(.ready)
        guard case .ready(let header)? = ready.worker else { throw FakeBrokerError.missing(.ready) }
        #expect(header.holding == ["crash"])
        try broker.send(.welcome(welcome(attached: ["crash"])), toWorker: ready.identity)
        let again = try await broker.expect(.answer)
        #expect(again.worker == .answer(Answer(ticket: "crash", decision: .approve)))
        #expect(again.body == [9, 9])
    }

    @Test func revokeAcceptTimeout_reportsTheRevoke_andSetsTheConsoleAway() async throws {
        let broker = try FakeBroker()
        let worker = try HelplineWorker(endpoint: broker.endpoint, registration: registration, options: fastWorkerOptions())
        defer { worker.close() }
        let connection = try await register(broker, worker)
        try broker.send(.assign(assign("slowpoke")), toWorker: connection)
        _ = await next(worker.tickets)
        try broker.send(.revoke(ticket: "slowpoke", reason: .acceptTimeout), toWorker: connection)
        #expect(await firstEvent(worker.events) { if case .revoked = $0 { true } else { false } }
            == .revoked(ticket: "slowpoke", reason: .acceptTimeout))
        #expect(await firstEvent(worker.events) { if case .presenceChanged = $0 { true } else { false } } == .presenceChanged(.away))
        broker.resetCounts()
        _ = try await broker.pump(for: .milliseconds(300), heartbeatTo: connection, every: .milliseconds(100))
        #expect(!broker.workerHeartbeats.isEmpty && broker.workerHeartbeats.allSatisfy { $0 == .away })

        // A revoked ticket is not answered; the human coming back says active.
        try worker.answer("slowpoke", decision: .approve)
        try worker.setPresence(.active)
        let after = try await broker.pump(for: .milliseconds(150), heartbeatTo: connection, every: .milliseconds(100))
        #expect(broker.workerHeartbeats.last == .active)
        #expect(after.isEmpty, "no ANSWER for a revoked ticket")
    }

    @Test func close_sendsDisconnect_andEndsTheStreams() async throws {
        let broker = try FakeBroker()
        let worker = try HelplineWorker(endpoint: broker.endpoint, registration: registration, options: fastWorkerOptions())
        let connection = try await register(broker, worker)
        worker.close()
        let disconnect = try await broker.expect(.disconnect)
        #expect(disconnect.identity == connection)
        #expect(await next(worker.tickets) == nil)
        #expect(throws: HelplineWorkerError.self) { try worker.accept("any") }
    }
}
