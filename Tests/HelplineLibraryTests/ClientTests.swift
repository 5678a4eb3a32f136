import HelplineClient
import HelplineWire
import Testing

/// HelplineClient against a scripted fake broker: each test reads like the wire.
@Suite("HelplineClient ⇄ fake broker", .serialized, .timeLimit(.minutes(1)))
struct ClientTests {
    @Test func ask_whenQueuedAssignedAndAnswered_returnsTheAnswerAfterItsEvents() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        let body = AskBody(prompt: "Refund order 1182?", customer: ["tier": "gold"], proposed: ["amount": 40])
        let handle = try client.submit(
            TicketRequest(id: "t-1", skills: ["refunds"], options: ["refund", "deny"], deadline: .seconds(20), body: body))

        let ask = try await broker.expect(.ask)
        #expect(ask.client == .ask(Ask(ticket: "t-1", skills: ["refunds"], options: ["refund", "deny"], deadlineMilliseconds: 20_000)))
        #expect(AskBody(decoding: ask.body) == body)
        try broker.send(.queued(Queued(ticket: "t-1", role: .hila, stage: .waiting, position: 2)), toClient: ask.identity)
        try broker.send(.assigned(Assigned(ticket: "t-1", worker: "ana", role: .hila)), toClient: ask.identity)
        let answerBody = AnswerBody(text: "ok, refund it").encoded()
        try broker.send(
            .answered(Answered(ticket: "t-1", decision: .option, option: "refund", worker: "ana", elapsedMilliseconds: 1500)),
            toClient: ask.identity, body: answerBody)

        let outcome = try await handle.outcome()
        #expect(outcome == .answered(HumanAnswer(decision: .option, option: "refund", body: answerBody, worker: "ana", elapsed: .milliseconds(1500))))
        if case .answered(let answer) = outcome { #expect(answer.text == "ok, refund it") }
        let events = await collect(handle.events)
        #expect(events == [.queued(role: .hila, stage: .waiting, position: 2), .assigned(worker: "ana", role: .hila)])
    }

    @Test func ask_manyConcurrentAsksOverOneConnection_eachGetsItsOwnOutcome() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        let ids = (0..<20).map { "c-\($0)" }

        try await withThrowingTaskGroup(of: (String, Outcome).self) { group in
            for id in ids {
                group.addTask { (id, try await client.ask(TicketRequest(id: id, deadline: .seconds(20)))) }
            }
            var asks: [FakeBroker.Inbound] = []
            for _ in ids { asks.append(try await broker.expect(.ask)) }
            #expect(Set(asks.map(\.identity)).count == 1, "one connection carries every ask")
            // Answer in reverse order: outcomes are matched by id, not by arrival.
            for ask in asks.reversed() {
                guard case .ask(let header)? = ask.client else { continue }
                try broker.send(.queued(Queued(ticket: header.ticket, role: .hila, position: 0)), toClient: ask.identity)
                try broker.send(
                    .answered(Answered(ticket: header.ticket, decision: .approve, worker: "w-" + header.ticket, elapsedMilliseconds: 1)),
                    toClient: ask.identity)
            }
            var outcomes: [String: Outcome] = [:]
            for try await (id, outcome) in group { outcomes[id] = outcome }
            for id in ids {
                guard case .answered(let answer)? = outcomes[id] else {
                    Issue.record("\(id): \(String(describing: outcomes[id]))")
                    continue
                }
                #expect(answer.worker == "w-" + id)
            }
        }
    }

    @Test func cancel_sendsCancel_andTheAskEndsCancelled() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        let handle = try client.submit(TicketRequest(id: "t-cancel", deadline: .seconds(20)))
        let ask = try await broker.expect(.ask)
        try broker.send(.queued(Queued(ticket: "t-cancel", role: .hila, position: 0)), toClient: ask.identity)

        handle.cancel()
        let cancel = try await broker.expect(.cancel)
        #expect(cancel.client == .cancel(ticket: "t-cancel"))
        try broker.send(.cancelled(ticket: "t-cancel"), toClient: cancel.identity)
        #expect(try await handle.outcome() == .cancelled)
    }

    @Test func ask_whenItsTaskIsCancelled_cancelsTheTicketAtTheBroker() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        let task = Task { try await client.ask(TicketRequest(id: "t-task", deadline: .seconds(20))) }
        let ask = try await broker.expect(.ask)
        try broker.send(.queued(Queued(ticket: "t-task", role: .hila, position: 0)), toClient: ask.identity)

        task.cancel()
        let cancel = try await broker.expect(.cancel)
        #expect(cancel.client == .cancel(ticket: "t-task"))
        try broker.send(.cancelled(ticket: "t-task"), toClient: cancel.identity)
        #expect(try await task.value == .cancelled)
    }

    @Test func ask_whenTransferredThenTakenOver_reportsTheTransferAndTheLiveAgent() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        let handle = try client.submit(TicketRequest(id: "t-live", deadline: .seconds(20)))
        let ask = try await broker.expect(.ask)
        try broker.send(.queued(Queued(ticket: "t-live", role: .hila, position: 0)), toClient: ask.identity)
        try broker.send(.assigned(Assigned(ticket: "t-live", worker: "ana", role: .hila)), toClient: ask.identity)
        try broker.send(.transferred(Transferred(ticket: "t-live", reason: .hila, note: "angry customer")), toClient: ask.identity)
        try broker.send(.queued(Queued(ticket: "t-live", role: .live, position: 0)), toClient: ask.identity)
        try broker.send(.assigned(Assigned(ticket: "t-live", worker: "bob", role: .live)), toClient: ask.identity)

        #expect(try await handle.outcome() == .takenOver(by: "bob"))
        #expect(await collect(handle.events) == [
            .queued(role: .hila, stage: .waiting, position: 0), .assigned(worker: "ana", role: .hila),
            .transferred(reason: .hila, note: "angry customer"), .queued(role: .live, stage: .waiting, position: 0),
        ])
    }

    @Test func brokerRestart_clientResumesOpenTickets_andGetsEachOutcomeOnce() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        let handles = try ["r-a", "r-b", "r-c"].map { try client.submit(TicketRequest(id: $0, deadline: .seconds(20))) }
        var connection: [UInt8] = []
        for _ in handles {
            let ask = try await broker.expect(.ask)
            guard case .ask(let header)? = ask.client else { continue }
            connection = ask.identity
            try broker.send(.queued(Queued(ticket: header.ticket, role: .hila, position: 0)), toClient: ask.identity)
        }
        // Acknowledged before the restart, so RESUME (not a repeated ASK) recovers them.
        for handle in handles { #expect(await next(handle.events) != nil) }
        try broker.send(.answered(Answered(ticket: "r-a", decision: .approve, worker: "ana", elapsedMilliseconds: 1)), toClient: connection)
        #expect(try await handles[0].outcome() == .answered(HumanAnswer(decision: .approve, worker: "ana", elapsed: .milliseconds(1))))

        try await broker.restart()
        let resume = try await broker.expect(.resume)
        #expect(resume.client == .resume(tickets: ["r-b", "r-c"]), "only open tickets, once each")
        // The restarted broker repeats r-a's outcome and r-c's twice; each counts once.
        try broker.send(.answered(Answered(ticket: "r-a", decision: .reject, worker: "zed", elapsedMilliseconds: 2)), toClient: resume.identity)
        try broker.send(.answered(Answered(ticket: "r-b", decision: .approve, worker: "bea", elapsedMilliseconds: 3)), toClient: resume.identity)
        try broker.send(.expired(ticket: "r-c"), toClient: resume.identity)
        try broker.send(.cancelled(ticket: "r-c"), toClient: resume.identity)

        #expect(try await handles[0].outcome() == .answered(HumanAnswer(decision: .approve, worker: "ana", elapsed: .milliseconds(1))))
        #expect(try await handles[1].outcome() == .answered(HumanAnswer(decision: .approve, worker: "bea", elapsed: .milliseconds(3))))
        #expect(try await handles[2].outcome() == .expired)
    }

    @Test func resume_whenTheRestartedBrokerLostTheTicket_failsTheAskWithUnknownTicket() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        let handle = try client.submit(TicketRequest(id: "lost-1", deadline: .seconds(20)))
        let ask = try await broker.expect(.ask)
        try broker.send(.queued(Queued(ticket: "lost-1", role: .hila, position: 0)), toClient: ask.identity)
        #expect(await next(handle.events) != nil)  // acknowledged before the restart

        try await broker.restart()
        let resume = try await broker.expect(.resume)
        try broker.send(
            .error(ErrorReply(code: .unknownTicket, text: "unknown ticket", ticket: "lost-1", command: Command.resume.rawValue)),
            toClient: resume.identity)
        await #expect(throws: HelplineClientError.self) { try await handle.outcome() }
        do {
            _ = try await handle.outcome()
        } catch {
            #expect(error.kind == .unknownTicket)
            #expect(error.reply?.code == .unknownTicket)
        }
    }

    @Test func brokerSilence_clientReconnectsOnANewSocket_andResumes() async throws {
        let broker = try FakeBroker()
        // 1 s of silence: well inside the 5 s the script waits for the RESUME.
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions(liveness: 10))
        defer { client.close() }
        let handle = try client.submit(TicketRequest(id: "s-1", deadline: .seconds(20)))
        let ask = try await broker.expect(.ask)
        try broker.send(.queued(Queued(ticket: "s-1", role: .hila, position: 0)), toClient: ask.identity)
        #expect(await next(handle.events) != nil)

        // A frozen broker: the socket is up, nothing answers heartbeats.
        broker.answersClientHeartbeats = false
        var resume = try await broker.expect(.resume)
        #expect(resume.identity != ask.identity, "a new socket, so a new connection")
        #expect(resume.client == .resume(tickets: ["s-1"]))
        broker.answersClientHeartbeats = true
        // A busy machine can hold this script past the new socket's silence window too; the
        // client then RESUMEs on yet another socket. Each RESUME is answered (on the socket it
        // came from) until the client is quiet, so the outcome reaches whichever is current.
        while true {
            try broker.send(.answered(Answered(ticket: "s-1", decision: .approve, worker: "ana", elapsedMilliseconds: 9)), toClient: resume.identity)
            guard let again = try await broker.receive(timeout: .seconds(2)), again.command == .resume else { break }
            #expect(again.client == .resume(tickets: ["s-1"]))
            resume = again
        }
        #expect(try await handle.outcome() == .answered(HumanAnswer(decision: .approve, worker: "ana", elapsed: .milliseconds(9))))
    }

    @Test func ask_whenNoReplyNamesIt_isSentAgainUnchanged() async throws {
        let broker = try FakeBroker()
        var options = fastClientOptions()
        options.acknowledgmentTimeout = .milliseconds(200)
        let client = try HelplineClient(endpoint: broker.endpoint, options: options)
        defer { client.close() }
        let handle = try client.submit(TicketRequest(id: "lost-ask", deadline: .seconds(20), body: [1, 2, 3]))
        let first = try await broker.expect(.ask)
        let second = try await broker.expect(.ask)
        #expect(first.client == second.client)
        #expect(second.body == [1, 2, 3])
        try broker.send(.expired(ticket: "lost-ask"), toClient: second.identity)
        #expect(try await handle.outcome() == .expired)
    }

    @Test func ask_whenTheBrokerRefusesIt_throwsRefusedWithTheErrorReply() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        let handle = try client.submit(TicketRequest(id: "dup", deadline: .seconds(20)))
        let ask = try await broker.expect(.ask)
        try broker.send(
            .error(ErrorReply(code: .conflict, text: "id reused", ticket: "dup", command: Command.ask.rawValue)), toClient: ask.identity)
        do {
            _ = try await handle.outcome()
            Issue.record("a refused ask must throw")
        } catch {
            #expect(error.kind == .refused)
            #expect(error.reply == ErrorReply(code: .conflict, text: "id reused", ticket: "dup", command: Command.ask.rawValue))
        }
    }

    @Test func submit_whenTheRequestBreaksAProtocolRule_throwsInvalidRequestAndSendsNothing() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        #expect {
            _ = try client.submit(TicketRequest(id: "p", priority: 12))
        } throws: { error in
            (error as? HelplineClientError)?.wireError?.code == .invalid
        }
        #expect {
            _ = try client.submit(TicketRequest(id: "o", options: ["same", "same"]))
        } throws: { error in
            (error as? HelplineClientError)?.kind == .invalidRequest
        }
        #expect(try await broker.receive(timeout: .milliseconds(200)) == nil)
    }

    @Test func submit_aSecondOpenTicketWithTheSameID_failsWithDuplicateTicket() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        _ = try client.submit(TicketRequest(id: "twice", deadline: .seconds(20)))
        let second = try client.submit(TicketRequest(id: "twice", deadline: .seconds(20)))
        await #expect(throws: HelplineClientError.self) { try await second.outcome() }
    }

    @Test func close_failsPendingAsksWithClosed_andRefusesNewOnes() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        let handle = try client.submit(TicketRequest(id: "pending", deadline: .seconds(20)))
        _ = try await broker.expect(.ask)
        client.close()
        do {
            _ = try await handle.outcome()
            Issue.record("close must fail a pending ask")
        } catch {
            #expect(error.kind == .closed)
        }
        #expect(throws: HelplineClientError.self) { _ = try client.submit(TicketRequest()) }
        client.close()  // twice is harmless
    }

    @Test func status_returnsTheBrokersReport() async throws {
        let broker = try FakeBroker()
        let client = try HelplineClient(endpoint: broker.endpoint, options: fastClientOptions())
        defer { client.close() }
        let report = Report(uptimeMilliseconds: 42, counts: ["waiting": 1], queues: [], workers: [])
        async let answer = client.status()
        let status = try await broker.expect(.status)
        try broker.send(.report(report), toClient: status.identity)
        #expect(try await answer == report)
    }
}
