/// A load client's ticket ids: `<tag>-<sequence>`, the sequence in a fixed number of
/// decimal digits, so every id of a process has the same length. Sends patch the digits
/// into a header built once (`AskHeaderTemplate`) and replies are matched by parsing
/// them back into the integer, with no `String` made or hashed per ticket.
struct TicketIdFormat {
    /// 10^12 tickets per process: days at any rate this machine reaches.
    static let digits = 12
    /// The spec's limit on a ticket id (proto-spec/1-HLP.md, "Limits").
    static let maximumLength = 128

    /// `tag` and the dash, as bytes.
    let prefix: [UInt8]
    /// Bytes of every id this format writes.
    let length: Int

    init(tag: String) {
        prefix = Array(tag.utf8) + [UInt8(ascii: "-")]
        length = prefix.count + Self.digits
        precondition(length <= Self.maximumLength, "ticket tag '\(tag)' makes ids over \(Self.maximumLength) bytes")
    }

    /// Writes the id of `sequence` into `id`, which holds exactly `length` bytes.
    func write(_ sequence: Int, into id: UnsafeMutableRawBufferPointer) {
        precondition(id.count == length && sequence >= 0, "id buffer of \(id.count) bytes for \(length)")
        id.copyBytes(from: prefix)
        var rest = sequence
        for position in stride(from: length - 1, through: prefix.count, by: -1) {
            id[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// The sequence `id` was written for; nil when it is not an id of this format.
    func sequence(of id: UnsafeRawBufferPointer) -> Int? {
        guard id.count == length, id.starts(with: prefix) else { return nil }
        var sequence = 0
        for position in prefix.count..<length {
            let digit = id[position] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            sequence = sequence * 10 + Int(digit)
        }
        return sequence
    }

    /// The id of `sequence` as a string, for the event lines the scenarios read.
    func string(_ sequence: Int) -> String {
        String(unsafeUninitializedCapacity: length) { buffer in
            write(sequence, into: UnsafeMutableRawBufferPointer(buffer))
            return length
        }
    }
}
