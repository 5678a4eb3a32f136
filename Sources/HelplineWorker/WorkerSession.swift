import HelplinePeer
import HelplineWire

/// The worker side of HLP/Worker as a state machine: no sockets, no clock reads.
///
/// It registers, heartbeats on the negotiated interval whatever the human is doing, keeps
/// the tickets the console holds so that READY `holding` re-attaches them after a
/// reconnect, and keeps each final reply (ANSWER, TRANSFER, DECLINE) until the broker
/// must have recorded it, so a reply lost in a broker crash is sent again (spec
/// §"Reliability": an answer lost in a broker crash).
struct WorkerSession {
    /// Where the registration stands.
    enum Link: Equatable {
        /// No socket: waiting to reconnect.
        case offline
        /// READY sent at `since`, no WELCOME yet.
        case registering(since: Int64)
        /// WELCOME received: commands and heartbeats flow.
        case registered
    }

    /// A ticket offered to (or accepted by) this console.
    struct HeldTicket: Equatable {
        var role: Role
        var accepted = false
        /// ACCEPT went out on a registered connection (else WELCOME sends it).
        var acceptSent = false
        var leaseMilliseconds = 0
    }

    /// A final reply not yet known to be recorded by the broker.
    struct PendingReply: Equatable {
        var message: WorkerMessage
        var body: [UInt8]
        /// When it went out; nil while no connection was registered to take it.
        var sentAt: Int64?
        /// The broker answered 503 (its journal could not record it): send it again then.
        var retryAt: Int64?
    }

    /// How long after a 503 a reply is sent again: about the broker's own retry of its
    /// journal (spec §"A journal that cannot be written"), so the human's answer is not lost
    /// to a full disk, nor sent in a tight loop while it stays full.
    static let unavailableRetryMilliseconds: Int64 = 1_000

    let registration: WorkerRegistration
    private(set) var presence: Presence
    private(set) var link = Link.offline
    private(set) var held: [String: HeldTicket] = [:]
    private(set) var replies: [String: PendingReply] = [:]
    /// The interval both sides use: the proposal until WELCOME, then the broker's.
    private(set) var heartbeat: Int64
    private(set) var liveness: Int64
    private let proposedHeartbeat: Int64
    private let defaultLiveness: Int64
    private var lastHeard: Int64 = 0
    /// The broker refused READY for this key (401): set until the DISCONNECT that follows.
    var registrationRefusal: ErrorReply?
    private var nextHeartbeat: Int64 = 0
    private var actions: [WorkerAction] = []
    /// Follow each final reply with a probe whose ERROR proves the reply was processed.
    let confirmReplies: Bool
    /// Replies sent and not yet confirmed: ticket id → the probe that followed its last send.
    private(set) var awaiting: [String: String] = [:]
    /// Probe id → the ticket whose reply it follows.
    private(set) var probes: [String: String] = [:]
    private var probeCount = 0
    /// Makes this session's probe ids unlike any other session's (and any real ticket id).
    private let probeNonce = UInt64.random(in: 0...UInt64.max)

    init(registration: WorkerRegistration, liveness: Int, confirmReplies: Bool = false) {
        self.registration = registration
        self.confirmReplies = confirmReplies
        presence = registration.presence
        proposedHeartbeat = Int64(max(1, registration.heartbeat.wholeMilliseconds))
        defaultLiveness = Int64(max(1, liveness))
        heartbeat = proposedHeartbeat
        self.liveness = defaultLiveness
    }

    /// The actions produced since the last call, in order.
    mutating func takeActions() -> [WorkerAction] {
        defer { actions.removeAll(keepingCapacity: true) }
        return actions
    }

    // MARK: Connection

    /// A new socket: send READY listing every ticket held and every reply not known to be
    /// recorded (at most 100, the protocol's limit; held tickets first).
    mutating func connectionOpened(now: Int64) {
        link = .registering(since: now)
        // Probes sent on the old socket are never answered; WELCOME settles their replies.
        probes = probes.filter { awaiting[$0.value] == $0.key }
        heartbeat = proposedHeartbeat
        liveness = defaultLiveness
        lastHeard = now
        let holding = held.keys.sorted() + replies.keys.sorted().filter { held[$0] == nil }
        let ready = registration.ready(holding: Array(holding.prefix(WireLimits.maxCapacity)), presence: presence)
        send(.ready(ready))
    }

    /// The console is closing: DISCONNECT, so the broker re-dispatches at once.
    mutating func close() {
        if link != .offline { send(.disconnect) }
        link = .offline
    }

    // MARK: Commands from the console

    /// Queues a command from the console. Commands on tickets it no longer holds (revoked
    /// or dropped meanwhile) are ignored: the broker would refuse them.
    mutating func command(_ message: WorkerMessage, body: [UInt8], now: Int64) {
        switch message {
        case .accept(let id, let lease):
            guard var ticket = held[id], !ticket.accepted else { return }
            ticket.accepted = true
            ticket.leaseMilliseconds = lease
            held[id] = ticket
            if link == .registered { sendAccept(id) }
        case .answer(let answer):
            finish(answer.ticket, message, body: body, now: now)
        case .transfer(let id, _), .decline(let id, _):
            finish(id, message, body: [], now: now)
        case .extend(let id, _):
            guard held[id]?.accepted == true, link == .registered else { return }
            send(message)
        case .ready, .heartbeat, .disconnect:
            preconditionFailure("the session sends \(message) itself")
        }
    }

    /// The human's presence; sent at once so the broker offers (or stops offering) now.
    mutating func setPresence(_ presence: Presence, now: Int64) {
        self.presence = presence
        guard link == .registered else { return }
        send(.heartbeat(presence: presence))
        nextHeartbeat = now + heartbeat
    }

    // MARK: Time

    /// Heartbeats, broker-silence detection, and forgetting replies old enough that a
    /// broker which lost them would have said so.
    mutating func tick(now: Int64) {
        let window = heartbeat * liveness
        if !replies.isEmpty {
            replies = replies.filter { _, reply in reply.sentAt.map { now - $0 < window } ?? true }
            if link == .registered {
                for id in replies.keys.sorted() where (replies[id]?.retryAt).map({ now >= $0 }) ?? false { sendReply(id, now: now) }
            }
        }
        switch link {
        case .offline:
            break
        case .registering(let since):
            if now - since >= window { lose("no WELCOME from the broker") }
        case .registered:
            if now - lastHeard >= window {
                lose("the broker was silent for \(liveness) heartbeats")
            } else if now >= nextHeartbeat {
                send(.heartbeat(presence: presence))
                nextHeartbeat = now + heartbeat
            }
        }
    }

    /// When `tick` next has work; nil when nothing is due.
    func nextTimer() -> Int64? {
        let window = heartbeat * liveness
        var due = replies.values.compactMap { $0.sentAt.map { $0 + window } }.min() ?? .max
        if link == .registered, let retry = replies.values.compactMap(\.retryAt).min() { due = min(due, retry) }
        switch link {
        case .offline: break
        case .registering(let since): due = min(due, since + window)
        case .registered: due = min(due, nextHeartbeat, lastHeard + window)
        }
        return due == .max ? nil : due
    }

    // MARK: Helpers

    mutating func send(_ message: WorkerMessage, body: [UInt8] = []) {
        actions.append(.send(message, body: body))
    }

    mutating func emit(_ event: WorkerEvent) {
        actions.append(.event(event))
    }

    mutating func offer(_ ticket: OfferedTicket) {
        held[ticket.id] = HeldTicket(role: ticket.role)
        actions.append(.offer(ticket))
    }

    /// The registration can never succeed as configured: go offline and stop.
    mutating func giveUp(_ reason: String) {
        link = .offline
        emit(.disconnected(reason: reason))
        actions.append(.stop)
    }

    /// The registration is gone: reconnect on a new socket.
    mutating func lose(_ reason: String) {
        link = .offline
        emit(.disconnected(reason: reason))
        actions.append(.reconnect)
    }

    mutating func heard(now: Int64) {
        lastHeard = now
    }

    mutating func registered(_ welcome: Welcome, now: Int64) {
        link = .registered
        heartbeat = Int64(max(1, welcome.heartbeatMilliseconds))
        liveness = Int64(max(1, welcome.liveness))
        nextHeartbeat = now + heartbeat
    }

    /// Sends ACCEPT; a live agent's ACCEPT ends the ticket, so it is no longer held.
    mutating func sendAccept(_ id: String) {
        guard var ticket = held[id] else { return }
        send(.accept(ticket: id, leaseMilliseconds: ticket.leaseMilliseconds))
        ticket.acceptSent = true
        held[id] = ticket.role == .live ? nil : ticket
        if confirmReplies { sendProbe(after: id) }
    }

    /// Sends a reply that was waiting for a registered connection, or re-sends one the
    /// broker never recorded.
    mutating func sendReply(_ id: String, now: Int64) {
        guard var reply = replies[id] else { return }
        send(reply.message, body: reply.body)
        reply.sentAt = now
        reply.retryAt = nil
        replies[id] = reply
        if confirmReplies { sendProbe(after: id) }
    }

    /// EXTEND of an id no ticket has: its ERROR comes back after the reply before it was
    /// processed and committed (see ``HelplineWorker/Options/confirmReplies``).
    private mutating func sendProbe(after ticket: String) {
        probeCount += 1
        let probe = "helpline-probe-\(String(probeNonce, radix: 36))-\(probeCount)"
        if let previous = awaiting[ticket] { probes[previous] = nil }
        awaiting[ticket] = probe
        probes[probe] = ticket
        send(.extend(ticket: probe, leaseMilliseconds: 1))
    }

    /// An ERROR on HLP/Worker: a probe's answer confirms its reply (or ACCEPT); a refusal of a reply
    /// (other than 503, which is retried) ends the wait for it. True when it was a probe's.
    mutating func settleReply(_ error: ErrorReply) -> Bool {
        guard let id = error.ticket else { return false }
        if let ticket = probes.removeValue(forKey: id) {
            if awaiting[ticket] == id, replies[ticket]?.retryAt == nil {
                awaiting[ticket] = nil
                replies[ticket] = nil
                emit(.replyRecorded(ticket: ticket))
            }
            return true
        }
        if awaiting[id] != nil, error.code != .unavailable, Self.isFinalReply(error.command) {
            // Refused for good (a peer must not resend it unchanged): reported as `.refused`.
            // The probe stays known, so that its own ERROR is not reported as a refusal.
            awaiting[id] = nil
            replies[id] = nil
        }
        return false
    }

    private static func isFinalReply(_ command: UInt8?) -> Bool {
        command == Command.answer.rawValue || command == Command.transfer.rawValue || command == Command.decline.rawValue
            || command == Command.accept.rawValue
    }

    /// After WELCOME, a reply awaiting confirmation whose ticket the broker no longer lists.
    mutating func replyUnsettled(_ id: String) {
        guard let probe = awaiting.removeValue(forKey: id) else { return }
        probes[probe] = nil
        emit(.replyUncertain(ticket: id))
    }

    @discardableResult
    mutating func dropTicket(_ id: String) -> Bool {
        replies[id] = nil
        awaiting[id] = nil  // its probe stays known until its ERROR comes back
        return held.removeValue(forKey: id) != nil
    }

    /// Sends reply `id` again at `time` (the broker answered 503), if it is still pending.
    mutating func retryReply(_ id: String, at time: Int64) {
        replies[id]?.retryAt = time
    }

    mutating func forgetReply(_ id: String) {
        replies[id] = nil
    }

    mutating func setAway() {
        guard presence != .away else { return }
        presence = .away
        emit(.presenceChanged(.away))
        if link == .registered { send(.heartbeat(presence: .away)) }
    }

    /// ANSWER, TRANSFER or DECLINE: the ticket is no longer held; the reply is kept until
    /// the broker must have recorded it.
    private mutating func finish(_ id: String, _ message: WorkerMessage, body: [UInt8], now: Int64) {
        guard held.removeValue(forKey: id) != nil else { return }
        replies[id] = PendingReply(message: message, body: body, sentAt: nil)
        if link == .registered { sendReply(id, now: now) }
    }
}
