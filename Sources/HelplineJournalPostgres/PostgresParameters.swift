/// A statement's parameters in the form libpq takes them: text values NUL-terminated in one
/// buffer, byte strings (bytea) pointed to in place in binary format. Reused from one
/// statement to the next, so a batch allocates nothing per record once warm.
struct PostgresParameters {
    private enum Slot {
        case null
        case text(offset: Int)
        case bytes(UnsafeRawBufferPointer)
    }

    private var storage: [CChar] = []
    private var slots: [Slot] = []

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
    }

    mutating func text(_ value: String?) {
        guard let value else {
            slots.append(.null)
            return
        }
        slots.append(.text(offset: storage.count))
        for byte in value.utf8 { storage.append(CChar(bitPattern: byte)) }
        storage.append(0)
    }

    mutating func integer(_ value: Int64?) {
        text(value.map { String($0) })
    }

    mutating func integer(_ value: Int?) {
        text(value.map { String($0) })
    }

    /// Bytes bound in place: they must stay valid until the statement is sent.
    mutating func bytes(_ value: UnsafeRawBufferPointer?) {
        guard let value else {
            slots.append(.null)
            return
        }
        slots.append(.bytes(value))
    }

    /// Calls `body` with libpq's arrays: count, values, lengths, formats (0 text, 1 binary).
    func withArrays<Result>(
        _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> Result
    ) -> Result {
        storage.withUnsafeBufferPointer { buffer in
            var values: [UnsafePointer<CChar>?] = []
            var lengths: [Int32] = []
            var formats: [Int32] = []
            values.reserveCapacity(slots.count)
            for slot in slots {
                switch slot {
                case .null:
                    values.append(nil)
                    lengths.append(0)
                    formats.append(0)
                case .text(let offset):
                    values.append(buffer.baseAddress.map { $0 + offset })
                    lengths.append(0)
                    formats.append(0)
                case .bytes(let bytes):
                    // An empty bytea still needs a non-NULL pointer (NULL means SQL NULL).
                    values.append(bytes.baseAddress?.assumingMemoryBound(to: CChar.self) ?? Self.empty)
                    lengths.append(Int32(bytes.count))
                    formats.append(1)
                }
            }
            return body(Int32(slots.count), values, lengths, formats)
        }
    }

    private nonisolated(unsafe) static let empty: UnsafePointer<CChar> = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        pointer.pointee = 0
        return UnsafePointer(pointer)
    }()
}
