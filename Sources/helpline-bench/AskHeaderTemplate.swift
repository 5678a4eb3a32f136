import HelplineWire

/// The ASK header a load client sends for every ticket, encoded once by HelplineWire with
/// a placeholder id of the process's id length; a send writes only the id's digits into it.
///
/// Every ticket the bench raises has the same fields but its id (spec defaults: no skills,
/// role `hila`, priority 0, ...), so the bytes on the wire are exactly what the encoder
/// would produce, for a fraction of its cost per ticket.
final class AskHeaderTemplate {
    private let format: TicketIdFormat
    /// The encoded header; `id` is the only part rewritten.
    private let header: UnsafeMutableRawBufferPointer
    private let id: UnsafeMutableRawBufferPointer

    init(format: TicketIdFormat, encoder: HeaderEncoder) {
        self.format = format
        let (_, encoded) = encoder.encode(ClientMessage.ask(Ask(ticket: format.string(0))))
        header = .allocate(byteCount: encoded.count, alignment: 1)
        header.copyBytes(from: encoded)
        guard let range = TicketIdPeek.ticketIdRange(in: UnsafeRawBufferPointer(header)),
              range.count == format.length
        else { preconditionFailure("the ASK header does not start with its id") }
        id = UnsafeMutableRawBufferPointer(rebasing: header[range])
    }

    deinit {
        header.deallocate()
    }

    /// The ASK header of ticket `sequence`, in the template's buffer: valid until the next call.
    func header(for sequence: Int) -> UnsafeRawBufferPointer {
        format.write(sequence, into: id)
        return UnsafeRawBufferPointer(header)
    }

    /// The id of ticket `sequence` alone (7/MDP carries it in a frame of its own), in the
    /// template's buffer: valid until the next call.
    func ticketId(for sequence: Int) -> UnsafeRawBufferPointer {
        format.write(sequence, into: id)
        return UnsafeRawBufferPointer(id)
    }
}
