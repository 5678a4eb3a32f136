import Foundation
import HelplineWire
import HelplineWorker

/// One person's console at the server: their single worker registration at the broker
/// (a ``HelplineWorker``), the tickets it holds, the decisions awaiting the broker's
/// confirmation, and the tabs that show it. Every tab gets the whole ``DeskView`` after each
/// change, so tabs and reloads always agree.
///
/// How a browser event becomes a worker command: the tab's WebSocket delivers a
/// ``PageCommand``; ``perform(_:from:)`` checks it against this desk's tickets, calls the
/// worker (accept, answer, transfer, decline, presence) and marks the ticket `sending`; the
/// worker's ``WorkerEvent/replyRecorded(ticket:)`` (or a refusal, revocation) settles it.
actor Desk {
    struct Held {
        var offer: OfferedTicket
        var offeredAt: Int64
        var acceptedAt: Int64?
    }

    let user: WebUser
    let role: Role
    private let worker: HelplineWorker
    private var held: [String: Held] = [:]
    private var order: [String] = []
    private var sending: [String: DeskDecision] = [:]
    /// Recently removed tickets and why, to answer a command that crossed the removal.
    private var gone: [String: String] = [:]
    private var answered: [DeskView.Answered] = []
    private var tabs: [Int: AsyncStream<String>.Continuation] = [:]
    private var presence: Presence = .active
    private var link = "connecting"
    private var unsaid: [String] = []
    private var pumps: [Task<Void, Never>] = []
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// Registers `user` at the broker (in the background: the broker may come up later).
    init(user: WebUser, role: Role, endpoint: String, options: HelplineWorker.Options) throws(HelplineWorkerError) {
        self.user = user
        self.role = role
        var options = options
        options.confirmReplies = true
        worker = try HelplineWorker(
            endpoint: endpoint,
            registration: WorkerRegistration(name: user.name, role: role, skills: user.skills, capacity: user.capacity),
            options: options)
    }

    /// Starts following the worker's offers and events.
    func start() {
        let worker = worker
        pumps = [
            Task { [weak self] in
                for await ticket in worker.tickets { await self?.offered(ticket) }
            },
            Task { [weak self] in
                for await event in worker.events { await self?.happened(event) }
            },
        ]
    }

    /// Ends the registration: DISCONNECT, so the broker re-offers what this desk held.
    func close() async {
        for (_, tab) in tabs { tab.finish() }
        tabs = [:]
        let worker = worker
        // close() blocks until the I/O thread stops: not on an actor's executor.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                worker.close()
                done.resume()
            }
        }
        for pump in pumps { pump.cancel() }
    }

    // MARK: Tabs

    func attach(_ id: Int, _ tab: AsyncStream<String>.Continuation) {
        tabs[id] = tab
        tab.yield(render())
    }

    func detach(_ id: Int) {
        tabs[id]?.finish()
        tabs[id] = nil
    }

    // MARK: From the page

    /// One command from a tab; problems go back to that tab as a notice.
    func perform(_ command: PageCommand, from tab: Int) {
        if command.op == .presence {
            guard let value = command.presence.flatMap(Presence.init(rawValue:)) else {
                return tell(tab, "bad", "Presence must be active or away.")
            }
            presence = value
            try? worker.setPresence(value)
            return broadcast()
        }
        guard let id = command.id else { return tell(tab, "bad", "Which ticket? The command named none.") }
        guard let ticket = held[id] else {
            return tell(tab, "bad", "Not sent: " + (gone[id] ?? "that ticket is no longer yours."), id)
        }
        if let pending = sending[id] {
            return tell(tab, "info", "Already sent (\(pending.summary)); waiting for the broker to confirm.", id)
        }
        let decision: DeskDecision
        switch Self.decision(command, for: ticket.offer) {
        case .success(let checked): decision = checked
        case .failure(let problem): return tell(tab, "bad", problem.description, id)
        }
        do throws(HelplineWorkerError) {
            switch decision {
            case .accept, .take: try worker.accept(id)
            case .answer(let choice, let option, let text, let edited):
                let body = text == nil && edited == nil ? [] : AnswerBody(text: text, edited: edited).encoded()
                try worker.answer(id, decision: choice, option: option, body: body)
            case .transfer(let note): try worker.transfer(id, note: note)
            case .decline(let reason): try worker.decline(id, reason: reason)
            }
        } catch {
            return tell(tab, "bad", "Not sent: \(error.message)", id)
        }
        sending[id] = decision
        broadcast()
    }

    /// Checks a page command against the ticket: the right role, a known option, a body.
    static func decision(_ command: PageCommand, for ticket: OfferedTicket) -> Result<DeskDecision, WebSetupError> {
        let hila = ticket.role == .hila
        switch command.op {
        case .accept:
            return hila ? .success(.accept) : .failure(WebSetupError("A live ticket is taken over, not accepted."))
        case .take:
            return hila ? .failure(WebSetupError("Only a live agent takes a conversation over.")) : .success(.take)
        case .transfer:
            return hila ? .success(.transfer(note: command.note)) : .failure(WebSetupError("A live ticket cannot be transferred again."))
        case .decline:
            return .success(.decline(reason: command.reason))
        case .presence:
            return .failure(WebSetupError("Presence names no ticket."))
        case .decide:
            guard hila else { return .failure(WebSetupError("A live agent takes the conversation over or declines it.")) }
            guard let word = command.decision, let choice = Decision(rawValue: word) else {
                return .failure(WebSetupError("Unknown decision \(command.decision ?? "(none)")."))
            }
            switch choice {
            case .option:
                guard let option = command.option, ticket.options.contains(option) else {
                    return .failure(WebSetupError("Pick one of the ticket's options: \(ticket.options.joined(separator: ", "))."))
                }
                return .success(.answer(.option, option: option, text: nil, edited: nil))
            case .approve:
                return .success(.answer(.approve, option: nil, text: nil, edited: nil))
            case .reject:
                return .success(.answer(.reject, option: nil, text: command.text.flatMap { $0.isEmpty ? nil : $0 }, edited: nil))
            case .answer:
                guard let text = command.text, !text.isEmpty else { return .failure(WebSetupError("Write an answer first.")) }
                return .success(.answer(.answer, option: nil, text: text, edited: nil))
            case .edit:
                guard let edited = command.edited else { return .failure(WebSetupError("No edited proposal to send.")) }
                return .success(.answer(.edit, option: nil, text: nil, edited: edited.value))
            }
        }
    }

    // MARK: From the broker

    private func offered(_ ticket: OfferedTicket) {
        let now = Self.wallClock()
        if held[ticket.id] == nil { order.append(ticket.id) }
        held[ticket.id] = Held(offer: ticket, offeredAt: now)
        gone[ticket.id] = nil
        broadcast()
    }

    private func happened(_ event: WorkerEvent) {
        switch event {
        case .connected:
            return
        case .registered:
            link = "online"
            // After a reconnect the broker may still think the person is away: say the truth.
            try? worker.setPresence(presence)
        case .disconnected:
            link = "offline"
        case .reconnecting:
            link = "connecting"
        case .presenceChanged(let value):
            presence = value
            if value == .away { notify("info", "You were set away: a ticket waited past its time to accept. Set yourself active to get new tickets.") }
        case .revoked(let id, let reason):
            let pending = sending[id]
            let why = Self.explain(reason)
            remove(id, because: why)
            notify(reason == .cancelled && pending == nil ? "info" : "bad", (pending == nil ? "Ticket taken back: " : "Not sent: ") + why, id)
        case .dropped(let id):
            remove(id, because: "after a reconnect the broker gave it to someone else.")
            notify("bad", "Ticket dropped: after a reconnect the broker gave it to someone else.", id)
        case .replyUncertain(let id):
            remove(id, because: "the connection to the broker dropped while sending it.")
            notify("bad", "The connection to the broker dropped while your decision was on its way; the broker no longer lists the ticket (it was recorded, or given to someone else).", id)
        case .replyRecorded(let id):
            confirmed(id)
        case .refused(let error):
            refused(error)
        }
        broadcast()
    }

    private func confirmed(_ id: String) {
        guard let decision = sending.removeValue(forKey: id), let ticket = held[id] else { return }
        if decision.isFinal {
            remove(id, because: "you already \(decision.summary).")
            answered.insert(
                DeskView.Answered(id: id, prompt: Self.firstLine(ticket.offer), said: decision.summary, at: Self.wallClock()), at: 0)
            if answered.count > 50 { answered.removeLast() }
            notify("good", "Sent: \(decision.summary).", id)
        } else {
            held[id]?.acceptedAt = Self.wallClock()
            notify("good", "Accepted: the agent knows you are on it.", id)
        }
    }

    private func refused(_ error: ErrorReply) {
        guard let id = error.ticket, held[id] != nil else {
            return notify("bad", "The broker refused a command: \(error.code.rawValue) \(error.text)")
        }
        switch error.code {
        case .unavailable:
            notify("bad", "The broker cannot record decisions just now; yours is sent again shortly.", id)
        case .forbidden, .unknownTicket:
            let why = "the ticket was revoked, cancelled or expired before your decision reached the broker."
            remove(id, because: why)
            notify("bad", "Not sent: \(why)", id)
        default:
            sending[id] = nil
            notify("bad", "Not sent: the broker refused it (\(error.code.rawValue) \(error.text)).", id)
        }
    }

    private func remove(_ id: String, because why: String) {
        held[id] = nil
        sending[id] = nil
        order.removeAll { $0 == id }
        gone[id] = why
        if gone.count > 200 { gone.removeAll() }
    }

    private static func explain(_ reason: RevokeReason) -> String {
        switch reason {
        case .cancelled: "the agent cancelled it."
        case .acceptTimeout: "it was not accepted in time; it goes to someone else."
        case .maxWait: "it waited too long for a HILA and moved to live agents."
        case .expired: "its deadline passed."
        case .leaseExpired: "its lease ran out; it goes to someone else."
        }
    }

    // MARK: To the page

    private func render() -> String {
        let view = DeskView(
            now: Self.wallClock(),
            me: .init(name: user.name, role: role.rawValue, skills: user.skills, capacity: user.capacity),
            presence: presence.rawValue, link: link,
            tickets: order.compactMap { id in held[id].map { ticketView($0) } },
            answered: answered)
        return (try? encoder.encode(view)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private func ticketView(_ ticket: Held) -> DeskView.Ticket {
        let offer = ticket.offer
        return DeskView.Ticket(
            id: offer.id, role: offer.role.rawValue, skills: offer.skills, priority: offer.priority, options: offer.options,
            attempt: offer.attempt, stage: ticket.acceptedAt == nil ? "offered" : "accepted",
            sending: sending[offer.id].map(Self.word),
            offeredAt: ticket.offeredAt, acceptBy: ticket.offeredAt + Int64(offer.acceptTimeout.wholeMilliseconds),
            acceptedAt: ticket.acceptedAt, expiresAt: ticket.offeredAt + Int64(offer.deadline.wholeMilliseconds),
            transfer: offer.transferReason?.rawValue, note: offer.note,
            body: BodyValue(messagePack: offer.body).map(JSONBody.init))
    }

    private static func word(_ decision: DeskDecision) -> String {
        switch decision {
        case .accept: "accept"
        case .take: "take"
        case .answer: "decide"
        case .transfer: "transfer"
        case .decline: "decline"
        }
    }

    /// The state, then the notices about how it changed: a page that reads "Sent" already
    /// shows the ticket gone.
    private func broadcast() {
        let lines = [render()] + unsaid
        unsaid.removeAll()
        for (_, tab) in tabs {
            for line in lines { tab.yield(line) }
        }
    }

    /// A notice for every tab, sent after the next state (see ``broadcast()``).
    private func notify(_ level: String, _ text: String, _ ticket: String? = nil) {
        unsaid.append(notice(level, text, ticket))
    }

    private func tell(_ tab: Int, _ level: String, _ text: String, _ ticket: String? = nil) {
        tabs[tab]?.yield(notice(level, text, ticket))
    }

    private func notice(_ level: String, _ text: String, _ ticket: String?) -> String {
        let notice = DeskNotice(level: level, text: text, ticket: ticket)
        return (try? encoder.encode(notice)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func firstLine(_ ticket: OfferedTicket) -> String {
        let prompt = ticket.askBody?.prompt ?? ""
        return String(prompt.split(separator: "\n", maxSplits: 1).first ?? "")
    }

    static func wallClock() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
