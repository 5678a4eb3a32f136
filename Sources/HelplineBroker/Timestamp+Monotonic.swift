import HelplineBrokerCore
import HelplinePeer

extension Timestamp {
    /// Now on `MonotonicClock`, the package's one clock, as the core's `Timestamp`: the loop
    /// reads it and passes `now` in; the core never reads a clock.
    static func monotonicNow() -> Timestamp {
        Timestamp(milliseconds: MonotonicClock.milliseconds())
    }
}
