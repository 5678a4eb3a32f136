/// Reads a fuzzer's bytes as a stream of small choices. Past the end it yields zeros, so
/// every input, however short, is a complete run; `isExhausted` tells a driver to stop.
package struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    /// The fuzzer's input, copied once.
    package init(_ data: UnsafeRawBufferPointer) {
        bytes = Array(data)
    }

    /// An input from bytes (tests replaying a corpus file).
    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether every byte has been read.
    package var isExhausted: Bool { position >= bytes.count }

    /// The next byte, 0 past the end.
    package mutating func byte() -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }

    /// A number in `0..<bound` (0 when `bound` ≤ 1).
    package mutating func below(_ bound: Int) -> Int {
        bound <= 1 ? 0 : Int(byte()) % bound
    }

    /// A little-endian 16-bit number.
    package mutating func uint16() -> Int {
        Int(byte()) | Int(byte()) << 8
    }

    /// One choice in two.
    package mutating func flag() -> Bool { byte() & 1 == 1 }

    /// The next `count` bytes (fewer at the end).
    package mutating func take(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, position + max(0, count))
        defer { position = max(position, end) }
        return position < end ? Array(bytes[position..<end]) : []
    }

    /// Everything not read yet.
    package mutating func rest() -> [UInt8] {
        take(bytes.count - position)
    }
}
