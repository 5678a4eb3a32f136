import HelplineWire

extension ConsoleScreen {
    /// Beside the ticket: two rows per ticket (state, timer, priority, skills; then the
    /// prompt), the selected one in reverse video, scrolled to keep it in view.
    func wideList(rows: Int) -> [ScreenLine] {
        let width = layout.listWidth
        var lines = [ScreenLine(" Tickets", style: Tone.bold).adding(" \(state.tickets.count)", Tone.dim)]
        let perTicket = 2
        let room = max(1, (rows - 1) / perTicket)
        for ticket in visible(room: room) {
            let selected = ticket.id == state.selectedID
            var first = summary(ticket, selected: selected, width: width)
            var second = ScreenLine("   " + ticket.headline.truncated(toWidth: width - 4), style: selected ? "" : Tone.dim)
            if selected {
                first.base = Tone.reverse
                second.base = Tone.reverse
            }
            lines += [first, second]
        }
        if state.tickets.isEmpty { lines.append(ScreenLine("   none yet", style: Tone.dim)) }
        return Array(lines.prefix(rows)) + Array(repeating: .blank, count: max(0, rows - lines.count))
    }

    /// Above the ticket, in a narrow window: one row per ticket.
    func compactList(rows: Int) -> [ScreenLine] {
        guard !state.tickets.isEmpty else {
            return [ScreenLine(" No tickets yet", style: Tone.dim)] + Array(repeating: .blank, count: max(0, rows - 1))
        }
        var lines: [ScreenLine] = []
        for ticket in visible(room: rows) {
            let selected = ticket.id == state.selectedID
            var line = summary(ticket, selected: selected, width: layout.columns)
            line.add(" " + ticket.headline, selected ? "" : Tone.dim)
            if selected { line.base = Tone.reverse }
            lines.append(line)
        }
        return lines + Array(repeating: .blank, count: max(0, rows - lines.count))
    }

    /// The tickets that fit in `room` entries, sliding to keep the selection in view.
    private func visible(room: Int) -> ArraySlice<ConsoleTicket> {
        let tickets = state.tickets
        guard tickets.count > room else { return tickets[...] }
        let index = tickets.firstIndex { $0.id == state.selectedID } ?? 0
        let start = min(max(0, index - room / 2), tickets.count - room)
        return tickets[start..<start + room]
    }

    /// "▸ NEW  0:24 P5 refunds": state, its timer (time left to accept, or time held),
    /// priority, skills.
    private func summary(_ ticket: ConsoleTicket, selected: Bool, width: Int) -> ScreenLine {
        var line = ScreenLine(selected ? " ▸ " : "   ", style: Tone.bold)
        let (badge, badgeStyle, timer, timerStyle) = status(ticket)
        line.add(badge, badgeStyle)
        line.add(" " + timer, timerStyle)
        line.add(" P\(ticket.offer.priority)", ticket.offer.priority >= 5 ? Tone.boldRed : Tone.dim)
        if !ticket.offer.skills.isEmpty {
            line.add(" " + ticket.offer.skills.joined(separator: ",").truncated(toWidth: max(1, width - line.width - 1)), Tone.cyan)
        }
        return line
    }

    /// The ticket's stage as a badge and its ticking timer.
    func status(_ ticket: ConsoleTicket) -> (String, String, String, String) {
        if let acceptedAt = ticket.acceptedAt {
            return ("HELD", Tone.boldGreen, TimeFormat.clock(milliseconds: now - acceptedAt), "")
        }
        let left = ticket.acceptLeft(now: now)
        let urgent = left <= Self.urgentMilliseconds
        let badge = state.isLive ? "LIVE" : "NEW "
        return (badge, Tone.boldYellow, TimeFormat.clock(milliseconds: left + 999), urgent ? Tone.boldRed : Tone.yellow)
    }

    /// Below this, time left to accept shows in red.
    static let urgentMilliseconds: Int64 = 10_000
}
