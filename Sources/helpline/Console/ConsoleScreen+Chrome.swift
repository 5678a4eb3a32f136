import HelplineWire

extension ConsoleScreen {
    /// The top bar: who this console is, and at all times its connection and presence.
    func header() -> ScreenLine {
        let columns = layout.columns
        let roleName = state.isLive ? "live agent" : "HILA"
        let connection: (String, String)
        switch state.connection {
        case .online: connection = ("● online", Tone.green)
        case .connecting: connection = ("◌ connecting", Tone.yellow)
        case .offline: connection = ("✕ offline", Tone.boldRed)
        case .reconnecting(let at): connection = ("↻ retry \(TimeFormat.clock(milliseconds: at - now + 999))", Tone.yellow)
        }
        let presence: (String, String) =
            state.presence == .active
            ? ("● active", Tone.green)
            : ("◌ away \(TimeFormat.clock(milliseconds: now - (state.awaySince ?? now)))", Tone.boldYellow)
        let load = "\(state.tickets.count)/\(state.settings.capacity)"
        // Right side first: connection and presence must always show.
        let rightParts = columns >= 50 ? [(load + " held", ""), connection, presence] : [(load, ""), connection, presence]
        let rightWidth = rightParts.reduce(0) { $0 + $1.0.displayWidth + 2 } + 1
        let skills = state.settings.skills.isEmpty ? "any skill" : state.settings.skills.joined(separator: ", ")
        let full = " Helpline · \(state.settings.name) · \(roleName) · \(skills)"
        let short = " \(state.settings.name) · \(roleName)"
        let room = columns - rightWidth
        let left = full.displayWidth <= room ? full : (short.displayWidth <= room ? short : " " + state.settings.name)
        var line = ScreenLine(base: Tone.reverse)
        line.add(left.truncated(toWidth: max(0, room)), Tone.bold)
        line.add(String(repeating: " ", count: max(0, room - min(left.displayWidth, room))))
        for (text, style) in rightParts {
            line.add("  ")
            line.add(text, style)
        }
        line.add(" ")
        return line
    }

    /// The message bar, or the line being typed.
    func messageOrCompose() -> ScreenLine {
        guard case .compose(let compose) = state.mode else {
            guard let message = state.messages.last else { return .blank }
            let style: String
            switch message.tone {
            case .info: style = ""
            case .good: style = Tone.green
            case .warning: style = Tone.yellow
            case .bad: style = Tone.boldRed
            }
            return ScreenLine(" " + message.text, style: style)
        }
        let label: String
        switch compose.purpose {
        case .answer: label = "Answer"
        case .reject: label = "Reason for rejecting (optional)"
        case .edit: label = "Edit"
        case .transfer: label = "Note for the live agent"
        case .decline: label = "Why decline (optional)"
        }
        let prefix = " \(label) › "
        // Show the end of long text: that is where the typing happens.
        let room = max(1, layout.columns - prefix.displayWidth - 2)
        var shown = compose.text.sanitizedForTerminal
        while shown.displayWidth > room { shown.removeFirst() }
        var line = ScreenLine(prefix, style: Tone.boldCyan)
        line.add(shown)
        line.add(" ", Tone.reverse)  // the cursor
        return line
    }

    /// The keys that work now, as many as fit: all with words; the essential ones with
    /// words; all as keys alone.
    func keys() -> ScreenLine {
        // (key, what it does, essential)
        let entries: [(String, String, Bool)]
        switch state.mode {
        case .compose: entries = [("Enter", "send", true), ("Esc", "cancel", true), ("Ctrl-U", "clear", true)]
        case .confirmQuit: entries = [("q", "quit, giving the tickets back", true), ("any key", "stay", true)]
        case .help: entries = [("any key", "back", true)]
        case .browse:
            if state.isLive {
                entries = [
                    ("↑↓", "select", false), ("a", "take over", true), ("d", "decline", true),
                    ("p", "away", true), ("?", "help", false), ("q", "quit", true),
                ]
            } else {
                entries = [
                    ("↑↓", "select", false), ("a", "accept", true), ("1-9", "option", true), ("y", "approve", true),
                    ("n", "reject", true), ("t", "text", true), ("e", "edit", true), ("l", "live", true),
                    ("d", "decline", true), ("?", "help", false), ("q", "quit", true),
                ]
            }
        }
        let forms: [(entries: [(String, String, Bool)], words: Bool)] = [
            (entries, true), (entries.filter(\.2), true), (entries, false),
        ]
        var line = ScreenLine()
        for form in forms {
            line = ScreenLine()
            for (key, meaning, _) in form.entries {
                line.add(" ")
                line.add(key, Tone.boldCyan)
                if form.words { line.add(" " + meaning, Tone.dim) }
            }
            if line.width <= layout.columns { break }
        }
        return line
    }
}
