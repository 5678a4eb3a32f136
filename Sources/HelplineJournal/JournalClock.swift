import HelplineBrokerCore

/// Converts between the core's monotonic `Timestamp`s and the wall-clock milliseconds the
/// journal stores, so that ages, deadlines and retention survive a restart (a monotonic
/// clock restarts with the machine). Fixed at start: a wall-clock jump while the broker
/// runs moves recorded times by the jump, never the broker's timers.
public struct JournalClock: Sendable, Equatable {
    /// Wall-clock milliseconds since 1970 minus monotonic milliseconds, at start.
    public let epochMinusMonotonic: Int64

    /// The clock pairing `wallMilliseconds` (since 1970) with `monotonic`, read together.
    public init(wallMilliseconds: Int64, monotonic: Timestamp) {
        epochMinusMonotonic = wallMilliseconds - monotonic.milliseconds
    }

    /// Milliseconds since 1970 for a core timestamp.
    public func epochMilliseconds(_ timestamp: Timestamp) -> Int64 {
        timestamp.milliseconds &+ epochMinusMonotonic
    }

    /// The core timestamp for milliseconds since 1970 (possibly before this process started).
    public func timestamp(epochMilliseconds: Int64) -> Timestamp {
        Timestamp(milliseconds: epochMilliseconds &- epochMinusMonotonic)
    }
}
