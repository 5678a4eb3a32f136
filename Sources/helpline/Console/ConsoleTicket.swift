import HelplinePeer
import HelplineWire
import HelplineWorker

/// A ticket the console holds: the offer, its body read as the ASK convention, and the
/// times its timers count from (monotonic milliseconds).
struct ConsoleTicket: Equatable {
    let offer: OfferedTicket
    /// The conventional body; nil when the body is not such a map.
    let body: AskBody?
    let offeredAt: Int64
    /// When the human accepted it; nil while it is only offered.
    var acceptedAt: Int64?

    init(_ offer: OfferedTicket, now: Int64) {
        self.offer = offer
        body = offer.askBody
        offeredAt = now
    }

    var id: String { offer.id }

    /// Ticket ids are often UUIDs: their first characters tell them apart on a screen, as
    /// short commit hashes do. Ids people chose ("refund-1182") show whole up to a length.
    var shortID: String {
        let clean = offer.id.sanitizedForTerminal
        return clean.count <= Self.wholeIDLength ? clean : String(clean.prefix(Self.shortIDLength)) + "…"
    }

    static let wholeIDLength = 16
    static let shortIDLength = 8

    /// The prompt on one line, for lists and messages.
    var headline: String {
        let prompt = body?.prompt ?? ""
        return prompt.isEmpty ? "(no prompt)" : prompt.sanitizedForTerminal
    }

    /// Milliseconds left to accept before the broker takes it back.
    func acceptLeft(now: Int64) -> Int64 {
        Int64(offer.acceptTimeout.wholeMilliseconds) - (now - offeredAt)
    }

    /// Milliseconds left before the ticket expires.
    func deadlineLeft(now: Int64) -> Int64 {
        Int64(offer.deadline.wholeMilliseconds) - (now - offeredAt)
    }

    /// Milliseconds since the agent asked.
    func age(now: Int64) -> Int64 {
        Int64(offer.age.wholeMilliseconds) + (now - offeredAt)
    }
}
