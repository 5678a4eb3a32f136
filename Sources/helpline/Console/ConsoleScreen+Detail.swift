import HelplineWire

extension ConsoleScreen {
    /// Everything about the selected ticket, top to bottom: identity, timers, the prompt,
    /// context, customer, proposal, transcript, options.
    func detail(_ ticket: ConsoleTicket, width: Int) -> [ScreenLine] {
        let inner = max(1, width - 2)
        let offer = ticket.offer
        var lines: [ScreenLine] = []
        var title = ScreenLine(" " + ticket.shortID, style: Tone.bold)
        let facts = (offer.skills.isEmpty ? [] : [offer.skills.joined(separator: ", ")]) + ["P\(offer.priority)", "attempt \(offer.attempt)"]
        title.add(" · " + facts.joined(separator: " · "), Tone.dim)
        lines.append(title.cut(toWidth: width))
        lines.append(timers(ticket, width: width).cut(toWidth: width))
        if let reason = offer.transferReason {
            var handover = ScreenLine(" Handed over: ", style: Tone.magenta).adding(Self.explain(reason))
            if let note = offer.note { handover.add(" — “\(note)”", Tone.bold) }
            lines += wrap(handover.plain, width: inner, style: Tone.magenta)
        }
        lines.append(.blank)
        guard let body = ticket.body else {
            lines.append(ScreenLine(" (the body is not the usual map: \(offer.body.count) bytes)", style: Tone.dim))
            return lines + options(ticket, width: inner)
        }
        lines += wrap(ticket.headline, width: inner, style: Tone.bold)
        lines.append(.blank)
        if let context = body.context { lines += field("Context", Self.text(context), width: inner) }
        if let customer = body.customer { lines += field("Customer", Self.customer(customer), width: inner) }
        if let proposed = body.proposed { lines += field("Proposed", Self.text(proposed), width: inner) }
        if !body.transcript.isEmpty {
            lines.append(.blank)
            lines.append(ScreenLine(" Transcript", style: Tone.dim))
            let roleWidth = min(10, body.transcript.map { $0.role.sanitizedForTerminal.displayWidth }.max() ?? 0)
            for turn in body.transcript {
                let text = turn.text.wrapped(toWidth: max(1, inner - roleWidth - 4))
                for (index, part) in text.enumerated() {
                    var line = ScreenLine("   ")
                    line.add((index == 0 ? turn.role : "").fitted(toWidth: roleWidth), turn.role == "customer" ? Tone.blue : Tone.magenta)
                    line.add("  " + part)
                    lines.append(line)
                }
            }
        }
        return lines + options(ticket, width: inner)
    }

    /// "OFFERED — accept within 0:24 · expires in 59:12 · asked 0:41 ago", the later
    /// parts only where they fit.
    private func timers(_ ticket: ConsoleTicket, width: Int) -> ScreenLine {
        var line = ScreenLine(" ")
        if let acceptedAt = ticket.acceptedAt {
            line.add("YOURS", Tone.boldGreen)
            line.add(" for \(TimeFormat.clock(milliseconds: now - acceptedAt))")
        } else {
            let left = ticket.acceptLeft(now: now)
            line.add(state.isLive ? "HANDED OVER" : "OFFERED", Tone.boldYellow)
            line.add(" — \(state.isLive ? "take it" : "accept") within ")
            line.add(TimeFormat.clock(milliseconds: left + 999), left <= Self.urgentMilliseconds ? Tone.boldRed : Tone.bold)
        }
        for part in [
            " · expires in \(TimeFormat.clock(milliseconds: ticket.deadlineLeft(now: now) + 999))",
            " · asked \(TimeFormat.clock(milliseconds: ticket.age(now: now))) ago",
        ] {
            guard line.width + part.displayWidth <= width else { break }
            line.add(part, Tone.dim)
        }
        return line
    }

    private func options(_ ticket: ConsoleTicket, width: Int) -> [ScreenLine] {
        guard !state.isLive else {
            return [.blank, ScreenLine(" a  take the conversation over   d  decline", style: Tone.cyan)]
        }
        var lines: [ScreenLine] = [.blank]
        guard !ticket.offer.options.isEmpty else {
            lines.append(ScreenLine(" y approve · n reject · t answer · e edit · l live", style: Tone.dim))
            return lines
        }
        var line = ScreenLine(" Options ", style: Tone.dim)
        for (index, option) in ticket.offer.options.enumerated() {
            let entry = " \(index + 1) \(option.sanitizedForTerminal) "
            if line.width + entry.displayWidth > width, line.width > 9 {
                lines.append(line)
                line = ScreenLine(String(repeating: " ", count: 9))
            }
            if index < 9 {
                line.add(" \(index + 1)", Tone.boldCyan)
                line.add(" \(option) ")
            } else {
                line.add("  \(option) ", Tone.dim)
            }
        }
        lines.append(line)
        return lines
    }

    /// A labelled field: "Context   text that wraps
    ///                            under itself".
    private func field(_ label: String, _ text: String, width: Int) -> [ScreenLine] {
        let labelWidth = 10
        let parts = text.wrapped(toWidth: max(1, width - labelWidth - 1))
        return parts.enumerated().map { index, part in
            ScreenLine(" " + (index == 0 ? label : "").fitted(toWidth: labelWidth), style: Tone.dim).adding(part)
        }
    }

    private func wrap(_ text: String, width: Int, style: String) -> [ScreenLine] {
        text.wrapped(toWidth: width).map { ScreenLine(" " + $0, style: style) }
    }

    /// A body value as one paragraph: text as itself, a map as "key: value · …", the rest
    /// as JSON.
    static func text(_ value: BodyValue) -> String {
        switch value {
        case .string(let text): return text
        case .map(let entries):
            return entries.keys.sorted().map { key in "\(key): \(entries[key]!.stringValue ?? JSONValue(entries[key]!).rendered)" }
                .joined(separator: " · ")
        default: return JSONValue(value).rendered
        }
    }

    /// "Ada Lovelace · tier gold · id C-1182": the name first, the rest by key.
    static func customer(_ entries: [String: BodyValue]) -> String {
        let name = entries["name"].map { text($0) }
        let rest = entries.keys.filter { $0 != "name" }.sorted().map { "\($0) \(text(entries[$0]!))" }
        return ([name].compactMap { $0 } + rest).joined(separator: " · ")
    }

    private static func explain(_ reason: TransferReason) -> String {
        switch reason {
        case .requested: "the agent asked for a live agent"
        case .noHILA: "no HILA has these skills"
        case .maxWait: "no HILA took it in time"
        case .hila: "a HILA handed it over"
        case .hilaLost: "its HILA left and none other can take it"
        }
    }
}
