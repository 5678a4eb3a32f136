import Foundation
import HelplineTestSupport
import Testing

@testable import helpline

/// `helpline console` in a real terminal: a tmux window of a chosen size, keys typed with
/// send-keys, the screen read back with capture-pane, as a person would see it.
/// The helpline binary and tmux (the Makefile installs it) must be there: without them
/// these tests fail rather than pass unseen.
@Suite("helpline console in tmux", .serialized)
struct ConsoleTests {
    private static let refundQuestion = [
        "--skill", "refunds", "--priority", "5", "--option", "approve", "--option", "reject", "--option", "partial",
        "--context", "Order 1182 arrived 9 days late", "--customer", #"{"name":"Ada Lovelace","tier":"gold"}"#,
        "--transcript", "customer: The lamp arrived broken.", "Refund $240 for order 1182?",
    ]

    /// A console for `name` in a `columns`×`rows` window, online.
    private func console(_ desk: Desk, columns: Int = 80, rows: Int = 24, _ arguments: [String]) async throws -> Tmux {
        let tmux = try await Tmux(
            columns: columns, rows: rows,
            command: [HelplineBinary.url!.path, "console", "--endpoint", desk.endpoint, "--no-bell"] + arguments)
        let screen = try await tmux.waitFor("● online")
        #expect(screen.contains("● online"), "the console did not come online:\n\(screen)")
        return tmux
    }

    private func ask(_ desk: Desk, _ arguments: [String]) throws -> ToolProcess {
        try ToolProcess(["ask", "--endpoint", desk.endpoint, "--verbose"] + arguments)
    }

    /// Waits until the screen shows all of `texts`, expects each (a failure names the one
    /// missing and prints the screen) and returns the screen.
    @discardableResult
    private func expectScreen(
        _ tmux: Tmux, shows texts: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let screen = try await tmux.waitFor(texts)
        for text in texts where !screen.contains(text) {
            Issue.record("the screen does not show \"\(text)\":\n\(screen)", sourceLocation: sourceLocation)
        }
        return screen
    }

    private func expectFits(_ screen: String, columns: Int) {
        for line in screen.split(separator: "\n", omittingEmptySubsequences: false) {
            #expect(String(line).displayWidth <= columns, "wider than \(columns): \(line)")
        }
    }

    @Test func offeredTicket_showsItsPromptOptionsTimerAndCustomer_at80x24() async throws {
        let desk = try Desk()
        let tmux = try await console(desk, ["--name", "ana", "--skill", "refunds", "--capacity", "2"])
        let asking = try ask(desk, Self.refundQuestion)
        defer { asking.stop() }
        let screen = try await expectScreen(
            tmux,
            shows: [
                "Refund $240 for order 1182?", "1 approve  2 reject  3 partial", "NEW ", "accept within 0:", "P5 refunds",
                "Ada Lovelace · tier gold", "Order 1182 arrived 9 days late", "The lamp arrived broken.", "1/2 held",
                "● active",
            ])
        expectFits(screen, columns: 80)
    }

    @Test func acceptingThenPickingAnOptionByKeys_answersTheWaitingAsk() async throws {
        let desk = try Desk()
        let tmux = try await console(desk, ["--name", "ana", "--skill", "refunds"])
        let asking = try ask(desk, Self.refundQuestion)
        defer { asking.stop() }
        try await tmux.waitFor("1 approve")
        try await tmux.send("a")
        try await expectScreen(tmux, shows: ["YOURS", "HELD"])
        #expect(await asking.waitFor("accepted by ana"))
        try await tmux.send("2")
        #expect(await asking.wait() == 0)
        let outcome = try JSONParser.parse(asking.output)
        #expect(outcome["decision"] == .string("option"))
        #expect(outcome["option"] == .string("reject"))
        #expect(outcome["worker"] == .string("ana"))
        try await expectScreen(tmux, shows: ["answered: reject", "0/1 held"])
    }

    @Test func typedAnswer_reachesTheAsk_andEscapeCancelsTyping() async throws {
        let desk = try Desk()
        let tmux = try await console(desk, ["--name", "ana", "--skill", "billing"])
        let asking = try ask(desk, ["--skill", "billing", "Was the customer billed twice in March?"])
        defer { asking.stop() }
        try await tmux.waitFor("billed twice")
        try await tmux.send("t")
        try await tmux.type("nope")
        try await expectScreen(tmux, shows: ["Answer › nope"])
        try await tmux.send("Escape")
        try await expectScreen(tmux, shows: ["Cancelled."])
        try await tmux.send("t")
        try await tmux.type("Yes: two charges on the statement, refund one.")
        try await tmux.send("Enter")
        #expect(await asking.wait() == 0)
        #expect(try JSONParser.parse(asking.output)["text"] == .string("Yes: two charges on the statement, refund one."))
    }

    @Test func idleTimeout_turnsPresenceAway_andTheNextKeyBringsItBack() async throws {
        let desk = try Desk()
        let tmux = try await console(desk, ["--name", "ana", "--skill", "refunds", "--idle", "1"])
        // The message bar may be drawn a frame after the header: wait for it.
        try await expectScreen(tmux, shows: ["Away: no key for 0:01", "◌ away"])
        #expect(try await presence(desk, of: "ana", becomes: "away"))
        try await tmux.send("j")
        try await expectScreen(tmux, shows: ["● active", "Welcome back"])
        #expect(try await presence(desk, of: "ana", becomes: "active"))
    }

    @Test func narrowWindow_stacksTheListAboveTheTicket_andFits() async throws {
        let desk = try Desk()
        let tmux = try await console(desk, columns: 50, rows: 20, ["--name", "bea", "--skill", "refunds"])
        let asking = try ask(desk, Self.refundQuestion)
        defer { asking.stop() }
        let screen = try await expectScreen(
            tmux, shows: ["bea · HILA", "▸ NEW", "Refund $240 for order 1182?", "1 approve  2 reject  3 partial"])
        expectFits(screen, columns: 50)
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("bea · HILA") == true)
        #expect(lines.first?.contains("● online  ● active") == true)
        #expect(lines.contains { $0.contains("▸ NEW") && $0.contains("P5 refunds") })
    }

    @Test func tinyWindow_saysItIsTooSmall() async throws {
        let desk = try Desk()
        let tmux = try await Tmux(
            columns: 24, rows: 6,
            command: [HelplineBinary.url!.path, "console", "--endpoint", desk.endpoint, "--name", "tiny"])
        try await expectScreen(tmux, shows: ["window too small"])
    }

    @Test func liveAgent_seesTheHandedOverConversation_andTakesItOver() async throws {
        let desk = try Desk()
        let tmux = try await console(desk, ["--name", "lee", "--role", "live"])
        let asking = try ask(desk, ["--role", "live", "--skill", "billing", "The customer asked to speak to a person."])
        defer { asking.stop() }
        try await expectScreen(
            tmux, shows: ["HANDED OVER", "lee · live agent", "Handed over: the agent asked for a live agent", "a take over"])
        try await tmux.send("a")
        #expect(await asking.wait() == 2)
        #expect(try JSONParser.parse(asking.output)["outcome"] == .string("taken_over"))
    }

    /// Whether the broker's view of `name`'s presence becomes `expected` within 10 s. The
    /// console draws its new presence as it sends it: the broker may not have it yet.
    private func presence(_ desk: Desk, of name: String, becomes expected: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await presence(desk, of: name) == expected { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await presence(desk, of: name) == expected
    }

    /// The broker's view of a worker's presence, from `helpline status --json`.
    private func presence(_ desk: Desk, of name: String) async throws -> String? {
        let result = try await ToolProcess.run(["status", "--endpoint", desk.endpoint, "--json"])
        guard case .array(let workers)? = try JSONParser.parse(result.output)["workers"] else { return nil }
        return workers.first { $0["name"] == .string(name) }?["presence"]?.stringValue
    }
}
