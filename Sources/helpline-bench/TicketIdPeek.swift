/// Finds the ticket id in an HLP header without decoding the rest of it.
///
/// Every header on the bench's hot path (ASK, ASSIGN, ANSWER, ANSWERED) is a map whose
/// first key is `id` in canonical form (1-HLP.md §Header Encoding: keys in table order,
/// smallest forms), so the id sits at a fixed place after the map and key markers. A
/// header shaped otherwise returns nil, and the caller decodes it in full.
enum TicketIdPeek {
    /// `fixstr 2` then "id": the first key of every ticket header.
    private static let idKey: [UInt8] = [0xa2, UInt8(ascii: "i"), UInt8(ascii: "d")]

    /// The bytes of the `id` value, inside `header`; nil unless `header` is a fixmap
    /// whose first entry is `id` with a str value of 1 or more bytes, all within it.
    static func ticketId(in header: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard let range = ticketIdRange(in: header) else { return nil }
        return UnsafeRawBufferPointer(rebasing: header[range])
    }

    /// Where `ticketId(in:)` finds the id, as byte offsets into `header`.
    static func ticketIdRange(in header: UnsafeRawBufferPointer) -> Range<Int>? {
        guard header.count > 5, header[0] > 0x80, header[0] <= 0x8f,
              header[1] == idKey[0], header[2] == idKey[1], header[3] == idKey[2]
        else { return nil }
        let marker = header[4]
        let start: Int
        let length: Int
        switch marker {
        case 0xa1...0xbf:  // fixstr
            start = 5
            length = Int(marker & 0x1f)
        case 0xd9:  // str 8: ids of 32 to 128 bytes
            start = 6
            length = Int(header[5])
        default:
            return nil
        }
        guard length > 0, start + length <= header.count else { return nil }
        return start..<(start + length)
    }
}
