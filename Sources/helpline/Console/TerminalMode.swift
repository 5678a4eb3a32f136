import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The terminal as the console needs it: raw input (every key at once, no echo, Ctrl-C
/// as a key), the alternate screen (the shell's screen comes back intact on exit), and a
/// hidden cursor. Restored on ``restore()``, however the console ends.
final class TerminalMode: @unchecked Sendable {
    /// Why the console cannot use this terminal.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    private let input: Int32
    private let output: Int32
    private let saved: termios
    private let lock = NSLock()
    private var active = true

    /// Switches `input`/`output` (both terminals) to the console's mode.
    init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) throws(Unavailable) {
        guard isatty(input) == 1, isatty(output) == 1 else {
            throw Unavailable(description: "helpline console needs a terminal on stdin and stdout")
        }
        var settings = termios()
        guard tcgetattr(input, &settings) == 0 else {
            throw Unavailable(description: "cannot read the terminal's settings: \(String(cString: strerror(errno)))")
        }
        self.input = input
        self.output = output
        saved = settings
        cfmakeraw(&settings)
        // Keep output processing off too (cfmakeraw does): the screen positions every line.
        guard tcsetattr(input, TCSAFLUSH, &settings) == 0 else {
            throw Unavailable(description: "cannot set raw mode: \(String(cString: strerror(errno)))")
        }
        write(Self.enter)
    }

    /// The alternate screen, cursor hidden, screen cleared.
    private static let enter = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J"
    /// Attributes reset, cursor shown, main screen back.
    private static let leave = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"

    /// The terminal's size in columns and rows; 80×24 if it will not say.
    var size: (columns: Int, rows: Int) {
        var window = winsize()
        guard ioctl(output, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else { return (80, 24) }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// Writes `text` whole (a frame is one write, so it never shows half drawn).
    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(output, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Puts the terminal back as it was; later calls do nothing.
    func restore() {
        let wasActive = lock.withLock {
            defer { active = false }
            return active
        }
        guard wasActive else { return }
        write(Self.leave)
        var settings = saved
        tcsetattr(input, TCSAFLUSH, &settings)
    }

    deinit { restore() }
}
