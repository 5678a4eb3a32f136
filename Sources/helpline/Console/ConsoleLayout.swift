/// Where each part of the console goes for a window size. 80×24 shows the ticket list
/// beside the selected ticket; a narrower window stacks them; below the minimum the
/// console says so instead of drawing garbage.
struct ConsoleLayout: Equatable {
    let columns: Int
    let rows: Int

    /// The smallest window the console draws in: room for a header, a ticket line, a
    /// few lines of the prompt, the message bar and the keys.
    static let minColumns = 30
    static let minRows = 8
    /// From this width the list and the ticket sit side by side.
    static let sideBySideColumns = 70
    /// The list's share of a wide window, and its bounds.
    static let listShare = 0.36
    static let listWidthRange = 26...38

    var tooSmall: Bool { columns < Self.minColumns || rows < Self.minRows }
    var sideBySide: Bool { columns >= Self.sideBySideColumns }

    /// Rows between the header and the bottom three (rule, message, keys).
    var bodyHeight: Int { max(0, rows - 4) }

    var listWidth: Int {
        guard sideBySide else { return columns }
        let share = Int(Double(columns) * Self.listShare)
        return min(max(share, Self.listWidthRange.lowerBound), Self.listWidthRange.upperBound)
    }

    /// The ticket pane's width: beside the list (after a one-column rule) or full width.
    var detailWidth: Int { sideBySide ? columns - listWidth - 1 : columns }

    /// Stacked: one row per ticket, at most a third of the body, so the ticket shows too.
    func stackedListRows(tickets: Int) -> Int {
        min(max(tickets, 1), max(2, bodyHeight / 3))
    }
}
