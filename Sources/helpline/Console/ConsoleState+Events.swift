import HelplinePeer
import HelplineWire
import HelplineWorker

extension ConsoleState {
    /// What the worker library reports: the connection, revocations, refusals.
    mutating func event(_ event: WorkerEvent, now: Int64) -> [ConsoleEffect] {
        switch event {
        case .connected:
            if connection != .online { setConnection(.connecting) }
        case .registered(let welcome):
            if registered(acceptTimeout: Int64(welcome.acceptTimeoutMilliseconds)) {
                note("Reconnected to the broker.", .good)
            } else {
                note("Online as \(settings.name). Waiting for tickets.", .good)
            }
            // After a reconnect the broker may still think the human is away: say the truth.
            return [.presence(presence)]
        case .revoked(let id, let reason):
            guard let ticket = remove(id) else { return [] }
            note("\(ticket.shortID) taken back: \(Self.explain(reason))", reason == .cancelled ? .info : .warning)
        case .dropped(let id):
            guard let ticket = remove(id) else { return [] }
            note("\(ticket.shortID) went to someone else while you were disconnected.", .warning)
        case .refused(let error):
            note("The broker refused that: \(error.code.rawValue) \(error.text)", .bad)
        case .presenceChanged(let presence):
            if presence == .away { setAwayByBroker(now: now) }
        case .disconnected(let reason):
            setConnection(.offline(reason: reason))
            note("Disconnected: \(reason). Your tickets are kept until the broker says otherwise.", .bad)
        case .reconnecting(let delay):
            setConnection(.reconnecting(at: now + Int64(delay.wholeMilliseconds)))
        case .replyRecorded, .replyUncertain:
            break  // only with `confirmReplies`, which the terminal console does not set
        }
        return []
    }

    private static func explain(_ reason: RevokeReason) -> String {
        switch reason {
        case .cancelled: "the agent cancelled it."
        case .acceptTimeout: "not accepted in time; it goes to someone else."
        case .maxWait: "it waited too long for a HILA and moved to live agents."
        case .expired: "its deadline passed."
        case .leaseExpired: "its lease ran out; it goes to someone else."
        }
    }
}
