import Testing

@testable import HelplineBroker

/// Which endpoints a broker without CURVE may bind, and which peers count as local.
struct EndpointScopeTests {
    @Test(arguments: [
        "tcp://127.0.0.1:5555", "tcp://127.0.0.1:*", "tcp://127.9.8.7:1", "tcp://localhost:5555",
        "tcp://[::1]:5555", "ipc:///tmp/helpline.sock", "inproc://broker", "TCP://127.0.0.1:5555",
    ])
    func localEndpoints_areLocal(endpoint: String) {
        #expect(EndpointScope.isLocal(endpoint: endpoint))
    }

    @Test(arguments: [
        "tcp://0.0.0.0:5555", "tcp://*:5555", "tcp://*:*", "tcp://10.0.0.5:5555", "tcp://eth0:5555", "tcp://[::]:5555",
        "tcp://127.0.0.1.example.com:5555", "tcp://128.0.0.1:5555", "ws://127.0.0.1:5555", "tcp://127.0.0.1",
        "tcp://[::1", "pgm://127.0.0.1:5555",
    ])
    func networkEndpoints_areNot(endpoint: String) {
        #expect(!EndpointScope.isLocal(endpoint: endpoint))
    }

    @Test func peerAddresses_loopbackOnly() {
        #expect(EndpointScope.isLoopbackAddress("127.0.0.1"))
        #expect(EndpointScope.isLoopbackAddress("::1"))
        #expect(EndpointScope.isLoopbackAddress("::ffff:127.0.0.1"))
        #expect(!EndpointScope.isLoopbackAddress("10.1.2.3"))
        #expect(!EndpointScope.isLoopbackAddress(""))
        #expect(!EndpointScope.isLoopbackAddress("127.0.0.1.evil"))
    }

    @Test func networkEndpointWithoutCurve_isRefused_unlessInsecure() throws {
        let refused = BrokerSettings(endpoint: "tcp://0.0.0.0:*")
        #expect(throws: BrokerStartError.self) { try refused.validate() }
        do throws(BrokerStartError) {
            try refused.validate()
        } catch {
            #expect(error.kind == .insecureEndpoint)
            #expect(error.reason.contains("--insecure"))
        }
        try BrokerSettings(endpoint: "tcp://0.0.0.0:*", allowsInsecureNetwork: true).validate()
        try BrokerSettings(endpoint: "tcp://127.0.0.1:*").validate()
    }

    @Test func networkEndpointWithCurve_isAllowed() throws {
        let keys = try AuthorizedKeys([])
        let curve = try CurveSecurity(secretKey: try ZMQCurveKeys.secret(), authorizedKeys: keys)
        try BrokerSettings(endpoint: "tcp://0.0.0.0:*", curve: curve).validate()
    }

    @Test func limitAboveTheProtocols_isRefused() {
        let settings = BrokerSettings(limits: BrokerLimits(maxBodyBytes: 2 << 20))
        #expect(throws: BrokerStartError.self) { try settings.validate() }
    }
}
