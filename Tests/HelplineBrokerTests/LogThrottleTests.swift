import HelplineBrokerCore
import Testing

@testable import HelplineBroker

/// Refusal lines: the first of each window go out, the rest are counted and reported.
@Suite struct LogThrottleTests {
    private func at(_ milliseconds: Int64) -> Timestamp { Timestamp(milliseconds: milliseconds) }

    @Test func aFlood_passesTheLimitPerWindow_andTheNextLineSaysHowManyWereDropped() {
        var throttle = LogThrottle(limit: 3, windowMilliseconds: 1_000)
        let first = (0..<10).map { throttle.admit(now: at(Int64($0))) }
        #expect(first.map(\.log) == [true, true, true, false, false, false, false, false, false, false])
        #expect(first.map(\.dropped).allSatisfy { $0 == 0 })
        // A new window: lines go out again, the first saying 7 were not written.
        #expect(throttle.admit(now: at(1_000)) == (true, 7))
        #expect(throttle.admit(now: at(1_001)) == (true, 0))
    }

    @Test func aQuietStream_isNeverThrottled() {
        var throttle = LogThrottle(limit: 2, windowMilliseconds: 1_000)
        for second in 0..<5 {
            #expect(throttle.admit(now: at(Int64(second) * 1_000)) == (true, 0))
            #expect(throttle.admit(now: at(Int64(second) * 1_000 + 500)) == (true, 0))
        }
    }
}
