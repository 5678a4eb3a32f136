/// Writes MessagePack in the smallest form for each value.
struct BodyWriter {
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
