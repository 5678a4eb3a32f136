import HelplineWire
import Testing

/// Any of the four message families, so tests can treat every direction alike.
enum AnyMessage: Equatable, Sendable, CustomTestStringConvertible {
    case clientMessage(ClientMessage)
    case clientReply(ClientReply)
    case workerMessage(WorkerMessage)
    case workerDirective(WorkerDirective)

    /// Decodes a header the way a receiver on `direction` does.
    static func decode(
        _ direction: Direction, command: UInt8, header: UnsafeRawBufferPointer, with decoder: HeaderDecoder
    ) throws(WireError) -> AnyMessage {
        switch direction {
        case .clientToBroker: .clientMessage(try decoder.decodeClientMessage(command: command, header: header))
        case .brokerToClient: .clientReply(try decoder.decodeClientReply(command: command, header: header))
        case .workerToBroker: .workerMessage(try decoder.decodeWorkerMessage(command: command, header: header))
        case .brokerToWorker: .workerDirective(try decoder.decodeWorkerDirective(command: command, header: header))
        }
    }

    /// Decodes a header held in an array.
    static func decode(
        _ direction: Direction, command: UInt8, header: [UInt8], with decoder: HeaderDecoder = HeaderDecoder()
    ) throws(WireError) -> AnyMessage {
        try header.withUnsafeBytes { buffer in
            Result { () throws(WireError) in try decode(direction, command: command, header: buffer, with: decoder) }
        }.get()
    }

    /// Checks whole frames as `receiver` would, then decodes the header.
    static func decode(frames: [[UInt8]], receiver: Peer, with decoder: HeaderDecoder = HeaderDecoder())
        throws(WireError) -> (message: AnyMessage, body: [UInt8]?)
    {
        try WireEnvelope.withFrames(frames, receiver: receiver) { envelope throws(WireError) in
            let message = try decode(
                envelope.direction, command: envelope.command.rawValue, header: envelope.header, with: decoder)
            return (message, envelope.body.map { Array($0) })
        }
    }

    /// The canonical header and its command.
    func encode(with encoder: HeaderEncoder = HeaderEncoder()) -> (Command, [UInt8]) {
        switch self {
        case .clientMessage(let message): encoder.encode(message)
        case .clientReply(let message): encoder.encode(message)
        case .workerMessage(let message): encoder.encode(message)
        case .workerDirective(let message): encoder.encode(message)
        }
    }

    /// "ASK client-to-broker, 2191-byte header": short enough for a test report.
    var testDescription: String {
        let (command, header) = encode()
        return "\(command) \(direction.rawValue), \(header.count)-byte header"
    }

    /// The direction the message travels.
    var direction: Direction {
        switch self {
        case .clientMessage: .clientToBroker
        case .clientReply: .brokerToClient
        case .workerMessage: .workerToBroker
        case .workerDirective: .brokerToWorker
        }
    }
}

/// The error code `body` throws, or `nil` if it does not throw.
func errorCode<T>(_ body: () throws(WireError) -> T) -> ErrorCode? {
    do {
        _ = try body()
        return nil
    } catch {
        return error.code
    }
}

/// Bytes from a hex string ("8a a2..." without spaces).
func bytes(hex: String) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(hex.utf8.count / 2)
    var iterator = hex.utf8.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
        result.append(UInt8(hexDigit(high) << 4 | hexDigit(low)))
    }
    return result
}

private func hexDigit(_ character: UInt8) -> UInt8 {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
    default: preconditionFailure("not a hex digit: \(character)")
    }
}

/// Lower-case hex, for readable failures.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}
