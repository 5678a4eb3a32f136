import HelplineWire

/// Writes the header of an echo worker's ANSWER (decision `answer`) around a ticket id
/// copied from the ASSIGN (or, through the forwarder, the ASK) it answers.
///
/// The fixed parts come from HelplineWire's encoder, once: the map and `id` key before
/// the id, the `decision` field after it. Only the id's str marker and bytes are written
/// per answer, in the smallest form, as the encoder writes them; `init` checks the result
/// against the encoder's for ids of both str forms.
final class AnswerHeaderWriter {
    /// Map marker and `id` key.
    private let prefix: [UInt8]
    /// The `decision` field.
    private let suffix: [UInt8]
    private let buffer: UnsafeMutableRawBufferPointer

    init(encoder: HeaderEncoder) {
        let (_, sample) = encoder.encode(WorkerMessage.answer(Answer(ticket: "x", decision: .answer)))
        let idRange = sample.withUnsafeBytes { TicketIdPeek.ticketIdRange(in: $0) }
        guard let idRange, idRange.count == 1 else { preconditionFailure("the ANSWER header does not start with its id") }
        prefix = Array(sample[..<(idRange.lowerBound - 1)])
        suffix = Array(sample[idRange.upperBound...])
        buffer = .allocate(byteCount: prefix.count + 2 + TicketIdFormat.maximumLength + suffix.count, alignment: 1)
        for length in [1, 31, 32, TicketIdFormat.maximumLength] {
            let ticket = String(repeating: "t", count: length)
            let expected = encoder.encode(WorkerMessage.answer(Answer(ticket: ticket, decision: .answer))).1
            let written = Array(ticket.utf8).withUnsafeBytes { Array(header(ticketId: $0)) }
            precondition(written == expected, "ANSWER header for a \(length)-byte id differs from the encoder's")
        }
    }

    deinit {
        buffer.deallocate()
    }

    /// The ANSWER header for `ticketId` (1–128 bytes), in a buffer the writer owns: valid
    /// until the next call.
    func header(ticketId: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        precondition(ticketId.count > 0 && ticketId.count <= TicketIdFormat.maximumLength, "ticket id of \(ticketId.count) bytes")
        var offset = 0
        func append(_ bytes: UnsafeRawBufferPointer) {
            UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<(offset + bytes.count)]).copyMemory(from: bytes)
            offset += bytes.count
        }
        prefix.withUnsafeBytes { append($0) }
        if ticketId.count < 32 {
            buffer[offset] = 0xa0 | UInt8(ticketId.count)  // fixstr
            offset += 1
        } else {
            buffer[offset] = 0xd9  // str 8
            buffer[offset + 1] = UInt8(ticketId.count)
            offset += 2
        }
        append(ticketId)
        suffix.withUnsafeBytes { append($0) }
        return UnsafeRawBufferPointer(rebasing: buffer[..<offset])
    }
}
