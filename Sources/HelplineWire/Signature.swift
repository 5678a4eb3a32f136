/// The protocol signature: frame 0 of every HLP/1 message (spec §"Framing").
///
/// A peer speaks exactly one sub-protocol. A new wire version gets a new signature,
/// never a silent change to an old one.
public enum Signature: String, Sendable, CaseIterable {
    /// HLP/Client version 1: agent processes.
    case client = "HLPC01"
    /// HLP/Worker version 1: HILA and live-agent consoles.
    case worker = "HLPW01"

    /// The six ASCII bytes of the signature frame.
    public var bytes: [UInt8] { Array(rawValue.utf8) }

    /// Recognises a signature frame; `nil` for anything else (the broker answers 505).
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 6 else { return nil }
        for candidate in Signature.allCases where candidate.rawValue.utf8.elementsEqual(bytes) {
            self = candidate
            return
        }
        return nil
    }
}
