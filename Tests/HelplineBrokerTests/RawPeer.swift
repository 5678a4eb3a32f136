import HelplineWire
import ZeroMQ

/// A DEALER that speaks HLP/1 frame by frame, as a client written only from proto-spec
/// would: the test decides every byte it sends and sees every frame it gets back.
final class RawPeer {
    let socket: ZMQSocket
    let signature: Signature
    private let encoder = HeaderEncoder()
    private let decoder = HeaderDecoder()
    private let context: ZMQContext

    /// A peer connected to `endpoint`; with `curve`, a CURVE client holding that key pair
    /// and trusting that broker key.
    init(endpoint: String, signature: Signature, context: ZMQContext, curve: PeerCurve? = nil) throws {
        self.context = context
        self.signature = signature
        socket = try ZMQSocket(context: context, type: .dealer)
        if let curve {
            try socket.setOption(.curveServerKey, curve.serverKey)
            try socket.setOption(.curvePublicKey, curve.publicKey)
            try socket.setOption(.curveSecretKey, curve.secretKey)
        }
        try socket.connect(endpoint)
    }

    /// Sends raw frames, exactly as given.
    func sendFrames(_ frames: [[UInt8]]) throws {
        try socket.sendMultipart(frames)
    }

    func send(_ message: ClientMessage, body: [UInt8]? = nil) throws {
        let (command, header) = encoder.encode(message)
        try sendFrames([signature.bytes, [command.rawValue], header] + (body.map { [$0] } ?? []))
    }

    func send(_ message: WorkerMessage, body: [UInt8]? = nil) throws {
        let (command, header) = encoder.encode(message)
        try sendFrames([signature.bytes, [command.rawValue], header] + (body.map { [$0] } ?? []))
    }

    /// The next message's frames, or nil after `timeoutMilliseconds`.
    func receiveFrames(timeoutMilliseconds: Int = 5_000) throws -> [[UInt8]]? {
        let poller = ZMQPoller([.socket(socket)])
        guard try poller.poll(timeoutMilliseconds: timeoutMilliseconds) > 0 else { return nil }
        return try socket.receiveMultipart()
    }

    /// The next broker→client message, decoded, with its body; throws on silence.
    func receiveReply(timeoutMilliseconds: Int = 5_000) throws -> (ClientReply, [UInt8]?) {
        let (command, header, body) = try receiveChecked(receiver: .client, timeoutMilliseconds: timeoutMilliseconds)
        let reply = try header.withUnsafeBytes { (bytes) throws(WireError) in
            try decoder.decodeClientReply(command: command.rawValue, header: bytes)
        }
        return (reply, body)
    }

    /// The next broker→worker message, decoded, with its body; throws on silence.
    func receiveDirective(timeoutMilliseconds: Int = 5_000) throws -> (WorkerDirective, [UInt8]?) {
        let (command, header, body) = try receiveChecked(receiver: .worker, timeoutMilliseconds: timeoutMilliseconds)
        let directive = try header.withUnsafeBytes { (bytes) throws(WireError) in
            try decoder.decodeWorkerDirective(command: command.rawValue, header: bytes)
        }
        return (directive, body)
    }

    /// The next directive that is not a HEARTBEAT.
    func receiveDirectiveSkippingHeartbeats(timeoutMilliseconds: Int = 5_000) throws -> (WorkerDirective, [UInt8]?) {
        while true {
            let received = try receiveDirective(timeoutMilliseconds: timeoutMilliseconds)
            if case .heartbeat = received.0 { continue }
            return received
        }
    }

    /// Asserts silence: no message for `milliseconds`.
    func expectNothing(forMilliseconds milliseconds: Int = 200) throws -> [[UInt8]]? {
        try receiveFrames(timeoutMilliseconds: milliseconds)
    }

    private func receiveChecked(receiver: Peer, timeoutMilliseconds: Int) throws -> (Command, [UInt8], [UInt8]?) {
        guard let frames = try receiveFrames(timeoutMilliseconds: timeoutMilliseconds) else { throw RawPeerError.silence }
        let envelope = try withBuffers(frames) { try WireEnvelope(frames: $0, receiver: receiver) }
        let body = frames.count == 4 && !frames[3].isEmpty ? frames[3] : nil
        return (envelope.command, frames[2], body)
    }
}

/// Lends every frame's bytes at once, for validators that take a collection of frames.
func withBuffers<R>(_ frames: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) throws -> R) throws -> R {
    func lend(_ index: Int, _ lent: [UnsafeRawBufferPointer]) throws -> R {
        if index == frames.count { return try body(lent) }
        return try frames[index].withUnsafeBytes { try lend(index + 1, lent + [$0]) }
    }
    return try lend(0, [])
}

/// The keys a CURVE client needs, all Z85.
struct PeerCurve {
    var serverKey: String
    var publicKey: String
    var secretKey: String
}

enum RawPeerError: Error {
    case silence
}
