import HelplineWire
import Testing

@testable import HelplineBroker

/// The broker's own limits, below the protocol's: each is refused with 413 naming the
/// ticket, before the core sees the command.
struct BrokerLimitsTests {
    let strict = BrokerLimits(
        maxBodyBytes: 100, maxSkillsPerTicket: 2, maxSkillsPerWorker: 3, maxTicketIDBytes: 8, maxNameBytes: 4,
        maxSkillBytes: 5, maxTextBytes: 10)

    @Test func defaults_areTheProtocols_andCheckNothing() {
        #expect(!BrokerLimits().isStricterThanProtocol)
        #expect(BrokerLimits().problems().isEmpty)
        #expect(strict.isStricterThanProtocol)
    }

    @Test(arguments: [
        (ClientMessage.ask(Ask(ticket: "t-1")), 101, "body"),
        (ClientMessage.ask(Ask(ticket: "t-123456789")), 0, "ticket id"),
        (ClientMessage.ask(Ask(ticket: "t-1", skills: ["a", "b", "c"])), 0, "skills"),
        (ClientMessage.ask(Ask(ticket: "t-1", skills: ["abcdef"])), 0, "skill"),
        (ClientMessage.cancel(ticket: "t-123456789"), 0, "ticket id"),
        (ClientMessage.resume(tickets: ["t-1", "t-123456789"]), 0, "ticket id"),
    ])
    func clientCommandOverALimit_is413(message: ClientMessage, body: Int, reason: String) throws {
        let refusal = try #require(strict.refusal(for: message, bodyBytes: body))
        #expect(refusal.code == .tooLarge)
        #expect(refusal.text.contains(reason), "\(refusal.text)")
        if case .ask(let ask) = message { #expect(refusal.ticket == ask.ticket) }
    }

    @Test func clientCommandsWithinLimits_pass() {
        #expect(strict.refusal(for: .ask(Ask(ticket: "t-1", skills: ["a", "b"])), bodyBytes: 100) == nil)
        #expect(strict.refusal(for: .status, bodyBytes: 0) == nil)
    }

    @Test(arguments: [
        (WorkerMessage.ready(Ready(name: "annabel", role: .hila)), 0),
        (WorkerMessage.ready(Ready(name: "ana", role: .hila, skills: ["a", "b", "c", "d"])), 0),
        (WorkerMessage.ready(Ready(name: "ana", role: .hila, skills: ["abcdef"])), 0),
        (WorkerMessage.ready(Ready(name: "ana", role: .hila, holding: ["t-123456789"])), 0),
        (WorkerMessage.answer(Answer(ticket: "t-1", decision: .approve)), 101),
        (WorkerMessage.transfer(ticket: "t-1", note: "a long note"), 0),
        (WorkerMessage.decline(ticket: "t-1", reason: "a long reason"), 0),
    ])
    func workerCommandOverALimit_is413(message: WorkerMessage, body: Int) {
        #expect(strict.refusal(for: message, bodyBytes: body)?.code == .tooLarge)
        #expect(strict.refusal(for: message, bodyBytes: body)?.disconnect == false)
    }

    @Test func limitsOutsideTheirRange_areNamed() {
        let loose = BrokerLimits(maxBodyBytes: WireLimits.maxBodyBytes + 1, maxSkillsPerTicket: 33, maxNameBytes: 0)
        #expect(loose.problems().count == 3)
        #expect(loose.problems().first?.contains("max-body-bytes") == true)
    }
}
