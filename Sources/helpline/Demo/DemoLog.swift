import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The demo's output: one line per thing that happened, stamped with seconds since the
/// start, the actor, the ticket, and what happened. Colours only on a terminal.
final class DemoLog: @unchecked Sendable {
    /// Who a line is about, which sets its colour.
    enum Actor {
        case narrator
        case agent(String)
        case hila(String)
        case live(String)
    }

    let style: Style
    private let lock = NSLock()
    /// When the demo began: the timeline and every stamp count from here.
    var start: ContinuousClock.Instant { lock.withLock { began } }
    private var began = ContinuousClock.now
    /// The demo runs faster than real time with --speed; stamps stay in demo seconds.
    private let speed: Double

    /// A terminal's width: lines are cut to it rather than wrapped into the next one.
    private let columns: Int?

    init(style: Style, speed: Double) {
        self.style = style
        self.speed = speed
        var window = winsize()
        columns = isatty(STDOUT_FILENO) == 1 && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0 && window.ws_col > 0
            ? Int(window.ws_col) : nil
    }

    /// Starts the clock again: the timeline begins now (after a pause for the web console).
    func restart() {
        lock.withLock { began = .now }
    }

    /// Seconds since the start, in demo time.
    var elapsed: Double {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return (Double(seconds) + Double(attoseconds) / 1e18) * speed
    }

    /// "  12.3s  shop-bot   refund-1182      accepted by ana".
    func line(_ actor: Actor, _ ticket: String = "", _ text: String) {
        let stamp = String(format: "%5.1fs", elapsed)
        let (name, color) = Self.describe(actor)
        var out = style.dim(stamp) + "  " + style.wrap(name.fitted(toWidth: 9), color) + " "
        out += ticket.isEmpty ? "" : style.bold(ticket.sanitizedForTerminal.fitted(toWidth: 16)) + " "
        let used = stamp.count + 2 + 10 + (ticket.isEmpty ? 0 : 17)
        let text = columns.map { text.sanitizedForTerminal.truncated(toWidth: max(10, $0 - used)) } ?? text.sanitizedForTerminal
        if case .narrator = actor {
            out += style.wrap(text, "1;33")
        } else {
            out += text
        }
        emit(out)
    }

    /// Text as it is: the introduction and the summary.
    func emit(_ text: String = "") {
        lock.withLock {
            print(text)
            fflush(nil)  // all streams: `stdout` itself is not concurrency-safe to name in Swift 6
        }
    }

    private static func describe(_ actor: Actor) -> (String, String) {
        switch actor {
        case .narrator: ("▶", "1;33")
        case .agent(let name): (name, "36")
        case .hila(let name): (name, "32")
        case .live(let name): (name, "35")
        }
    }
}
