/// A 64-bit fingerprint of an ASK body, so that a repeated ASK with the same ticket id but
/// a different body is refused (409) rather than taken for a resend.
///
/// Deterministic across processes (a journal may keep it), word-at-a-time so a 1 MiB body
/// costs well under a millisecond. Not a cryptographic hash: it only tells resends from
/// mistakes by an honest client.
enum BodyDigest {
    private static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let multiplier: UInt64 = 0xFF51_AFD7_ED55_8CCD

    static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = seed ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            mix(&hash, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for index in offset..<bytes.count { tail |= UInt64(bytes[index]) << (8 * UInt64(index - offset)) }
            mix(&hash, tail)
        }
        return finalize(hash)
    }

    private static func mix(_ hash: inout UInt64, _ word: UInt64) {
        hash = (hash ^ word) &* multiplier
        hash ^= hash >> 29
    }

    private static func finalize(_ hash: UInt64) -> UInt64 {
        var value = hash
        value ^= value >> 33
        value = value &* 0xC4CE_B9FE_1A85_EC53
        value ^= value >> 33
        return value
    }
}
