/// A linear walk over a MessagePack header that proves it safe to hand to msgpack-c.
///
/// msgpack-c believes the element count of an array or map header and allocates for it
/// before reading the elements: `df ff ff ff ff` asks for four billion map entries in five
/// bytes. Every element takes at least one byte, so this walk keeps the number of elements
/// still owed and rejects the input as soon as they outnumber the bytes that remain. It also
/// rejects what msgpack-c would accept but HLP/1 does not: a top level that is not one map,
/// trailing bytes, nesting deeper than `WireLimits.maxNestingDepth`. It allocates nothing.
enum MessagePackBoundsCheck {
    /// Why a header failed the walk. `offset` is where the offending byte sits.
    enum Failure: Equatable {
        case empty
        case notAMap
        case truncated(offset: Int)
        case reservedByte(offset: Int)
        case tooDeep(offset: Int)
        case countExceedsInput(offset: Int, pending: Int, remaining: Int)
        case trailingBytes(offset: Int, count: Int)

        var text: String {
            switch self {
            case .empty: "header is empty; the smallest header is an empty map (0x80)"
            case .notAMap: "header is not a MessagePack map"
            case .truncated(let offset): "header is truncated at byte \(offset)"
            case .reservedByte(let offset): "header has the reserved byte 0xc1 at byte \(offset)"
            case .tooDeep(let offset):
                "header nests deeper than \(WireLimits.maxNestingDepth) at byte \(offset)"
            case .countExceedsInput(let offset, let pending, let remaining):
                "header at byte \(offset) announces \(pending) elements but only \(remaining) bytes follow"
            case .trailingBytes(let offset, let count):
                "header has \(count) trailing byte\(count == 1 ? "" : "s") after the map at byte \(offset)"
            }
        }
    }

    /// Walks `bytes` once; `nil` when it is exactly one map msgpack-c can decode within a
    /// memory bound proportional to its size.
    static func check(_ bytes: UnsafeRawBufferPointer) -> Failure? {
        guard let first = bytes.first else { return .empty }
        guard (0x80...0x8F).contains(first) || first == 0xDE || first == 0xDF else {
            return .notAMap
        }
        // remaining[d] = elements still to read in the container open at depth d + 1. A
        // container stays on the stack at 0 while its last element (itself a container) is
        // being read, so the stack height is always the true depth.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: WireLimits.maxNestingDepth) { remaining in
            walk(bytes, remaining: remaining)
        }
    }

    private static func walk(_ bytes: UnsafeRawBufferPointer, remaining: UnsafeMutableBufferPointer<Int>) -> Failure? {
        let end = bytes.count
        var offset = 0
        var depth = 0
        var pending = 1  // elements owed across all open containers, the top-level map included
        repeat {
            let start = offset
            guard offset < end else { return .truncated(offset: offset) }
            let byte = bytes[offset]
            offset += 1
            pending -= 1
            if depth > 0 { remaining[depth - 1] -= 1 }

            var skip = 0  // payload bytes after the type byte
            var children = -1  // elements a container owes; -1 for a scalar
            switch byte {
            case 0x00...0x7F, 0xE0...0xFF, 0xC0, 0xC2, 0xC3: break
            case 0x80...0x8F: children = 2 * Int(byte & 0x0F)
            case 0x90...0x9F: children = Int(byte & 0x0F)
            case 0xA0...0xBF: skip = Int(byte & 0x1F)
            case 0xC1: return .reservedByte(offset: start)
            case 0xCC, 0xD0: skip = 1
            case 0xCD, 0xD1, 0xD4: skip = 2
            case 0xD5: skip = 3
            case 0xCA, 0xCE, 0xD2: skip = 4
            case 0xD6: skip = 5
            case 0xCB, 0xCF, 0xD3: skip = 8
            case 0xD7: skip = 9
            case 0xD8: skip = 17
            case 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF:
                // A big-endian length of 1, 2 or 4 bytes follows the type byte.
                let width = lengthWidth(byte)
                guard width <= end - offset else { return .truncated(offset: end) }
                var length = 0
                for index in offset..<(offset + width) { length = length << 8 | Int(bytes[index]) }
                offset += width
                switch byte {
                case 0xDC, 0xDD: children = length
                case 0xDE, 0xDF: children = 2 * length
                case 0xC7, 0xC8, 0xC9: skip = length + 1  // ext: one type byte before the data
                default: skip = length  // bin, str
                }
            default: preconditionFailure("every byte value is covered above")
            }

            guard skip <= end - offset else { return .truncated(offset: end) }
            offset += skip

            if children >= 0 {
                guard depth < WireLimits.maxNestingDepth else { return .tooDeep(offset: start) }
                pending += children
                guard pending <= end - offset else {
                    return .countExceedsInput(offset: start, pending: pending, remaining: end - offset)
                }
                if children > 0 {
                    remaining[depth] = children
                    depth += 1
                    continue
                }
            }
            // A scalar or an empty container completes; so may the containers it closes.
            while depth > 0 && remaining[depth - 1] == 0 { depth -= 1 }
        } while depth > 0

        return offset == end ? nil : .trailingBytes(offset: offset, count: end - offset)
    }

    /// How many bytes the length of a bin, str, ext, array16/32 or map16/32 takes.
    @inline(__always)
    private static func lengthWidth(_ byte: UInt8) -> Int {
        switch byte {
        case 0xC4, 0xC7, 0xD9: 1
        case 0xC5, 0xC8, 0xDA, 0xDC, 0xDE: 2
        default: 4
        }
    }
}
