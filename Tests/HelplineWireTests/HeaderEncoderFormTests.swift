import CMsgPack
import Testing

@testable import HelplineWire

/// The encoder writes MessagePack itself: at every size boundary its bytes must be the
/// ones msgpack-c's packer writes (the smallest form), which the golden vectors alone
/// cover only at the sizes HLP headers happen to use.
@Suite struct HeaderEncoderFormTests {
    private static let unsignedEdges: [Int] = [0, 1, 127, 128, 255, 256, 65_535, 65_536, 4_294_967_295, 4_294_967_296, Int.max]
    private static let negativeEdges: [Int] = [-1, -32, -33, -128, -129, -32_768, -32_769, -2_147_483_648, -2_147_483_649, Int.min]
    private static let lengthEdges: [Int] = [0, 1, 31, 32, 255, 256, 65_535, 65_536]
    private static let countEdges: [Int] = [0, 15, 16, 65_535, 65_536]

    @Test(arguments: unsignedEdges + negativeEdges)
    func integer_isWrittenAsMsgpackCWritesIt(_ value: Int) {
        #expect(encoded { $0.int(value) } == reference { packer in
            if value >= 0 { msgpack_pack_uint64(packer, UInt64(value)) } else { msgpack_pack_int64(packer, Int64(value)) }
        })
    }

    @Test(arguments: lengthEdges)
    func string_isWrittenAsMsgpackCWritesIt(_ length: Int) {
        let text = String(repeating: "é", count: length / 2) + String(repeating: "a", count: length % 2)
        #expect(encoded { $0.string(text) } == reference { packer in
            var utf8 = Array(text.utf8)
            msgpack_pack_str(packer, utf8.count)
            msgpack_pack_str_body(packer, &utf8, utf8.count)
        })
    }

    @Test(arguments: countEdges)
    func mapAndArrayHeaders_areWrittenAsMsgpackCWritesThem(_ count: Int) {
        #expect(encoded { $0.map(count) } == reference { msgpack_pack_map($0, count) })
        #expect(encoded { $0.array(count) } == reference { msgpack_pack_array($0, count) })
    }

    @Test func aGrowingHeader_keepsEveryByte_andTheNextStartsEmpty() {
        let encoder = HeaderEncoder()
        let queued = ClientReply.queued(Queued(ticket: "t", role: .hila, position: 1))
        let small = encoder.withEncoded(queued) { _, bytes in Array(bytes) }
        // 3,000 strings: far past the buffer's first kilobyte.
        let strings = (0..<3_000).map { "skill-\($0)" }
        encoder.start()
        encoder.strings(strings)
        #expect(encoder.withCurrentBytes { Array($0) } == reference { packer in
            msgpack_pack_array(packer, strings.count)
            for string in strings {
                var utf8 = Array(string.utf8)
                msgpack_pack_str(packer, utf8.count)
                msgpack_pack_str_body(packer, &utf8, utf8.count)
            }
        })
        #expect(encoder.withEncoded(queued) { _, bytes in Array(bytes) } == small)
    }

    private func encoded(_ write: (HeaderEncoder) -> Void) -> [UInt8] {
        let encoder = HeaderEncoder()
        encoder.start()
        write(encoder)
        return encoder.withCurrentBytes { Array($0) }
    }

    private func reference(_ write: (UnsafeMutablePointer<msgpack_packer>) -> Void) -> [UInt8] {
        let buffer = UnsafeMutablePointer<msgpack_sbuffer>.allocate(capacity: 1)
        let packer = UnsafeMutablePointer<msgpack_packer>.allocate(capacity: 1)
        defer {
            msgpack_sbuffer_destroy(buffer)
            buffer.deallocate()
            packer.deallocate()
        }
        msgpack_sbuffer_init(buffer)
        msgpack_packer_init(packer, buffer, msgpack_sbuffer_write)
        write(packer)
        return Array(UnsafeRawBufferPointer(start: buffer.pointee.data, count: buffer.pointee.size))
    }
}
