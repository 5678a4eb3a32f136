import Logging
import Testing
import ZeroMQ

@testable import HelplineBroker

/// The listen backlog: consoles that connect together must not have their SYNs dropped
/// (libzmq's default backlog is 100).
struct ListenBacklogTests {
    @Test func brokerListensWithABacklogForAFloorConnectingAtOnce() throws {
        let broker = try HelplineBroker(settings: BrokerSettings(endpoint: "tcp://127.0.0.1:*"), logger: Logger(label: "test"))
        #expect(try broker.router.intOption(ZMQSocketOption<Int32>.backlog.rawValue) == HelplineBroker.listenBacklog)
        #expect(HelplineBroker.listenBacklog >= 4_096)
    }
}
