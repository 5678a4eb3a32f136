import HelplineTestSupport
import HelplineWire
import Testing
import ZeroMQ

/// `--max-retained-tickets`: without a journal, finished tickets are what a broker holds
/// for RESUME; the flag bounds them, and a ticket forgotten beyond the bound draws 404 as
/// one pruned after retention does (1/HLP "Retention").
@Suite(.serialized)
struct RetainedBoundTests {
    let context: ZMQContext

    init() throws {
        context = try ZMQContext()
    }

    @Test func finishedTicketsBeyondTheBound_areForgottenOldestFirst_andResumeDraws404() throws {
        let broker = try BrokerProcess(arguments: ["--max-retained-tickets", "2"])
        defer { broker.stop() }
        let hila = try RawPeer(endpoint: broker.endpoint, signature: .worker, context: context)
        try hila.send(.ready(Ready(name: "ana", role: .hila, capacity: 1, heartbeatMilliseconds: 1_000)))
        guard case .welcome = try hila.receiveDirectiveSkippingHeartbeats().0 else { throw ConformanceFailure.unexpected("no WELCOME") }
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)

        for ticket in ["t-1", "t-2", "t-3"] {
            try client.send(.ask(Ask(ticket: ticket)))
            guard case .assign(let assign) = try hila.receiveDirectiveSkippingHeartbeats().0, assign.ticket == ticket else {
                throw ConformanceFailure.unexpected("no ASSIGN for \(ticket)")
            }
            try hila.send(.answer(Answer(ticket: ticket, decision: .answer)))
            // QUEUED, then ANSWERED: the ticket is finished before the next is asked.
            var finished = false
            while !finished {
                if case .answered(let answered) = try client.receiveReply().0 { finished = answered.ticket == ticket }
            }
        }

        try client.send(.resume(tickets: ["t-1", "t-2", "t-3"]))
        let first = try client.receiveReply().0
        guard case .error(let error) = first else { Issue.record("expected ERROR 404 for t-1, got \(first)"); return }
        #expect(error.code == .unknownTicket)
        #expect(error.ticket == "t-1")
        for ticket in ["t-2", "t-3"] {
            guard case .answered(let answered) = try client.receiveReply().0 else { Issue.record("no outcome for \(ticket)"); continue }
            #expect(answered.ticket == ticket)
        }
    }
}
