/// Why a message was refused at the wire: the code the peer gets back in ERROR and a text
/// that says what and where ("ASK: 'priority' is 12; must be 0...9").
///
/// Thrown (typed) by `HeaderDecoder` and `WireEnvelope`; `reply` turns it into the ERROR
/// header the broker sends back.
public struct WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 400 malformed, 403 forbidden, 413 too-large, 422 invalid or 505 unsupported-version.
    public var code: ErrorCode
    /// Human-readable: the command, the field and what was wrong with it.
    public var text: String
    /// The ticket concerned, when the decoder had read a valid `id` before the failure.
    public var ticket: String?
    /// The refused command byte, when frame 1 could be read.
    public var command: UInt8?

    /// Creates a wire error.
    public init(code: ErrorCode, text: String, ticket: String? = nil, command: UInt8? = nil) {
        self.code = code
        self.text = text
        self.ticket = ticket
        self.command = command
    }

    /// The ERROR header that reports this refusal to the peer.
    public var reply: ErrorReply {
        ErrorReply(code: code, text: text, ticket: ticket, command: command)
    }

    /// "422 invalid: ASK: 'priority' is 12; must be 0...9".
    public var description: String { "\(code.rawValue) \(code): \(text)" }
}

extension WireError {
    static func malformed(_ text: String, command: UInt8? = nil) -> WireError {
        WireError(code: .malformed, text: text, command: command)
    }
    static func tooLarge(_ text: String, command: UInt8? = nil) -> WireError {
        WireError(code: .tooLarge, text: text, command: command)
    }
    static func invalid(_ text: String, command: UInt8? = nil) -> WireError {
        WireError(code: .invalid, text: text, command: command)
    }
}

/// Peer-supplied bytes quoted in an error text: at most 32 bytes, control characters and
/// invalid UTF-8 replaced, so an ERROR stays short and printable whatever was sent.
func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
    let shown = String(decoding: bytes.prefix(32), as: UTF8.self)
    let printable = String(shown.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    return "'" + printable + (bytes.count > 32 ? "…'" : "'")
}
