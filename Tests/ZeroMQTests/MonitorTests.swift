import Testing
import ZeroMQ

@Suite("Socket monitor")
struct MonitorTests {
    @Test("a dealer that connects then closes is seen as ACCEPTED then DISCONNECTED on one fd, its messages' SRCFD")
    func monitor_reportsAcceptedThenDisconnected_withSourceFD() throws {
        let context = try ZMQContext()
        let router = try makeSocket(context, .router)
        try router.bind("tcp://127.0.0.1:*")
        let endpoint = try router.lastEndpoint
        let monitor = try router.startMonitor(events: [.accepted, .disconnected])
        try monitor.socket.setOption(.receiveTimeout, testTimeoutMilliseconds)

        var dealer: ZMQSocket? = try makeSocket(context, .dealer)
        try dealer?.connect(endpoint)
        try dealer?.send("hello")
        let message = ZMQMultipart()
        #expect(try router.receive(into: message))
        #expect(message.frameBytes(1) == bytes("hello"))
        let sourceFD = try #require(message.sourceFileDescriptor(1))
        // The ROUTER stamps the routing id it prepends with the connection's fd too.
        #expect(message.sourceFileDescriptor(0) == sourceFD)
        #expect(message.metadata(1, "Socket-Type") == "DEALER")

        let accepted = try #require(try monitor.receiveEvent())
        #expect(accepted.kind == .accepted)
        #expect(accepted.endpoint == endpoint)
        #expect(accepted.fileDescriptor == sourceFD)

        dealer = nil
        let disconnected = try #require(try monitor.receiveEvent())
        #expect(disconnected.kind == .disconnected)
        #expect(disconnected.fileDescriptor == sourceFD)
        #expect(try monitor.receiveEvent(dontWait: true) == nil)
    }

    @Test("an inproc message has no source fd")
    func sourceFD_onInproc_isNil() throws {
        let context = try ZMQContext()
        let (router, dealer) = try makeRouterDealer(context, transport: "inproc")
        try dealer.send("x")
        let message = ZMQMultipart()
        #expect(try router.receive(into: message))
        #expect(message.sourceFileDescriptor(1) == nil)
    }

    @Test("a connecting socket's monitor reports CONNECTED and HANDSHAKE_SUCCEEDED")
    func monitor_onConnect_reportsConnectedAndHandshake() throws {
        let context = try ZMQContext()
        let router = try makeSocket(context, .router)
        try router.bind("tcp://127.0.0.1:*")
        let dealer = try makeSocket(context, .dealer)
        let monitor = try dealer.startMonitor(events: [.connected, .handshakeSucceeded])
        try monitor.socket.setOption(.receiveTimeout, testTimeoutMilliseconds)
        try dealer.connect(try router.lastEndpoint)

        let connected = try #require(try monitor.receiveEvent())
        #expect(connected.kind == .connected)
        #expect(connected.fileDescriptor != nil)
        let handshake = try #require(try monitor.receiveEvent())
        #expect(handshake.kind == .handshakeSucceeded)
    }
}
