/// One row of the console: spans of text, each with its SGR style, over a base style
/// (reverse video for the selection, the header bar) that also fills the rest of the row.
struct ScreenLine: Equatable {
    struct Span: Equatable {
        var text: String
        /// SGR parameters ("1", "33", "1;32"); empty for plain.
        var style: String
    }

    var spans: [Span] = []
    /// Applied under every span and to the padding up to the row's width.
    var base = ""

    init(_ text: String = "", style: String = "", base: String = "") {
        if !text.isEmpty { spans = [Span(text: text, style: style)] }
        self.base = base
    }

    static let blank = ScreenLine()

    /// Adds a span; text is always sanitized, whatever its source.
    mutating func add(_ text: String, _ style: String = "") {
        guard !text.isEmpty else { return }
        spans.append(Span(text: text.sanitizedForTerminal, style: style))
    }

    func adding(_ text: String, _ style: String = "") -> ScreenLine {
        var line = self
        line.add(text, style)
        return line
    }

    /// The text without styles.
    var plain: String { spans.map(\.text).joined() }

    var width: Int { plain.displayWidth }

    /// The row as terminal bytes, cut or padded to exactly `width` columns.
    func rendered(width: Int, colors: Bool) -> String {
        let spans = cut(toWidth: width).spans
        guard colors else { return spans.map(\.text).joined() }
        return spans.map { "\u{1B}[" + (["0"] + ($0.style.isEmpty ? [] : [$0.style])).joined(separator: ";") + "m" + $0.text }.joined()
            + "\u{1B}[0m"
    }

    /// The spans that fit in `width` columns, padded to it, the base style folded into
    /// each: what the row shows, and what can sit beside another row.
    func cut(toWidth width: Int) -> ScreenLine {
        var line = ScreenLine()
        var used = 0
        for span in spans where used < width {
            let text = span.text.displayWidth + used > width ? span.text.truncated(toWidth: width - used) : span.text
            used += text.displayWidth
            line.spans.append(Span(text: text, style: Self.combine(base, span.style)))
        }
        if used < width { line.spans.append(Span(text: String(repeating: " ", count: width - used), style: base)) }
        return line
    }

    static func combine(_ base: String, _ style: String) -> String {
        [base, style].filter { !$0.isEmpty }.joined(separator: ";")
    }
}
