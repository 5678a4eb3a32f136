import HelplinePeer
import HelplineWire

/// The client side of HLP/Client as a state machine: no sockets, no clock reads.
///
/// The I/O thread feeds it API commands, broker replies, connection changes and the time
/// (monotonic milliseconds), and performs the actions it returns. It keeps every open
/// ticket, to RESUME it after a reconnect, and reports each ticket's outcome once: a
/// ticket leaves `tickets` when it ends, so whatever the broker repeats later is ignored.
struct ClientSession {
    /// The options, in milliseconds.
    struct Settings {
        var heartbeat: Int64
        var liveness: Int64
        var acknowledgmentTimeout: Int64
        var resumeAfterSilence: Int64
        var deadlineGrace: Int64
        var cancelGrace: Int64

        init(_ options: HelplineClient.Options) {
            heartbeat = Int64(max(1, options.heartbeatInterval.wholeMilliseconds))
            liveness = Int64(max(1, options.liveness))
            acknowledgmentTimeout = Int64(max(1, options.acknowledgmentTimeout.wholeMilliseconds))
            resumeAfterSilence = Int64(max(1, options.resumeAfterSilence.wholeMilliseconds))
            deadlineGrace = Int64(options.deadlineGrace.wholeMilliseconds)
            cancelGrace = Int64(options.cancelGrace.wholeMilliseconds)
        }
    }

    /// A ticket between ASK and its outcome.
    struct OpenTicket {
        var request: TicketRequest
        /// A reply naming it arrived: the broker knows it, RESUME (not ASK) recovers it.
        var acknowledged = false
        /// When the ASK was last sent.
        var sentAt: Int64
        /// When the broker last said something about it.
        var heardAt: Int64
        /// When to stop waiting: its deadline plus grace, or sooner after a cancel.
        var giveUpAt: Int64
        var cancelRequested = false
        /// TRANSFERRED is an event once; state reports after RESUME repeat it.
        var transferred = false
        /// State reports repeat QUEUED; an unchanged one is not news.
        var lastEvent: TicketEvent?
    }

    struct StatusRequest {
        var id: Int
        var giveUpAt: Int64
    }

    let settings: Settings
    private(set) var tickets: [String: OpenTicket] = [:]
    private var statusRequests: [StatusRequest] = []
    /// A socket is open (it may still be connecting); heartbeats and resends go out.
    private(set) var connected = false
    private var lastHeard: Int64 = 0
    private var nextHeartbeat: Int64 = 0
    /// The earliest per-ticket timer, so `tick` scans the tickets only when one is due.
    private var ticketTimersDue = Int64.max
    private var actions: [ClientAction] = []
    /// Messages from the broker that named no open ticket and no request; for diagnostics.
    private(set) var unattributedErrors = 0

    init(settings: Settings) {
        self.settings = settings
    }

    /// Whether anything waits on the broker; an idle client sends no heartbeats.
    var isActive: Bool { !tickets.isEmpty || !statusRequests.isEmpty }

    /// The actions produced since the last call, in order.
    mutating func takeActions() -> [ClientAction] {
        defer { actions.removeAll(keepingCapacity: true) }
        return actions
    }

    // MARK: API commands

    /// Opens a ticket and sends its ASK; false if a ticket with that id is open already.
    mutating func ask(_ request: TicketRequest, now: Int64) -> Bool {
        guard tickets[request.id] == nil else { return false }
        wakeIfIdle(now)
        let giveUpAt = now + Int64(request.deadline.wholeMilliseconds) + settings.deadlineGrace
        tickets[request.id] = OpenTicket(request: request, sentAt: now, heardAt: now, giveUpAt: giveUpAt)
        ticketTimersDue = min(ticketTimersDue, now + settings.acknowledgmentTimeout, giveUpAt)
        send(.ask(request.header), body: request.body)
        return true
    }

    /// Sends CANCEL for an open ticket, and stops waiting for the broker's confirmation
    /// after the cancel grace. Nothing for a ticket that is not open.
    mutating func cancel(_ id: String, now: Int64) {
        guard var ticket = tickets[id], !ticket.cancelRequested else { return }
        ticket.cancelRequested = true
        ticket.giveUpAt = min(ticket.giveUpAt, now + settings.cancelGrace)
        tickets[id] = ticket
        ticketTimersDue = min(ticketTimersDue, ticket.giveUpAt)
        send(.cancel(ticket: id))
    }

    /// Sends STATUS; the first REPORT (or a STATUS error) answers the oldest request.
    mutating func status(request id: Int, timeout: Int64, now: Int64) {
        wakeIfIdle(now)
        statusRequests.append(StatusRequest(id: id, giveUpAt: now + timeout))
        send(.status)
    }

    /// Fails everything still open: the client is closing.
    mutating func close() {
        for id in tickets.keys.sorted() { finish(id, .failure(.closed(id))) }
        for request in statusRequests { actions.append(.report(request: request.id, .failure(.closed(nil)))) }
        statusRequests.removeAll()
    }

    // MARK: Connection

    /// A new socket is open: recover every open ticket on it. Tickets the broker
    /// acknowledged are RESUMEd; the others are asked again (ASK is idempotent).
    mutating func connectionOpened(now: Int64) {
        connected = true
        transportReconnected(now: now)
    }

    /// The socket reconnected underneath (a broker restart the transport hid), or a new
    /// one opened: RESUME, re-ASK, re-CANCEL and re-STATUS whatever is pending.
    mutating func transportReconnected(now: Int64) {
        lastHeard = now
        nextHeartbeat = now + settings.heartbeat
        var resume: [String] = []
        // Sorted so the order of the wire is reproducible (tests, logs).
        for id in tickets.keys.sorted() {
            if tickets[id]!.acknowledged {
                resume.append(id)
            } else {
                tickets[id]!.sentAt = now
                send(.ask(tickets[id]!.request.header), body: tickets[id]!.request.body)
            }
        }
        sendResume(resume)
        for id in tickets.keys.sorted() where tickets[id]!.cancelRequested { send(.cancel(ticket: id)) }
        for _ in statusRequests { send(.status) }
        ticketTimersDue = now
    }

    // MARK: Time

    /// Fires what is due: heartbeat, broker-silence detection, re-ASK of unacknowledged
    /// tickets, RESUME of long-silent ones, and give-ups.
    mutating func tick(now: Int64) {
        guard isActive else { return }
        if connected {
            if now - lastHeard >= settings.heartbeat * settings.liveness {
                connected = false
                actions.append(.reconnect)
            } else if now >= nextHeartbeat {
                send(.heartbeat)
                nextHeartbeat = now + settings.heartbeat
            }
        }
        if now >= ticketTimersDue { scanTickets(now: now) }
        while let index = statusRequests.firstIndex(where: { $0.giveUpAt <= now }) {
            let request = statusRequests.remove(at: index)
            actions.append(.report(request: request.id, .failure(.timeout(nil, "the broker did not answer STATUS"))))
        }
    }

    /// When `tick` next has work; nil when nothing is due.
    func nextTimer() -> Int64? {
        guard isActive else { return nil }
        var due = ticketTimersDue
        if connected { due = min(due, nextHeartbeat, lastHeard + settings.heartbeat * settings.liveness) }
        for request in statusRequests { due = min(due, request.giveUpAt) }
        return due == .max ? nil : due
    }

    private mutating func scanTickets(now: Int64) {
        var next = Int64.max
        var silent: [String] = []
        for id in tickets.keys.sorted() {
            var ticket = tickets[id]!
            if now >= ticket.giveUpAt {
                let why = ticket.cancelRequested ? "the broker did not confirm the cancel" : "no outcome by the deadline"
                finish(id, .failure(.timeout(id, why)))
                continue
            }
            // Resends wait for a socket: connectionOpened recovers everything at once.
            if connected {
                if !ticket.acknowledged, now - ticket.sentAt >= settings.acknowledgmentTimeout {
                    ticket.sentAt = now
                    send(.ask(ticket.request.header), body: ticket.request.body)
                } else if ticket.acknowledged, now - ticket.heardAt >= settings.resumeAfterSilence {
                    ticket.heardAt = now
                    silent.append(id)
                }
                next = min(next, ticket.acknowledged
                    ? ticket.heardAt + settings.resumeAfterSilence : ticket.sentAt + settings.acknowledgmentTimeout)
            }
            next = min(next, ticket.giveUpAt)
            tickets[id] = ticket
        }
        ticketTimersDue = next
        sendResume(silent)
    }

    // MARK: Helpers

    /// After idleness the last reply is old news: restart the silence clock.
    private mutating func wakeIfIdle(_ now: Int64) {
        guard !isActive else { return }
        lastHeard = now
        nextHeartbeat = now + settings.heartbeat
    }

    /// RESUME in groups of at most `WireLimits.maxResumeIDs`, the protocol's limit.
    private mutating func sendResume(_ ids: [String]) {
        var start = 0
        while start < ids.count {
            let end = min(start + WireLimits.maxResumeIDs, ids.count)
            send(.resume(tickets: Array(ids[start..<end])))
            start = end
        }
    }

    mutating func send(_ message: ClientMessage, body: [UInt8] = []) {
        actions.append(.send(message, body: body))
    }

    mutating func heard(now: Int64) {
        lastHeard = now
    }

    /// Reports `event` unless it repeats the last one (a state report after RESUME).
    mutating func event(_ id: String, _ event: TicketEvent) {
        guard tickets[id] != nil, tickets[id]!.lastEvent != event else { return }
        tickets[id]!.lastEvent = event
        actions.append(.event(ticket: id, event))
    }

    /// Ends a ticket, once: later replies about it find no open ticket and are ignored.
    mutating func finish(_ id: String, _ result: Result<Outcome, HelplineClientError>) {
        guard tickets.removeValue(forKey: id) != nil else { return }
        actions.append(.finish(ticket: id, result))
    }

    mutating func touch(_ id: String, now: Int64) {
        guard tickets[id] != nil else { return }
        tickets[id]!.acknowledged = true
        tickets[id]!.heardAt = now
    }

    mutating func markTransferred(_ id: String) -> Bool {
        guard tickets[id] != nil, !tickets[id]!.transferred else { return false }
        tickets[id]!.transferred = true
        return true
    }

    mutating func answerStatus(_ result: Result<Report, HelplineClientError>) {
        guard !statusRequests.isEmpty else { return }
        actions.append(.report(request: statusRequests.removeFirst().id, result))
    }

    mutating func countUnattributedError() {
        unattributedErrors += 1
    }

    var hasStatusRequests: Bool { !statusRequests.isEmpty }
}
