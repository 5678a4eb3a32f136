extension BodyValue {
    /// Decodes one MessagePack value that fills `bytes` exactly; nil for anything else
    /// (truncated, trailing bytes, ext types, non-str map keys, duplicate keys, integers
    /// above `Int64.max`, invalid UTF-8, nesting deeper than ``maxDepth``).
    public init?(messagePack bytes: [UInt8]) {
        var reader = MessagePackReader(bytes: bytes)
        guard let value = reader.value(depth: 0), reader.atEnd else { return nil }
        self = value
    }

    /// The value as MessagePack in its smallest forms; map keys in ascending order, so
    /// equal values encode to equal bytes.
    public func messagePack() -> [UInt8] {
        var writer = MessagePackWriter()
        writer.write(self)
        return writer.bytes
    }

    /// Bodies nest conversations in maps in lists; 32 levels is far beyond any real one and
    /// keeps a hostile body from exhausting the stack.
    public static let maxDepth = 32
}

/// A bounds-checked MessagePack reader over a byte array: every count is checked against
/// the bytes left before anything is allocated.
struct MessagePackReader {
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

/// Writes MessagePack in the smallest form for each value.
struct MessagePackWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: BodyValue) {
        switch value {
        case .null: bytes.append(0xc0)
        case .bool(let flag): bytes.append(flag ? 0xc3 : 0xc2)
        case .int(let number): write(number)
        case .double(let number):
            bytes.append(0xcb)
            append(number.bitPattern, width: 8)
        case .string(let text): write(text)
        case .binary(let data):
            header(count: data.count, small: nil, markers: (0xc4, 0xc5, 0xc6))
            bytes.append(contentsOf: data)
        case .array(let elements):
            header(count: elements.count, small: 0x90, markers: (nil, 0xdc, 0xdd))
            for element in elements { write(element) }
        case .map(let entries):
            header(count: entries.count, small: 0x80, markers: (nil, 0xde, 0xdf))
            for key in entries.keys.sorted() {
                write(key)
                write(entries[key]!)
            }
        }
    }

    mutating func write(_ text: String) {
        let utf8 = text.utf8
        header(count: utf8.count, small: 0xa0, markers: (0xd9, 0xda, 0xdb), smallLimit: 32)
        bytes.append(contentsOf: utf8)
    }

    private mutating func write(_ number: Int64) {
        switch number {
        case 0...0x7f: bytes.append(UInt8(number))
        case -32..<0: bytes.append(UInt8(bitPattern: Int8(number)))
        case 0...Int64(UInt8.max): bytes.append(0xcc); append(UInt64(number), width: 1)
        case 0...Int64(UInt16.max): bytes.append(0xcd); append(UInt64(number), width: 2)
        case 0...Int64(UInt32.max): bytes.append(0xce); append(UInt64(number), width: 4)
        case 0...: bytes.append(0xcf); append(UInt64(number), width: 8)
        case Int64(Int8.min)...: bytes.append(0xd0); append(UInt64(bitPattern: number), width: 1)
        case Int64(Int16.min)...: bytes.append(0xd1); append(UInt64(bitPattern: number), width: 2)
        case Int64(Int32.min)...: bytes.append(0xd2); append(UInt64(bitPattern: number), width: 4)
        default: bytes.append(0xd3); append(UInt64(bitPattern: number), width: 8)
        }
    }

    /// A length or count header: the fix form below `smallLimit` when there is one, then
    /// 8-, 16- and 32-bit forms (str and bin have an 8-bit form; array and map do not).
    private mutating func header(
        count: Int, small: UInt8?, markers: (UInt8?, UInt8, UInt8), smallLimit: Int = 16
    ) {
        if let small, count < smallLimit {
            bytes.append(small | UInt8(count))
        } else if let marker8 = markers.0, count <= Int(UInt8.max) {
            bytes.append(marker8)
            append(UInt64(count), width: 1)
        } else if count <= Int(UInt16.max) {
            bytes.append(markers.1)
            append(UInt64(count), width: 2)
        } else {
            bytes.append(markers.2)
            append(UInt64(count), width: 4)
        }
    }

    /// The low `width` bytes of `value`, big-endian.
    private mutating func append(_ value: UInt64, width: Int) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
