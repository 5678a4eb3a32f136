import Glibc
import CZeroMQ
import Testing
import ZeroMQ

@Suite("Library, errors, options")
struct ZMQTests {
    @Test("libzmq is 4.x and has CURVE")
    func version_andCapabilities() {
        #expect(ZMQ.version.major == 4)
        #expect(ZMQ.has("curve"))
        #expect(!ZMQ.has("no-such-capability"))
    }

    @Test("a CURVE key pair is two 40-character Z85 strings; the public key derives from the secret")
    func curveKeypair_isTwoZ85Keys() throws {
        let (publicKey, secretKey) = try ZMQ.curveKeypair()
        #expect(publicKey.utf8.count == 40)
        #expect(secretKey.utf8.count == 40)
        #expect(publicKey != secretKey)
        #expect(try ZMQ.curvePublicKey(secretKey: secretKey) == publicKey)
    }

    @Test("connecting to a malformed endpoint throws an error naming it")
    func connect_toMalformedEndpoint_throwsUsefulError() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, type: .dealer)
        do throws(ZMQError) {
            try socket.connect("not-an-endpoint")
            Issue.record("connect succeeded")
        } catch {
            #expect(error.code == EINVAL)
            #expect(error.description.contains("not-an-endpoint"))
            #expect(error.description.contains(error.message))
            #expect(!error.message.isEmpty)
        }
        #expect(throws: ZMQError(code: EPROTONOSUPPORT)) { try socket.connect("carrier-pigeon://x") }
    }

    @Test("typed options round trip; a new socket lingers 0")
    func options_roundTrip() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, type: .router)
        #expect(try socket.option(.linger) == 0)
        try socket.setOption(.sendHighWaterMark, 123)
        #expect(try socket.option(.sendHighWaterMark) == 123)
        try socket.setOption(ZMQ_RCVHWM, 456)
        #expect(try socket.intOption(ZMQ_RCVHWM) == 456)
        try socket.setOption(.maxMessageSize, 1 << 20)
        #expect(try socket.option(.maxMessageSize) == 1 << 20)
        try socket.setOption(.heartbeatInterval, 1_000)
        try socket.setOption(.heartbeatTimeToLive, 3_000)
        try socket.setOption(.heartbeatTimeout, 3_000)
        #expect(try socket.option(.heartbeatInterval) == 1_000)
        try socket.setOption(.immediate, true)
        #expect(try socket.option(.immediate))
        try socket.setOption(.routingID, bytes("broker"))
        #expect(try socket.option(.routingID) == bytes("broker"))
        #expect(try socket.bytesOption(ZMQ_ROUTING_ID) == bytes("broker"))
        #expect(try socket.fileDescriptor >= 0)

        let (publicKey, secretKey) = try ZMQ.curveKeypair()
        try socket.setOption(.curveServer, true)
        try socket.setOption(.curveSecretKey, secretKey)
        try socket.setOption(.curvePublicKey, publicKey)
        #expect(try socket.option(.curveSecretKey) == secretKey)
        #expect(try socket.option(.curvePublicKey) == publicKey)

        try socket.bind("tcp://127.0.0.1:*")
        let endpoint = try socket.lastEndpoint
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        try socket.unbind(endpoint)
        #expect(throws: ZMQError(code: EINVAL)) { try socket.setOption(ZMQ_RCVHWM, bytes: []) }
    }
}
