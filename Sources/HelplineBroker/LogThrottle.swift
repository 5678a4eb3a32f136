import HelplineBrokerCore
import Logging

/// Lets at most `limit` log lines of one kind through per window, and counts the rest.
///
/// Every ERROR the broker sends, and every handshake it refuses, is worth a line to an
/// operator; but a hostile or broken peer can make the broker refuse 100,000 messages a
/// second, and a line each would cost more than the refusals (formatting a line is several
/// times the cost of a ticket) and fill the disk. The first lines of each second go out
/// whole; the line after a window that dropped some says how many.
struct LogThrottle {
    /// Lines let through per window.
    let limit: Int
    let windowMilliseconds: Int64
    private var windowStart: Timestamp?
    private var passed = 0
    private var dropped = 0

    /// 20 lines a second of each kind: enough to see what happens, never a flood.
    init(limit: Int = 20, windowMilliseconds: Int64 = 1_000) {
        self.limit = max(1, limit)
        self.windowMilliseconds = max(1, windowMilliseconds)
    }

    /// Whether a line may go out at `now`; if so, `dropped` is how many were held back
    /// since the last one that went out (to say so in it).
    mutating func admit(now: Timestamp) -> (log: Bool, dropped: Int) {
        if let start = windowStart, now.milliseconds - start.milliseconds < windowMilliseconds {
            guard passed < limit else {
                dropped += 1
                return (false, 0)
            }
        } else {
            windowStart = now
            passed = 0
        }
        passed += 1
        defer { dropped = 0 }
        return (true, dropped)
    }

    /// Writes `message` at notice level if a line may go out now, adding `suppressed` (how
    /// many were held back before it) when some were. The metadata is built only then.
    mutating func notice(
        _ message: Logger.Message, metadata: @autoclosure () -> Logger.Metadata, to logger: Logger, now: Timestamp
    ) {
        let (log, dropped) = admit(now: now)
        guard log else { return }
        var all = metadata()
        if dropped > 0 { all["suppressed"] = "\(dropped)" }
        logger.notice(message, metadata: all)
    }
}
