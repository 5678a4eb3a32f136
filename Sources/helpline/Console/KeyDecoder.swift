/// Turns the bytes a terminal sends in raw mode into keys: UTF-8 characters, control
/// bytes, and the escape sequences of cursor and paging keys (CSI `ESC [`, SS3 `ESC O`).
///
/// A state machine fed any split of the input: a sequence or a character cut between two
/// reads completes on the next. A lone ESC is the Escape key only once nothing follows it
/// promptly; the reader calls ``flushEscape()`` after a short wait.
struct KeyDecoder {
    private enum State {
        case ground
        /// ESC seen.
        case escape
        /// ESC [ seen; the parameter bytes so far.
        case csi([UInt8])
        /// ESC O seen.
        case ss3
        /// A UTF-8 lead byte seen; the bytes so far and how many the character needs.
        case utf8([UInt8], needed: Int)
    }

    private var state = State.ground

    /// Whether a lone ESC waits to be told apart from the start of a sequence.
    var awaitsEscape: Bool {
        if case .escape = state { true } else { false }
    }

    /// The keys `bytes` complete.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
        var keys: [Key] = []
        for byte in bytes {
            if let key = step(byte) { keys.append(key) }
        }
        return keys
    }

    /// Nothing followed an ESC: it was the Escape key.
    mutating func flushEscape() -> [Key] {
        guard awaitsEscape else { return [] }
        state = .ground
        return [.escape]
    }

    private mutating func step(_ byte: UInt8) -> Key? {
        switch state {
        case .ground:
            return ground(byte)
        case .escape:
            switch byte {
            case UInt8(ascii: "["): state = .csi([])
            case UInt8(ascii: "O"): state = .ss3
            case 0x1B:
                // ESC ESC: the first was the key; the second may start a sequence.
                return .escape
            default:
                // Alt+key: the key alone is what matters here.
                state = .ground
                return ground(byte)
            }
            return nil
        case .csi(let parameters):
            // Parameter and intermediate bytes until a final byte 0x40–0x7E.
            guard (0x40...0x7E).contains(byte) else {
                state = parameters.count < Self.maxSequenceBytes ? .csi(parameters + [byte]) : .ground
                return nil
            }
            state = .ground
            return Self.csi(final: byte, parameters: parameters)
        case .ss3:
            state = .ground
            return Self.csi(final: byte, parameters: [])
        case .utf8(let bytes, let needed):
            guard byte & 0xC0 == 0x80 else {
                // A broken sequence: drop it and read this byte afresh.
                state = .ground
                return ground(byte)
            }
            let bytes = bytes + [byte]
            guard bytes.count == needed else {
                state = .utf8(bytes, needed: needed)
                return nil
            }
            state = .ground
            return String(validating: bytes, as: UTF8.self).flatMap(\.first).map(Key.character) ?? .unknown
        }
    }

    /// A sequence longer than this is not a key; drop it rather than grow without bound.
    private static let maxSequenceBytes = 16

    private mutating func ground(_ byte: UInt8) -> Key? {
        switch byte {
        case 0x1B:
            state = .escape
            return nil
        case 0x0D, 0x0A: return .enter
        case 0x7F, 0x08: return .backspace
        case 0x09: return .tab
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(byte + 0x60)))
        case 0x20...0x7E: return .character(Character(Unicode.Scalar(byte)))
        case 0xC2...0xDF:
            state = .utf8([byte], needed: 2)
            return nil
        case 0xE0...0xEF:
            state = .utf8([byte], needed: 3)
            return nil
        case 0xF0...0xF4:
            state = .utf8([byte], needed: 4)
            return nil
        default: return .unknown
        }
    }

    private static func csi(final: UInt8, parameters: [UInt8]) -> Key {
        switch (final, parameters) {
        case (UInt8(ascii: "A"), _): .up
        case (UInt8(ascii: "B"), _): .down
        case (UInt8(ascii: "C"), _): .right
        case (UInt8(ascii: "D"), _): .left
        case (UInt8(ascii: "H"), _): .home
        case (UInt8(ascii: "F"), _): .end
        case (UInt8(ascii: "~"), [UInt8(ascii: "1")]), (UInt8(ascii: "~"), [UInt8(ascii: "7")]): .home
        case (UInt8(ascii: "~"), [UInt8(ascii: "4")]), (UInt8(ascii: "~"), [UInt8(ascii: "8")]): .end
        case (UInt8(ascii: "~"), [UInt8(ascii: "3")]): .delete
        case (UInt8(ascii: "~"), [UInt8(ascii: "5")]): .pageUp
        case (UInt8(ascii: "~"), [UInt8(ascii: "6")]): .pageDown
        default: .unknown
        }
    }
}
