/// Measuring and fitting text in terminal columns. Everything a ticket carries is shown
/// through here: its text comes from an agent, so control characters (escape sequences
/// that could move the cursor, retitle the window or worse) never reach the terminal.
extension String {
    /// Columns the text takes: wide (East Asian, emoji) characters take two, combining
    /// marks none. An estimate of what terminals do, good for the text tickets hold.
    var displayWidth: Int {
        reduce(0) { $0 + $1.displayWidth }
    }

    /// The text with every control character (C0, DEL, C1) replaced: tabs and line breaks
    /// by a space, the rest by U+FFFD.
    var sanitizedForTerminal: String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0x00..<0x20, 0x7F..<0xA0: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The longest prefix that fits in `width` columns, ending in "…" when cut.
    func truncated(toWidth width: Int) -> String {
        guard displayWidth > width else { return self }
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        for character in self {
            let next = character.displayWidth
            guard used + next <= width - 1 else { break }
            out.append(character)
            used += next
        }
        return out + "…"
    }

    /// Cut or padded with spaces to exactly `width` columns.
    func fitted(toWidth width: Int) -> String {
        let cut = truncated(toWidth: width)
        return cut + String(repeating: " ", count: max(0, width - cut.displayWidth))
    }

    /// Right-aligned in `width` columns (cut if longer).
    func rightAligned(toWidth width: Int) -> String {
        let cut = truncated(toWidth: width)
        return String(repeating: " ", count: max(0, width - cut.displayWidth)) + cut
    }

    /// Word-wrapped into lines of at most `width` columns; words longer than a line are
    /// broken; line breaks in the text start new lines.
    func wrapped(toWidth width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in String(paragraph).sanitizedForTerminal.split(separator: " ") {
                var word = String(word)
                while word.displayWidth > width {
                    if !line.isEmpty {
                        lines.append(line)
                        line = ""
                    }
                    var head = ""
                    var used = 0
                    for character in word {
                        guard used + character.displayWidth <= width else { break }
                        head.append(character)
                        used += character.displayWidth
                    }
                    lines.append(head)
                    word.removeFirst(head.count)
                }
                if line.isEmpty {
                    line = word
                } else if line.displayWidth + 1 + word.displayWidth <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = word
                }
            }
            lines.append(line)
        }
        return lines
    }
}

extension Character {
    /// Columns this character takes in a terminal (see ``Swift/String/displayWidth``).
    var displayWidth: Int {
        guard let scalar = unicodeScalars.first else { return 0 }
        switch scalar.value {
        case 0x0300..<0x0370, 0x200B..<0x2010, 0xFE00..<0xFE10: return 0
        case 0x1100..<0x1160, 0x2E80..<0x303F, 0x3040..<0xA4D0, 0xAC00..<0xD7A4, 0xF900..<0xFB00,
            0xFE30..<0xFE50, 0xFF00..<0xFF61, 0xFFE0..<0xFFE7, 0x1F300..<0x1F650, 0x1F900..<0x1FA00,
            0x20000..<0x3FFFE:
            return 2
        default: return 1
        }
    }
}
