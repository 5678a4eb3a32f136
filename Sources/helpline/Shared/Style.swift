import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// ANSI colours for people, none for pipes: on only when the stream is a terminal and
/// `NO_COLOR` (no-color.org) is not set.
struct Style: Sendable {
    /// Whether escapes are written at all.
    let enabled: Bool

    /// Colours for `fileDescriptor` when it is a terminal, unless `NO_COLOR` or `disabled`.
    init(for fileDescriptor: Int32, disabled: Bool = false) {
        enabled = !disabled && isatty(fileDescriptor) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Forces escapes on or off (the console always draws with them).
    init(enabled: Bool) {
        self.enabled = enabled
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func reverse(_ text: String) -> String { wrap(text, "7") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func blue(_ text: String) -> String { wrap(text, "34") }
    func magenta(_ text: String) -> String { wrap(text, "35") }
    func cyan(_ text: String) -> String { wrap(text, "36") }

    /// `text` inside the SGR `code`, reset after it.
    func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
