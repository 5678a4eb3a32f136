import Foundation
import HelplineTestSupport
import Testing

@testable import helpline

/// `helpline ask` ⇄ `helpline work --exec` end to end, through a real broker process.
@Suite("helpline ask and work", .serialized)
struct AskWorkTests {
    @Test func askAnsweredWithAnOption_printsTheOptionAndExitsZero() async throws {
        let desk = try Desk()
        try await desk.work(name: "bot-1", skills: ["refunds"], exec: #"cat >/dev/null; echo '{"decision":"option","option":"approve"}'"#)
        let result = try await desk.ask(["--skill", "refunds", "--option", "approve", "--option", "reject", "Refund $240 for order 1182?"])
        #expect(result.status == 0)
        #expect(result.json["outcome"] == .string("answered"))
        #expect(result.json["decision"] == .string("option"))
        #expect(result.json["option"] == .string("approve"))
        #expect(result.json["worker"] == .string("bot-1"))
    }

    @Test func commandReadsTheTicketAsJSON_andItsFreeTextReachesTheAsker() async throws {
        let desk = try Desk()
        let seen = FileManager.default.temporaryDirectory.appendingPathComponent("helpline-ticket-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: seen) }
        try await desk.work(
            name: "bot-1", skills: ["accounts"],
            exec: #"cat > "# + seen.path + #"; echo '{"decision":"answer","text":"12 Wilmslow Road"}'"#)
        let result = try await desk.ask([
            "--skill", "accounts", "--priority", "5", "--id", "address-88301", "--context", "CRM has no address field",
            "--customer", #"{"name":"Alan Turing","tier":"gold"}"#, "--proposed", #"{"amount":240}"#,
            "--transcript", "customer: where do you send my card?", "What address is on file for 88-301?",
        ])
        #expect(result.status == 0)
        #expect(result.json["text"] == .string("12 Wilmslow Road"))
        let ticket = try JSONParser.parse(String(contentsOf: seen, encoding: .utf8))
        #expect(ticket["id"] == .string("address-88301"))
        #expect(ticket["skills"] == .array([.string("accounts")]))
        #expect(ticket["priority"] == .int(5))
        #expect(ticket["attempt"] == .int(1))
        #expect(ticket["body"]?["prompt"] == .string("What address is on file for 88-301?"))
        #expect(ticket["body"]?["context"] == .string("CRM has no address field"))
        #expect(ticket["body"]?["customer"]?["name"] == .string("Alan Turing"))
        #expect(ticket["body"]?["proposed"]?["amount"] == .int(240))
        #expect(ticket["body"]?["transcript"] == .array([.object([("role", .string("customer")), ("text", .string("where do you send my card?"))])]))
    }

    @Test func editedProposal_reachesTheAskerAsJSON() async throws {
        let desk = try Desk()
        try await desk.work(name: "bot-1", skills: ["refunds"], exec: #"cat >/dev/null; echo '{"decision":"edit","edited":{"amount":200}}'"#)
        let result = try await desk.ask(["--skill", "refunds", "--proposed", #"{"amount":240}"#, "Refund $240?"])
        #expect(result.json["decision"] == .string("edit"))
        #expect(result.json["edited"]?["amount"] == .int(200))
    }

    @Test func transferByTheCommand_liveWorkerTakesOver_askExitsTwo() async throws {
        let desk = try Desk()
        try await desk.work(name: "hila-1", skills: ["policy"], exec: #"cat >/dev/null; echo '{"transfer":"wants a phone call"}'"#)
        try await desk.work(name: "lee", skills: [], role: "live", exec: "cat >/dev/null; echo '{}'")
        let result = try await desk.ask(["--skill", "policy", "Allow a return after 45 days?"])
        #expect(result.status == 2)
        #expect(result.json["outcome"] == .string("taken_over"))
        #expect(result.json["worker"] == .string("lee"))
        #expect(result.json["transfer"]?["reason"] == .string("hila"))
        #expect(result.json["transfer"]?["note"] == .string("wants a phone call"))
    }

    @Test func declinedTicket_goesToAnotherWorker() async throws {
        let desk = try Desk()
        let picky = try await desk.work(name: "picky", skills: ["refunds"], exec: #"cat >/dev/null; echo '{"decline":"not my area"}'"#)
        // Registered second, so the first offer goes to picky (the one idle longest).
        try await desk.work(name: "willing", skills: ["refunds"], exec: #"cat >/dev/null; echo '{"decision":"approve"}'"#)
        let result = try await desk.ask(["--skill", "refunds", "Refund $40?"])
        #expect(result.status == 0)
        #expect(result.json["worker"] == .string("willing"))
        #expect(picky.errorOutput.contains("declined: not my area"))
    }

    @Test func failingCommand_declinesWithItsStderr_andAnotherWorkerAnswers() async throws {
        let desk = try Desk()
        let failing = try await desk.work(name: "failing", skills: ["refunds"], exec: "cat >/dev/null; echo 'ledger is down' >&2; exit 3")
        try await desk.work(name: "backup", skills: ["refunds"], exec: #"cat >/dev/null; echo '{"decision":"approve"}'"#)
        let result = try await desk.ask(["--skill", "refunds", "Refund $40?"])
        #expect(result.status == 0)
        #expect(result.json["worker"] == .string("backup"))
        #expect(failing.errorOutput.contains("declined: ledger is down"))
    }

    @Test func replyThatIsNotJSON_declinesTheTicket() async throws {
        let desk = try Desk()
        let confused = try await desk.work(name: "confused", skills: ["refunds"], exec: "cat >/dev/null; echo approve")
        try await desk.work(name: "backup", skills: ["refunds"], exec: #"cat >/dev/null; echo '{"decision":"reject","text":"no"}'"#)
        let result = try await desk.ask(["--skill", "refunds", "Refund $40?"])
        #expect(result.json["decision"] == .string("reject"))
        #expect(result.json["text"] == .string("no"))
        #expect(confused.errorOutput.contains("declined: the command's output is not JSON"))
    }

    @Test func ticketNobodyTakes_expires_askExitsThree() async throws {
        let desk = try Desk()
        let result = try await desk.ask(["--skill", "nobody-has-this", "--deadline", "0.5", "Anyone?"])
        #expect(result.status == 3)
        #expect(result.json["outcome"] == .string("expired"))
        #expect(result.json["transfer"]?["reason"] == .string("no-hila"))
    }

    @Test func noWaitLive_stopsAtTheTransfer_askExitsTwo() async throws {
        let desk = try Desk()
        let result = try await desk.ask(["--skill", "legal", "--no-wait-live", "Customer threatens legal action"])
        #expect(result.status == 2)
        #expect(result.json["outcome"] == .string("transferred"))
        #expect(result.json["transfer"]?["reason"] == .string("no-hila"))
    }

    @Test func noBroker_failsWithExitOne() async throws {
        let result = try await ToolProcess.run(["ask", "--endpoint", "tcp://127.0.0.1:1", "--connect-timeout", "0.3", "Hello?"])
        #expect(result.status == 1)
        #expect(result.output.contains(#""outcome":"error""#))
        #expect(result.errors.contains("no answer from a broker"))
    }
}
