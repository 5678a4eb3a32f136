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
    /// Compares bytes, not Strings: it runs for every message the broker receives.
    public init?(bytes: UnsafeRawBufferPointer) {
        // "HLP", then C or W, then "01".
        guard bytes.count == 6, bytes[0] == 0x48, bytes[1] == 0x4C, bytes[2] == 0x50, bytes[4] == 0x30, bytes[5] == 0x31
        else { return nil }
        switch bytes[3] {
        case 0x43: self = .client
        case 0x57: self = .worker
        default: return nil
        }
    }
}
