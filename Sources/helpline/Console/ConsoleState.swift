import HelplinePeer
import HelplineWire
import HelplineWorker

/// Everything the console shows, as a state machine: keys, offers, worker events and the
/// clock go in (with `now`, monotonic milliseconds); effects for the worker come out. No
/// terminal and no sockets here, so every rule can be tested by feeding it.
struct ConsoleState {
    /// Who this console is and how it behaves.
    struct Settings {
        var name: String
        var role: Role
        var skills: [String]
        var capacity: Int
        /// Milliseconds without a key press after which the human is away.
        var idleTimeout: Int64
    }

    /// The link to the broker, as the human should understand it.
    enum Connection: Equatable {
        case connecting
        case online
        case offline(reason: String)
        case reconnecting(at: Int64)
    }

    /// What the human is doing.
    enum Mode: Equatable {
        case browse
        /// Typing text for a reply to `ticket`.
        case compose(Compose)
        /// `q` while holding tickets: a second `q` quits.
        case confirmQuit
        /// The key list, over the ticket.
        case help
    }

    /// The reply being typed.
    struct Compose: Equatable {
        enum Purpose: Equatable {
            case answer, reject, edit, transfer, decline
        }
        var purpose: Purpose
        var ticket: String
        var text: String
    }

    /// A line for the message bar.
    struct Message: Equatable {
        enum Tone: Equatable { case info, good, warning, bad }
        var text: String
        var tone: Tone
    }

    let settings: Settings
    private(set) var tickets: [ConsoleTicket] = []
    private(set) var selectedID: String?
    var mode = Mode.browse
    private(set) var connection = Connection.connecting
    private(set) var presence = Presence.active
    /// When the human went away, and why (for the header and the message bar).
    private(set) var awaySince: Int64?
    private(set) var lastKeyAt: Int64
    /// The broker's accept timeout, once WELCOME has said it.
    private(set) var acceptTimeout: Int64?
    private(set) var messages: [Message] = []
    /// Lines of the selected ticket scrolled past.
    var detailScroll = 0
    /// Replies sent this session, for the header.
    private(set) var handled = 0
    private var registeredOnce = false

    /// Messages kept for the bar; only the latest shows, the rest are for tests and scrolling.
    static let maxMessages = 50

    init(settings: Settings, now: Int64) {
        self.settings = settings
        lastKeyAt = now
    }

    var selected: ConsoleTicket? {
        selectedID.flatMap { id in tickets.first { $0.id == id } }
    }

    var isLive: Bool { settings.role == .live }

    // MARK: Inputs other than keys

    /// The broker offers a ticket.
    mutating func offered(_ offer: OfferedTicket, now: Int64) -> [ConsoleEffect] {
        let ticket = ConsoleTicket(offer, now: now)
        // Highest priority first, then the order they came in: the list a human works down.
        let index = tickets.firstIndex { $0.offer.priority < offer.priority } ?? tickets.endIndex
        tickets.insert(ticket, at: index)
        if selectedID == nil { select(ticket.id) }
        let again = offer.attempt > 1 ? ", offered before" : ""
        note("New ticket \(ticket.shortID) (P\(offer.priority)\(again)): \(ticket.headline)", .info)
        return [.bell]
    }

    /// The clock: idle detection (and timers, which the screen reads from `now`).
    mutating func tick(now: Int64) -> [ConsoleEffect] {
        guard presence == .active, now - lastKeyAt >= settings.idleTimeout else { return [] }
        return goAway(now: now, because: "no key for \(TimeFormat.clock(milliseconds: settings.idleTimeout))")
    }

    // MARK: Helpers shared by the extensions

    mutating func note(_ text: String, _ tone: Message.Tone) {
        messages.append(Message(text: text.sanitizedForTerminal, tone: tone))
        if messages.count > Self.maxMessages { messages.removeFirst(messages.count - Self.maxMessages) }
    }

    mutating func select(_ id: String?) {
        selectedID = id
        detailScroll = 0
    }

    /// Removes a ticket (answered, revoked, ...), keeping a sensible selection.
    mutating func remove(_ id: String) -> ConsoleTicket? {
        guard let index = tickets.firstIndex(where: { $0.id == id }) else { return nil }
        let ticket = tickets.remove(at: index)
        if selectedID == id {
            select(tickets.isEmpty ? nil : tickets[min(index, tickets.count - 1)].id)
        }
        if case .compose(let compose) = mode, compose.ticket == id { mode = .browse }
        return ticket
    }

    mutating func markAccepted(_ id: String, now: Int64) {
        guard let index = tickets.firstIndex(where: { $0.id == id }) else { return }
        tickets[index].acceptedAt = now
    }

    mutating func goAway(now: Int64, because reason: String) -> [ConsoleEffect] {
        guard presence == .active else { return [] }
        presence = .away
        awaySince = now
        note("Away: \(reason). No new tickets until you press a key.", .warning)
        return [.presence(.away)]
    }

    /// A key press: the human is here. Returns the effects of coming back, if away.
    mutating func activity(now: Int64) -> [ConsoleEffect] {
        lastKeyAt = now
        guard presence == .away else { return [] }
        presence = .active
        awaySince = nil
        note("Welcome back: active, tickets will come to you again.", .good)
        return [.presence(.active)]
    }

    mutating func countHandled() {
        handled += 1
    }

    mutating func setConnection(_ connection: Connection) {
        self.connection = connection
    }

    mutating func registered(acceptTimeout: Int64) -> Bool {
        self.acceptTimeout = acceptTimeout
        connection = .online
        defer { registeredOnce = true }
        return registeredOnce
    }

    /// The broker set this console away (accept timeout): away until a key.
    mutating func setAwayByBroker(now: Int64) {
        guard presence == .active else { return }
        presence = .away
        awaySince = now
        note("The broker set you away: a ticket waited past the accept timeout. Press any key.", .warning)
    }
}
