import HelplineWire

/// The codec fuzz target: any bytes, as a header of any command in any direction, or as
/// whole frames checked by `WireEnvelope`. Properties, each a crash when broken:
///
/// - nothing traps or over-allocates (the sanitizer and libFuzzer's RSS limit watch);
/// - what decodes re-encodes canonically, and decoding that gives the same message, whose
///   encoding is byte-for-byte the same again;
/// - every refusal's ERROR (what the broker would send back) fits its own limits and
///   decodes as a valid ERROR.
package struct CodecFuzzer {
    private let decoder = HeaderDecoder()
    private let encoder = HeaderEncoder()

    /// One fuzz input.
    package static func run(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        CodecFuzzer().run(&input)
    }

    /// One fuzz input from bytes (tests replaying the corpus).
    package static func run(bytes: [UInt8]) {
        var input = FuzzInput(bytes: bytes)
        CodecFuzzer().run(&input)
    }

    private func run(_ input: inout FuzzInput) {
        switch input.below(3) {
        case 0, 1:
            let direction = Direction.allCases[input.below(Direction.allCases.count)]
            let command = input.flag() ? Command.allCases[input.below(Command.allCases.count)].rawValue : input.byte()
            let header = input.rest()
            checkHeader(header, command: command, direction: direction)
        default:
            checkFrames(&input)
        }
    }

    private func checkHeader(_ header: [UInt8], command: UInt8, direction: Direction) {
        do throws(WireError) {
            let message = try AnyHeader.decode(direction, command: command, header: header, with: decoder)
            let (encodedCommand, encoded) = message.encode(with: encoder)
            let again = try AnyHeader.decode(direction, command: encodedCommand.rawValue, header: encoded, with: decoder)
            guard again == message else { fatalError("round trip changed \(message) into \(again)") }
            guard again.encode(with: encoder).1 == encoded else { fatalError("canonical encoding is not stable for \(message)") }
        } catch {
            checkRefusal(error)
        }
    }

    /// Frames as a receiver gets them: a count, then each frame's length and bytes.
    private func checkFrames(_ input: inout FuzzInput) {
        var frames: [[UInt8]] = []
        for _ in 0..<input.below(6) {
            // Mostly short frames; now and then one near the header and body limits.
            let length = input.flag() ? input.below(64) : input.uint16() * (input.flag() ? 17 : 1)
            frames.append(input.take(length) + (input.flag() ? [UInt8](repeating: 0x80, count: length) : []))
        }
        if input.flag(), !frames.isEmpty { frames[0] = Array((input.flag() ? Signature.client : .worker).bytes) }
        for receiver in Peer.allCases {
            do throws(WireError) {
                try WireEnvelope.withFrames(frames, receiver: receiver) { envelope throws(WireError) in
                    checkHeader(Array(envelope.header), command: envelope.command.rawValue, direction: envelope.direction)
                }
            } catch {
                checkRefusal(error)
            }
        }
    }

    private func checkRefusal(_ error: WireError) {
        let reply = error.reply
        guard reply.text.utf8.count <= WireLimits.maxTextBytes else { fatalError("ERROR text of \(reply.text.utf8.count) bytes") }
        let (command, header) = encoder.encode(ClientReply.error(reply))
        let decoded = try? AnyHeader.decode(.brokerToClient, command: command.rawValue, header: header, with: decoder)
        guard decoded == .clientReply(.error(reply)) else { fatalError("the ERROR for \(error) does not decode back") }
    }
}

/// A decoded header of any of the four families.
enum AnyHeader: Equatable {
    case clientMessage(ClientMessage)
    case clientReply(ClientReply)
    case workerMessage(WorkerMessage)
    case workerDirective(WorkerDirective)

    static func decode(
        _ direction: Direction, command: UInt8, header: UnsafeRawBufferPointer, with decoder: HeaderDecoder
    ) throws(WireError) -> AnyHeader {
        switch direction {
        case .clientToBroker: .clientMessage(try decoder.decodeClientMessage(command: command, header: header))
        case .brokerToClient: .clientReply(try decoder.decodeClientReply(command: command, header: header))
        case .workerToBroker: .workerMessage(try decoder.decodeWorkerMessage(command: command, header: header))
        case .brokerToWorker: .workerDirective(try decoder.decodeWorkerDirective(command: command, header: header))
        }
    }

    /// Decodes a header held in an array (`withUnsafeBytes` rethrows untyped errors,
    /// hence the `Result`).
    static func decode(
        _ direction: Direction, command: UInt8, header: [UInt8], with decoder: HeaderDecoder
    ) throws(WireError) -> AnyHeader {
        try header.withUnsafeBytes { bytes in
            Result { () throws(WireError) in try decode(direction, command: command, header: bytes, with: decoder) }
        }.get()
    }

    func encode(with encoder: HeaderEncoder) -> (Command, [UInt8]) {
        switch self {
        case .clientMessage(let message): encoder.encode(message)
        case .clientReply(let message): encoder.encode(message)
        case .workerMessage(let message): encoder.encode(message)
        case .workerDirective(let message): encoder.encode(message)
        }
    }
}
