import CZeroMQ

extension ZMQ {
    /// Length of a CURVE key in Z85: 32 bytes, 4 bytes to 5 characters.
    public static let z85KeyLength = 40
    /// Length of a binary CURVE key.
    public static let binaryKeyLength = 32

    /// The 32 bytes of a 40-character Z85 CURVE key; nil when `key` is not valid Z85 of
    /// that length (a typo in a key file must not become some other key).
    public static func z85Decode(key: String) -> [UInt8]? {
        guard key.utf8.count == z85KeyLength, key.utf8.allSatisfy(isZ85Character) else { return nil }
        var bytes = [UInt8](repeating: 0, count: binaryKeyLength)
        let decoded = bytes.withUnsafeMutableBufferPointer { zmq_z85_decode($0.baseAddress, key) }
        return decoded == nil ? nil : bytes
    }

    /// The 40-character Z85 form of a 32-byte CURVE key; nil for any other length.
    public static func z85Encode(key: some Collection<UInt8>) -> String? {
        guard key.count == binaryKeyLength else { return nil }
        let bytes = Array(key)
        var text = [CChar](repeating: 0, count: z85KeyLength + 1)
        guard zmq_z85_encode(&text, bytes, bytes.count) != nil else { return nil }
        return String(decoding: text.prefix(z85KeyLength).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Z85's alphabet (ZeroMQ RFC 32): digits, letters and `.-:+=^!/*?&<>()[]{}@%$#`.
    private static func isZ85Character(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        default:
            Array(".-:+=^!/*?&<>()[]{}@%$#".utf8).contains(byte)
        }
    }
}
