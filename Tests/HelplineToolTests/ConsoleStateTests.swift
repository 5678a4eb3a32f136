import HelplineWire
import HelplineWorker
import Testing

@testable import helpline

/// The console's rules, on its state machine with an injected clock: no terminal.
@Suite("Console state")
struct ConsoleStateTests {
    private let settings = ConsoleState.Settings(name: "ana", role: .hila, skills: ["refunds"], capacity: 3, idleTimeout: 60_000)

    private func offer(_ id: String, priority: Int = 0, options: [String] = [], proposed: BodyValue? = nil) -> OfferedTicket {
        let assign = Assign(
            ticket: id, role: .hila, skills: ["refunds"], priority: priority, options: options, ageMilliseconds: 0,
            acceptTimeoutMilliseconds: 30_000, deadlineMilliseconds: 3_600_000, attempt: 1)
        return OfferedTicket(assign, body: AskBody(prompt: "Refund \(id)?", proposed: proposed).encoded())
    }

    @Test func offers_areListedByPriorityThenArrival_andTheFirstIsSelected() {
        var state = ConsoleState(settings: settings, now: 0)
        _ = state.offered(offer("a"), now: 1)
        _ = state.offered(offer("b", priority: 5), now: 2)
        _ = state.offered(offer("c"), now: 3)
        #expect(state.tickets.map(\.id) == ["b", "a", "c"])
        #expect(state.selectedID == "a")
        _ = state.key(.up, now: 4)
        #expect(state.selectedID == "b")
    }

    @Test func optionKey_answersTheSelectedTicket_andRemovesIt() {
        var state = ConsoleState(settings: settings, now: 0)
        _ = state.offered(offer("a", options: ["approve", "reject"]), now: 1)
        #expect(state.key(.character("3"), now: 2).isEmpty, "no third option")
        #expect(state.key(.character("2"), now: 3) == [.answer("a", .option, option: "reject", body: [])])
        #expect(state.tickets.isEmpty)
    }

    @Test func editKey_startsFromTheProposal_andSendsJSONBackAsJSON() {
        var state = ConsoleState(settings: settings, now: 0)
        _ = state.offered(offer("a", proposed: ["amount": 240]), now: 1)
        _ = state.key(.character("e"), now: 2)
        guard case .compose(let compose) = state.mode else {
            Issue.record("not composing")
            return
        }
        #expect(compose.text == #"{"amount":240}"#)
        for _ in 0..<4 { _ = state.key(.backspace, now: 3) }
        for character in "200}" { _ = state.key(.character(character), now: 3) }
        let effects = state.key(.enter, now: 4)
        #expect(effects == [.answer("a", .edit, option: nil, body: AnswerBody(edited: ["amount": 200]).encoded())])
    }

    @Test func idle_turnsAway_andTheNextKeyOnlyComesBack() {
        var state = ConsoleState(settings: settings, now: 0)
        _ = state.offered(offer("a", options: ["approve"]), now: 1)
        #expect(state.tick(now: 59_999).isEmpty)
        #expect(state.tick(now: 60_000) == [.presence(.away)])
        #expect(state.presence == .away)
        #expect(state.key(.character("1"), now: 61_000) == [.presence(.active)], "the key that wakes does not answer")
        #expect(state.tickets.count == 1)
        #expect(state.key(.character("1"), now: 61_500) == [.answer("a", .option, option: "approve", body: [])])
    }

    @Test func quittingWhileHoldingTickets_asksFirst() {
        var state = ConsoleState(settings: settings, now: 0)
        _ = state.offered(offer("a"), now: 1)
        #expect(state.key(.character("q"), now: 2).isEmpty)
        #expect(state.mode == .confirmQuit)
        #expect(state.key(.character("q"), now: 3) == [.quit])
    }

    @Test func revokedTicket_leavesTheList_andCancelsItsReply() {
        var state = ConsoleState(settings: settings, now: 0)
        _ = state.offered(offer("a"), now: 1)
        _ = state.key(.character("t"), now: 2)
        _ = state.event(.revoked(ticket: "a", reason: .acceptTimeout), now: 3)
        #expect(state.tickets.isEmpty)
        #expect(state.mode == .browse)
        #expect(state.messages.last?.text.contains("not accepted in time") == true)
    }

    @Test func screen_fitsEveryWindowFromTinyToWide() {
        var state = ConsoleState(settings: settings, now: 0)
        _ = state.offered(offer("a", priority: 5, options: ["approve", "reject"], proposed: ["amount": 240]), now: 1)
        for (columns, rows) in [(24, 6), (30, 8), (50, 20), (69, 24), (70, 24), (80, 24), (200, 60)] {
            let lines = ConsoleScreen(state: state, now: 1_000, layout: ConsoleLayout(columns: columns, rows: rows)).rows()
            #expect(lines.count == rows)
            for line in lines { #expect(line.width <= columns, "\(columns)×\(rows): \(line.plain)") }
        }
    }

    @Test func ticketText_cannotReachTheTerminalAsEscapes() {
        #expect("evil\u{1B}]0;owned\u{07}text".sanitizedForTerminal == "evil\u{FFFD}]0;owned\u{FFFD}text")
        #expect("a\u{9B}b".sanitizedForTerminal == "a\u{FFFD}b", "C1 CSI")
    }
}
