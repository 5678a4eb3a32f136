import Foundation
import HelplinePeer
import HelplineWire

extension ConsoleState {
    /// A key press. Any key marks the human present; the first key after being away only
    /// brings them back, so a stray key cannot answer a ticket.
    mutating func key(_ key: Key, now: Int64) -> [ConsoleEffect] {
        let wasAway = presence == .away
        let back = activity(now: now)
        switch mode {
        case .compose(let compose):
            return back + composeKey(key, compose)
        case .confirmQuit:
            if key == .character("q") || key == .character("y") || key == .control("c") { return back + [.quit] }
            mode = .browse
            note("Not quitting.", .info)
            return back
        case .help:
            mode = .browse
            return back
        case .browse:
            if wasAway { return back }
            return browseKey(key, now: now)
        }
    }

    private mutating func browseKey(_ key: Key, now: Int64) -> [ConsoleEffect] {
        switch key {
        case .up, .character("k"): moveSelection(by: -1)
        case .down, .character("j"), .tab: moveSelection(by: 1)
        case .pageDown, .character(" "): detailScroll += Self.scrollStep
        case .pageUp: detailScroll = max(0, detailScroll - Self.scrollStep)
        case .home: detailScroll = 0
        case .character("?"): mode = .help
        case .character("p"): return goAway(now: now, because: "you stepped away")
        case .character("q"), .control("c"), .control("d"):
            guard tickets.isEmpty else {
                mode = .confirmQuit
                note("You hold \(tickets.count) ticket\(tickets.count == 1 ? "" : "s"); they go back to the queue. Press q again to quit.", .warning)
                return []
            }
            return [.quit]
        case .character("a"), .enter: return accept(now: now)
        case .character("d"): return startCompose(.decline)
        default:
            return isLive ? unavailable(key) : hilaKey(key)
        }
        return []
    }

    /// Keys that only a HILA has: the ways to answer.
    private mutating func hilaKey(_ key: Key) -> [ConsoleEffect] {
        guard let ticket = selected else { return unavailable(key) }
        switch key {
        case .character(let digit) where digit.isWholeNumber && digit != "0":
            let index = digit.wholeNumberValue! - 1
            guard index < ticket.offer.options.count else {
                note(ticket.offer.options.isEmpty ? "This ticket offers no options: y, n, t or e." : "No option \(digit) on this ticket.", .warning)
                return []
            }
            return finish(ticket, .answer(ticket.id, .option, option: ticket.offer.options[index], body: []),
                "answered: \(ticket.offer.options[index])")
        case .character("y"):
            return finish(ticket, .answer(ticket.id, .approve, option: nil, body: []), "approved")
        case .character("n"): return startCompose(.reject)
        case .character("t"): return startCompose(.answer)
        case .character("e"): return startCompose(.edit)
        case .character("l"): return startCompose(.transfer)
        default: return unavailable(key)
        }
    }

    private mutating func unavailable(_ key: Key) -> [ConsoleEffect] {
        if case .character = key {
            note(tickets.isEmpty ? "No ticket to act on yet." : "That key does nothing here; ? lists the keys.", .info)
        }
        return []
    }

    private mutating func accept(now: Int64) -> [ConsoleEffect] {
        guard let ticket = selected else { return unavailable(.character("a")) }
        if isLive {
            return finish(ticket, .accept(ticket.id), "taken over: the conversation is yours now")
        }
        guard ticket.acceptedAt == nil else {
            note("\(ticket.shortID) is already yours: answer it with 1-9, y, n, t or e.", .info)
            return []
        }
        markAccepted(ticket.id, now: now)
        note("Accepted \(ticket.shortID): the agent is told a human is on it.", .good)
        return [.accept(ticket.id)]
    }

    /// Lines the detail pane scrolls per PgUp/PgDn.
    static let scrollStep = 5

    private mutating func moveSelection(by step: Int) {
        guard !tickets.isEmpty else { return }
        let index = tickets.firstIndex { $0.id == selectedID } ?? 0
        select(tickets[(index + step + tickets.count) % tickets.count].id)
    }

    // MARK: Typing a reply

    private mutating func startCompose(_ purpose: Compose.Purpose) -> [ConsoleEffect] {
        guard let ticket = selected else { return unavailable(.character("d")) }
        var text = ""
        if purpose == .edit {
            guard let proposed = ticket.body?.proposed else {
                note("The agent proposed nothing to edit: t answers in your own words.", .warning)
                return []
            }
            text = proposed.stringValue ?? JSONValue(proposed).rendered
        }
        mode = .compose(Compose(purpose: purpose, ticket: ticket.id, text: text))
        return []
    }

    private mutating func composeKey(_ key: Key, _ compose: Compose) -> [ConsoleEffect] {
        var compose = compose
        switch key {
        case .escape, .control("c"):
            mode = .browse
            note("Cancelled.", .info)
        case .enter:
            return submit(compose)
        case .backspace:
            if !compose.text.isEmpty { compose.text.removeLast() }
            mode = .compose(compose)
        case .control("u"):
            compose.text = ""
            mode = .compose(compose)
        case .character(let character):
            compose.text.append(character)
            mode = .compose(compose)
        default:
            break
        }
        return []
    }

    private mutating func submit(_ compose: Compose) -> [ConsoleEffect] {
        guard let ticket = tickets.first(where: { $0.id == compose.ticket }) else {
            mode = .browse
            return []
        }
        let text = compose.text.trimmingCharacters(in: .whitespaces)
        let short = String(text.prefixUTF8(WireLimits.maxTextBytes))
        switch compose.purpose {
        case .answer:
            guard !text.isEmpty else {
                note("Type an answer, or Esc to cancel.", .warning)
                return []
            }
            return finish(ticket, .answer(ticket.id, .answer, option: nil, body: AnswerBody(text: text).encoded()), "answered")
        case .reject:
            let body = text.isEmpty ? [] : AnswerBody(text: text).encoded()
            return finish(ticket, .answer(ticket.id, .reject, option: nil, body: body), "rejected")
        case .edit:
            // JSON stays JSON (an edited amount is still a number); anything else is text.
            let edited = (try? JSONParser.parse(text))?.bodyValue ?? .string(text)
            return finish(ticket, .answer(ticket.id, .edit, option: nil, body: AnswerBody(edited: edited).encoded()), "edited and approved")
        case .transfer:
            return finish(ticket, .transfer(ticket.id, note: short.isEmpty ? nil : short), "handed to a live agent")
        case .decline:
            return finish(ticket, .decline(ticket.id, reason: short.isEmpty ? nil : short), "declined: it goes to someone else")
        }
    }

    /// Sends a final reply: the ticket leaves the list at once.
    private mutating func finish(_ ticket: ConsoleTicket, _ effect: ConsoleEffect, _ what: String) -> [ConsoleEffect] {
        mode = .browse
        _ = remove(ticket.id)
        countHandled()
        note("\(ticket.shortID) \(what).", .good)
        return [effect]
    }
}
