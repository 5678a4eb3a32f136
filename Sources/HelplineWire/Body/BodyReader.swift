/// A bounds-checked MessagePack reader over a byte array: every count is checked against
/// the bytes left before anything is allocated.
struct BodyReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { offset == bytes.count }

    mutating func value(depth: Int) -> BodyValue? {
        guard depth <= BodyValue.maxDepth, let marker = byte() else { return nil }
        switch marker {
        case 0x00...0x7f: return .int(Int64(marker))
        case 0x80...0x8f: return map(count: Int(marker & 0x0f), depth: depth)
        case 0x90...0x9f: return array(count: Int(marker & 0x0f), depth: depth)
        case 0xa0...0xbf: return string(count: Int(marker & 0x1f))
        case 0xc0: return .null
        case 0xc2: return .bool(false)
        case 0xc3: return .bool(true)
        case 0xc4: return unsigned(1).flatMap { binary(count: Int($0)) }
        case 0xc5: return unsigned(2).flatMap { binary(count: Int($0)) }
        case 0xc6: return unsigned(4).flatMap { binary(count: Int($0)) }
        case 0xca: return unsigned(4).map { .double(Double(Float(bitPattern: UInt32($0)))) }
        case 0xcb: return unsigned(8).map { .double(Double(bitPattern: $0)) }
        case 0xcc: return unsigned(1).map { .int(Int64($0)) }
        case 0xcd: return unsigned(2).map { .int(Int64($0)) }
        case 0xce: return unsigned(4).map { .int(Int64($0)) }
        case 0xcf: return unsigned(8).flatMap { $0 <= UInt64(Int64.max) ? .int(Int64($0)) : nil }
        case 0xd0: return unsigned(1).map { .int(Int64(Int8(truncatingIfNeeded: $0))) }
        case 0xd1: return unsigned(2).map { .int(Int64(Int16(truncatingIfNeeded: $0))) }
        case 0xd2: return unsigned(4).map { .int(Int64(Int32(truncatingIfNeeded: $0))) }
        case 0xd3: return unsigned(8).map { .int(Int64(bitPattern: $0)) }
        case 0xd9: return unsigned(1).flatMap { string(count: Int($0)) }
        case 0xda: return unsigned(2).flatMap { string(count: Int($0)) }
        case 0xdb: return unsigned(4).flatMap { string(count: Int($0)) }
        case 0xdc: return unsigned(2).flatMap { array(count: Int($0), depth: depth) }
        case 0xdd: return unsigned(4).flatMap { array(count: Int($0), depth: depth) }
        case 0xde: return unsigned(2).flatMap { map(count: Int($0), depth: depth) }
        case 0xdf: return unsigned(4).flatMap { map(count: Int($0), depth: depth) }
        case 0xe0...0xff: return .int(Int64(Int8(bitPattern: marker)))
        default: return nil  // 0xc1 (never used) and the ext family
        }
    }

    private mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A big-endian unsigned integer of `width` bytes.
    private mutating func unsigned(_ width: Int) -> UInt64? {
        guard bytes.count - offset >= width else { return nil }
        var value: UInt64 = 0
        for index in offset..<offset + width { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }

    private mutating func raw(_ count: Int) -> ArraySlice<UInt8>? {
        guard count <= bytes.count - offset else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    private mutating func string(count: Int) -> BodyValue? {
        guard let raw = raw(count), let text = String(validating: raw, as: UTF8.self) else { return nil }
        return .string(text)
    }

    private mutating func binary(count: Int) -> BodyValue? {
        raw(count).map { .binary(Array($0)) }
    }

    private mutating func array(count: Int, depth: Int) -> BodyValue? {
        // Every element takes at least one byte: a larger count is a lie.
        guard count <= bytes.count - offset else { return nil }
        var elements: [BodyValue] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            guard let element = value(depth: depth + 1) else { return nil }
            elements.append(element)
        }
        return .array(elements)
    }

    private mutating func map(count: Int, depth: Int) -> BodyValue? {
        // Every entry takes at least two bytes.
        guard count <= (bytes.count - offset) / 2 else { return nil }
        var entries: [String: BodyValue] = [:]
        entries.reserveCapacity(count)
        for _ in 0..<count {
            guard case .string(let key)? = value(depth: depth + 1), let entry = value(depth: depth + 1),
                entries.updateValue(entry, forKey: key) == nil
            else { return nil }
        }
        return .map(entries)
    }
}
