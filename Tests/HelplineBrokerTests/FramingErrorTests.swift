import HelplineTestSupport
import HelplineWire
import Testing
import ZeroMQ

/// 1/HLP "Order of checks" on a real broker: an ERROR names the command byte whenever frame
/// 1 was read (also for a wrong frame count), never for 505, and goes on the sender's own
/// sub-protocol (505 always on HLPC01).
@Suite(.serialized)
struct FramingErrorTests {
    let context: ZMQContext

    init() throws {
        context = try ZMQContext()
    }

    /// The one ERROR `frames` draw: its signature frame and header.
    private func error(for frames: [[UInt8]], signature: Signature, broker: BrokerProcess) throws -> (Signature?, ErrorReply?) {
        let peer = try RawPeer(endpoint: broker.endpoint, signature: signature, context: context)
        try peer.sendFrames(frames)
        guard let reply = try peer.receiveFrames() else { return (nil, nil) }
        let replySignature = Signature.allCases.first { $0.bytes == reply[0] }
        let decoded = Self.decodeError(reply[2])
        #expect(try peer.expectNothing(forMilliseconds: 50) == nil)
        return (replySignature, decoded)
    }

    private static func decodeError(_ header: [UInt8]) -> ErrorReply? {
        let decoder = HeaderDecoder()
        return header.withUnsafeBytes { buffer -> ErrorReply? in
            guard case .error(let reply)? = try? decoder.decodeClientReply(command: Command.error.rawValue, header: buffer)
            else { return nil }
            return reply
        }
    }

    @Test func wrongFrameCount_errorNamesTheCommand_onTheSendersSubProtocol() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let cases: [(frames: [[UInt8]], signature: Signature, command: UInt8?)] = [
            ([Signature.client.bytes, [Command.status.rawValue]], .client, Command.status.rawValue),
            ([Signature.worker.bytes, [Command.heartbeat.rawValue]], .worker, Command.heartbeat.rawValue),
            ([Signature.client.bytes, [Command.ask.rawValue], [0x81, 0xA2, 0x69, 0x64, 0xA1, 0x74], [0x80], [1]], .client,
             Command.ask.rawValue),
            ([Signature.client.bytes, [Command.ask.rawValue], [0x80], [0x80], [1], [2], [3]], .client, Command.ask.rawValue),
            ([Signature.worker.bytes, [Command.ready.rawValue], [0x80], [0x80], [1]], .worker, Command.ready.rawValue),
            ([Signature.client.bytes], .client, nil),
        ]
        for item in cases {
            let (signature, reply) = try error(for: item.frames, signature: item.signature, broker: broker)
            #expect(reply?.code == .malformed, "\(item.frames.count) frames")
            #expect(reply?.command == item.command, "\(item.frames.count) frames")
            #expect(reply?.ticket == nil)
            #expect(signature == item.signature, "\(item.frames.count) frames")
        }
    }

    @Test func wrongSignature_is505OnHLPC01_withoutCommand_evenFromAWorkerSocket() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let (signature, reply) = try error(
            for: [Array("HLPW02".utf8), [Command.ready.rawValue], [0x80]], signature: .worker, broker: broker)
        #expect(reply?.code == .unsupportedVersion)
        #expect(reply?.command == nil)
        #expect(signature == .client)
    }
}
