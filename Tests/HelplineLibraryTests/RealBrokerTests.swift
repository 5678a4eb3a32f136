import HelplineClient
import HelplineTestSupport
import HelplineWire
import HelplineWorker
import Testing

/// Client ⇄ real `helpline broker` process ⇄ worker. The `helpline` binary is found beside
/// the test bundle, or where HELPLINE_BIN points; without one these tests fail.
@Suite("HelplineClient ⇄ real broker ⇄ HelplineWorker", .serialized, .timeLimit(.minutes(1)))
struct RealBrokerTests {
    /// Broker timings: a fast heartbeat so restarts are noticed within a second.
    private let brokerArguments = ["--heartbeat-min-ms", "250", "--liveness", "3"]

    @Test func ask_isOfferedToTheWorker_andItsAnswerComesBackWithTheBody() async throws {
        let broker = try BrokerProcess(arguments: brokerArguments)
        defer { broker.stop() }
        let worker = try HelplineWorker(
            endpoint: broker.endpoint,
            registration: WorkerRegistration(name: "ana", role: .hila, skills: ["refunds"], heartbeat: .milliseconds(250)),
            options: fastWorkerOptions())
        let serving = Task {
            await worker.serve { ticket in
                let question = AskBody(decoding: ticket.body)?.prompt ?? "?"
                return .answer(.edit, body: AnswerBody(text: "re: " + question, edited: ["amount": 30]).encoded())
            }
        }
        defer {
            worker.close()
            serving.cancel()
        }
        #expect(await firstEvent(worker.events) { if case .registered = $0 { true } else { false } } != nil)

        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        let handle = try client.submit(TicketRequest(
            skills: ["refunds"], deadline: .seconds(20), body: AskBody(prompt: "Refund 40?", proposed: ["amount": 40])))
        guard case .answered(let answer) = try await handle.outcome() else {
            Issue.record("expected an answer")
            return
        }
        #expect(answer.decision == .edit)
        #expect(answer.worker == "ana")
        #expect(answer.text == "re: Refund 40?")
        #expect(answer.edited == ["amount": 30])
        let events = await collect(handle.events)
        #expect(events.contains(.assigned(worker: "ana", role: .hila)))
    }

    @Test func brokerRestart_workerReRegisters_clientLearnsTheLostTicket_andNewAsksWork() async throws {
        let broker = try BrokerProcess(arguments: brokerArguments)
        defer { broker.stop() }
        let worker = try HelplineWorker(
            endpoint: broker.endpoint,
            registration: WorkerRegistration(name: "bea", role: .hila, skills: ["billing"], heartbeat: .milliseconds(250)),
            options: fastWorkerOptions())
        defer { worker.close() }
        #expect(await firstEvent(worker.events) { if case .registered = $0 { true } else { false } } != nil)
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }

        // The worker holds the first ticket without answering when the broker dies.
        let lost = try client.submit(TicketRequest(skills: ["billing"], deadline: .seconds(30)))
        let offer = try #require(await next(worker.tickets))
        #expect(offer.id == lost.id)
        try worker.accept(offer.id)

        try await broker.restart()
        // The broker keeps no journal: the worker re-registers and is told to drop the
        // ticket; the client's RESUME draws 404.
        #expect(await firstEvent(worker.events, timeout: .seconds(10)) { $0 == .dropped(ticket: offer.id) } != nil)
        do {
            _ = try await lost.outcome()
            Issue.record("a ticket the restarted broker never knew must fail")
        } catch {
            #expect(error.kind == .unknownTicket)
        }

        let again = try client.submit(TicketRequest(skills: ["billing"], deadline: .seconds(20)))
        let second = try #require(await next(worker.tickets, timeout: .seconds(10)))
        #expect(second.id == again.id)
        try worker.answer(second.id, decision: .approve)
        guard case .answered(let answer) = try await again.outcome() else {
            Issue.record("expected an answer after the restart")
            return
        }
        #expect(answer.decision == .approve)
        #expect(answer.worker == "bea")
    }
}
