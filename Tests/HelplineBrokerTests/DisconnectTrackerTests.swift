import HelplineBrokerCore
import Testing

@testable import HelplineBroker

/// The orderings in which monitor events and READY messages can reach the loop.
struct DisconnectTrackerTests {
    let ana = ConnectionID(raw: 1)
    let bo = ConnectionID(raw: 2)

    @Test func acceptedThenReadyThenDisconnected_reportsTheWorker() {
        var tracker = DisconnectTracker()
        tracker.accepted(fd: 7)
        tracker.workerRegistered(ana, fd: 7)
        #expect(tracker.disconnected(fd: 7) == ana)
    }

    @Test func readyReadBeforeItsOwnAcceptedEvent_stillReportsTheWorker() {
        var tracker = DisconnectTracker()
        tracker.workerRegistered(ana, fd: 7)
        tracker.accepted(fd: 7)
        #expect(tracker.disconnected(fd: 7) == ana)
    }

    @Test func disconnectSeenBeforeTheWorkersOwnAccept_isNotTheWorkers() {
        var tracker = DisconnectTracker()
        tracker.accepted(fd: 9)
        _ = tracker.disconnected(fd: 9)  // a client's connection came and went on fd 9
        // fd 9 reused: bo's READY is read while the monitor still shows fd 9 closed,
        tracker.workerRegistered(bo, fd: 9)
        // so a DISCONNECTED read before bo's own ACCEPTED cannot be bo's.
        #expect(tracker.disconnected(fd: 9) == nil)
        tracker.accepted(fd: 9)
        #expect(tracker.disconnected(fd: 9) == bo)
    }

    @Test func workerReregisteringOnANewConnection_followsItsNewFD() {
        var tracker = DisconnectTracker()
        tracker.accepted(fd: 7)
        tracker.workerRegistered(ana, fd: 7)
        tracker.accepted(fd: 8)
        tracker.workerRegistered(ana, fd: 8)
        #expect(tracker.disconnected(fd: 7) == nil)
        #expect(tracker.disconnected(fd: 8) == ana)
    }

    @Test func disconnectOfAnUnknownFD_reportsNothing() {
        var tracker = DisconnectTracker()
        #expect(tracker.disconnected(fd: 3) == nil)
    }
}
