import HelplinePeer
import Testing

/// The wait before each new socket, shared by client and worker.
@Suite("Reconnect backoff")
struct ReconnectBackoffTests {
    @Test func waits_doubleUpToTheCeiling_andStartOverWhenTheBrokerAnswers() {
        var backoff = ReconnectBackoff(first: .milliseconds(100), ceiling: .milliseconds(500))
        #expect((0..<5).map { _ in backoff.next() } == [100, 200, 400, 500, 500])
        backoff.reset()
        #expect(backoff.next() == 100)
    }

    @Test func aCeilingBelowTheFirstWait_isRaisedToIt() {
        var backoff = ReconnectBackoff(first: .milliseconds(300), ceiling: .milliseconds(10))
        #expect([backoff.next(), backoff.next()] == [300, 300])
    }
}
