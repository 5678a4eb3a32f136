/// Byte-level checks on header strings, cheaper than building a `String` to ask it.
///
/// `String(validating:as:)` is slow for short strings (FIELD-NOTES); header strings are
/// short and nearly always ASCII, so an eight-bytes-at-a-time ASCII scan settles most of
/// them and `String(decoding:as:)` then copies without repairs.
enum UTF8Check {
    /// Whether `bytes` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
    /// nothing above U+10FFFF, no truncated sequence).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            // ASCII fast path: eight bytes with no high bit set.
            if count - index >= 8,
                bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // Table 3-7 of the Unicode standard: the lead byte fixes the length and the
            // range of the first continuation byte; the others are always 0x80...0xBF.
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                secondRange = 0x80...0x9F
            case 0xF0:
                length = 4
                secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                secondRange = 0x80...0x8F
            default: return false
            }
            guard count - index >= length, secondRange.contains(bytes[index + 1]) else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }

    /// Whether `bytes` holds a control character (U+0000–U+001F, U+007F). In UTF-8 these
    /// are single bytes that never occur inside a multi-byte sequence.
    static func hasControlCharacter(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.contains { $0 < 0x20 || $0 == 0x7F }
    }
}
