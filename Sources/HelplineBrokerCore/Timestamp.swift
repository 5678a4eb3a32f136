/// Milliseconds on a monotonic clock the caller owns: the broker loop reads it, tests inject it.
///
/// The core never reads a clock itself; every event carries the `now` it happened at.
public struct Timestamp: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Milliseconds since an arbitrary origin fixed by the caller.
    public var milliseconds: Int64

    /// A point on the caller's clock.
    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// The origin of the caller's clock.
    public static let zero = Timestamp(milliseconds: 0)

    /// This instant moved `milliseconds` later (earlier if negative).
    public func advanced(by milliseconds: Int64) -> Timestamp {
        Timestamp(milliseconds: self.milliseconds &+ milliseconds)
    }

    /// Milliseconds from `earlier` to this instant (negative if `earlier` is later).
    public func milliseconds(since earlier: Timestamp) -> Int64 {
        milliseconds &- earlier.milliseconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    public var description: String { "\(milliseconds)ms" }
}
