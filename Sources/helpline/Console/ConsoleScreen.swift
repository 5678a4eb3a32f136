import HelplineWire

/// Draws the console state as rows of a given window: header, ticket list, the selected
/// ticket, the message bar and the keys. Pure: the same state, time and size give the
/// same rows.
struct ConsoleScreen {
    let state: ConsoleState
    let now: Int64
    let layout: ConsoleLayout

    /// Exactly `layout.rows` rows.
    func rows() -> [ScreenLine] {
        guard !layout.tooSmall else { return tooSmall() }
        var rows = [header()]
        rows += body()
        rows.append(ScreenLine(String(repeating: "─", count: layout.columns), style: Tone.dim))
        rows.append(messageOrCompose())
        rows.append(keys())
        return rows.map { $0.cut(toWidth: layout.columns) }
    }

    private func tooSmall() -> [ScreenLine] {
        var rows = Array(repeating: ScreenLine.blank, count: layout.rows)
        let lines = ["Helpline console", "window too small:", "\(layout.columns)×\(layout.rows), needs \(ConsoleLayout.minColumns)×\(ConsoleLayout.minRows)"]
        for (index, line) in lines.enumerated() where index < rows.count {
            rows[index] = ScreenLine(line.truncated(toWidth: layout.columns), style: index == 0 ? Tone.bold : "")
        }
        return rows
    }

    // MARK: Body

    private func body() -> [ScreenLine] {
        let height = layout.bodyHeight
        guard layout.sideBySide else {
            let listRows = layout.stackedListRows(tickets: state.tickets.count)
            var rows = compactList(rows: listRows)
            rows.append(ScreenLine(String(repeating: "╌", count: layout.columns), style: Tone.dim))
            rows += pane(height: height - listRows - 1, width: layout.columns)
            return rows
        }
        let list = wideList(rows: height)
        let right = pane(height: height, width: layout.detailWidth)
        return (0..<height).map { index in
            var row = list[index]
            // The list row's own width, so the rule lines up whatever the row holds.
            let padding = layout.listWidth - row.width
            if padding > 0 { row.add(String(repeating: " ", count: padding)) }
            let merged = ScreenLine.join(row, width: layout.listWidth, ScreenLine("│", style: Tone.dim), right[index])
            return merged
        }
    }

    /// The right-hand (or lower) pane: help, the selected ticket, or what to expect.
    private func pane(height: Int, width: Int) -> [ScreenLine] {
        guard height > 0 else { return [] }
        let lines: [ScreenLine]
        if state.mode == .help {
            lines = helpLines(width: width)
        } else if let ticket = state.selected {
            lines = detail(ticket, width: width)
        } else {
            lines = emptyLines(width: width)
        }
        return Self.window(lines, scroll: state.mode == .help ? 0 : state.detailScroll, height: height, width: width)
    }

    /// `height` rows of `lines` from `scroll`, marking the cut when more follow.
    static func window(_ lines: [ScreenLine], scroll: Int, height: Int, width: Int) -> [ScreenLine] {
        let start = min(scroll, max(0, lines.count - height))
        var shown = Array(lines.dropFirst(start).prefix(height))
        if lines.count - start > height, let last = shown.indices.last {
            shown[last] = ScreenLine("  ↓ more: PgDn / space", style: Tone.dim)
        }
        if start > 0, !shown.isEmpty {
            shown[0] = ScreenLine("  ↑ PgUp", style: Tone.dim)
        }
        return shown + Array(repeating: .blank, count: height - shown.count)
    }

    private func emptyLines(width: Int) -> [ScreenLine] {
        var lines = [ScreenLine.blank]
        let waiting: String
        switch (state.connection, state.presence) {
        case (.online, .active): waiting = state.isLive ? "No conversation handed over yet." : "No tickets right now. New ones appear here."
        case (.online, .away): waiting = "You are away: no new tickets. Press any key to come back."
        default: waiting = "Not connected to the broker yet."
        }
        for text in waiting.wrapped(toWidth: width - 2) { lines.append(ScreenLine(" " + text, style: Tone.dim)) }
        return lines
    }

    private func helpLines(width: Int) -> [ScreenLine] {
        var entries: [(String, String)] = [("↑ ↓  j k", "choose a ticket"), ("PgUp PgDn", "scroll the ticket")]
        if state.isLive {
            entries += [("a  Enter", "take the conversation over"), ("d", "decline: another agent gets it")]
        } else {
            entries += [
                ("a  Enter", "accept: the agent learns you are on it"),
                ("1 … 9", "answer with that option"), ("y", "approve what the agent proposed"),
                ("n", "reject (you may say why)"), ("t", "answer in your own words"),
                ("e", "edit the proposal, then approve it"), ("l", "hand over to a live agent, with a note"),
                ("d", "decline: someone else gets it"),
            ]
        }
        entries += [("p", "step away (no new tickets)"), ("q", "quit"), ("", ""), ("", "any key closes this help")]
        var lines = [ScreenLine(" Keys", style: Tone.bold), .blank]
        for (key, meaning) in entries {
            var line = ScreenLine(" ")
            line.add(key.fitted(toWidth: 11), Tone.boldCyan)
            line.add(meaning.truncated(toWidth: max(0, width - 13)))
            lines.append(line)
        }
        return lines
    }
}

extension ScreenLine {
    /// `left` cut or padded to `width`, then `separator`, then `right`.
    static func join(_ left: ScreenLine, width: Int, _ separator: ScreenLine, _ right: ScreenLine) -> ScreenLine {
        var line = left.cut(toWidth: width)
        line.spans.append(contentsOf: separator.spans)
        line.spans.append(contentsOf: right.spans.map { Span(text: $0.text, style: combine(right.base, $0.style)) })
        line.base = ""
        return line
    }
}
