import HelplineWire
import ZeroMQ

/// A DEALER that speaks HLP/1 frame by frame: a console or agent the test controls
/// completely, which can also vanish without a word (close without DISCONNECT), as a
/// console killed with -9 does.
final class RawDealer {
    private var socket: ZMQSocket?
    private let signature: Signature
    private let encoder = HeaderEncoder()
    private let decoder = HeaderDecoder()

    init(endpoint: String, signature: Signature, context: ZMQContext) throws {
        self.signature = signature
        let socket = try ZMQSocket(context: context, type: .dealer)
        try socket.setOption(.linger, 0)
        try socket.connect(endpoint)
        self.socket = socket
    }

    /// Closes the socket at once, sending nothing: the peer is gone.
    func vanish() {
        socket = nil
    }

    func send(_ message: ClientMessage, body: [UInt8]? = nil) throws {
        let (command, header) = encoder.encode(message)
        try socket?.sendMultipart([signature.bytes, [command.rawValue], header] + (body.map { [$0] } ?? []))
    }

    func send(_ message: WorkerMessage, body: [UInt8]? = nil) throws {
        let (command, header) = encoder.encode(message)
        try socket?.sendMultipart([signature.bytes, [command.rawValue], header] + (body.map { [$0] } ?? []))
    }

    /// The next broker→client message with its body; throws after `timeout` ms of silence.
    func reply(timeout: Int = 5_000) throws -> (ClientReply, [UInt8]) {
        while true {
            let (command, header, body) = try receive(timeout: timeout)
            let reply = try header.withUnsafeBytes { (bytes) throws(WireError) in try decoder.decodeClientReply(command: command, header: bytes) }
            if case .heartbeat = reply { continue }
            return (reply, body)
        }
    }

    /// The next broker→worker directive other than HEARTBEAT, with its body.
    func directive(timeout: Int = 5_000) throws -> (WorkerDirective, [UInt8]) {
        while true {
            let (command, header, body) = try receive(timeout: timeout)
            let directive = try header.withUnsafeBytes { (bytes) throws(WireError) in
                try decoder.decodeWorkerDirective(command: command, header: bytes)
            }
            if case .heartbeat = directive { continue }
            return (directive, body)
        }
    }

    /// Directives other than HEARTBEAT during `milliseconds` (none expected, usually).
    func directives(during milliseconds: Int) throws -> [WorkerDirective] {
        var seen: [WorkerDirective] = []
        while let (directive, _) = try? directive(timeout: milliseconds) { seen.append(directive) }
        return seen
    }

    private func receive(timeout: Int) throws -> (UInt8, [UInt8], [UInt8]) {
        guard let socket else { throw FaultTestError.silence("closed") }
        let poller = ZMQPoller([.socket(socket)])
        guard try poller.poll(timeoutMilliseconds: timeout) > 0 else { throw FaultTestError.silence("no message in \(timeout) ms") }
        let frames = try socket.receiveMultipart()
        guard frames.count >= 3, frames[1].count == 1 else { throw FaultTestError.unexpected("frames \(frames.count)") }
        return (frames[1][0], frames[2], frames.count > 3 ? frames[3] : [])
    }
}
