import HelplineBrokerCore

/// Interns ROUTER routing ids as `ConnectionID`s, both ways.
///
/// libzmq's own routing ids are 5 bytes, so the common case packs the id and its length
/// into the 64-bit value itself: no allocation and no hashing per message. Ids a peer set
/// itself (up to 255 bytes) go through a table. Owned by the loop thread only.
final class ConnectionTable {
    /// Packed ids hold at most 7 bytes; the top byte carries the length.
    private static let maxPackedBytes = 7
    /// Table-interned ids have this bit set, which no packed id can have (length ≤ 7).
    private static let internedFlag: UInt64 = 1 << 63

    private var interned: [[UInt8]: UInt64] = [:]
    private var internedBytes: [UInt64: [UInt8]] = [:]
    private var nextInterned: UInt64 = 1

    /// The connection for a routing id frame.
    func connection(for routingID: UnsafeRawBufferPointer) -> ConnectionID {
        if routingID.count <= Self.maxPackedBytes {
            var raw = UInt64(routingID.count) << 56
            for (index, byte) in routingID.enumerated() { raw |= UInt64(byte) << (8 * UInt64(index)) }
            return ConnectionID(raw: raw)
        }
        let bytes = Array(routingID)
        if let raw = interned[bytes] { return ConnectionID(raw: raw) }
        let raw = Self.internedFlag | nextInterned
        nextInterned += 1
        interned[bytes] = raw
        internedBytes[raw] = bytes
        return ConnectionID(raw: raw)
    }

    /// Calls `body` with the routing id bytes of `connection`; `nil` for one never seen.
    func withRoutingID<R>(_ connection: ConnectionID, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        let raw = connection.raw
        if raw & Self.internedFlag != 0 {
            guard let bytes = internedBytes[raw] else { return nil }
            return bytes.withUnsafeBytes(body)
        }
        var packed = (raw & 0x00FF_FFFF_FFFF_FFFF).littleEndian
        let count = Int(raw >> 56)
        return withUnsafeBytes(of: &packed) { body(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
    }
}
