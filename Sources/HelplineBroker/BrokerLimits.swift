import HelplineWire

/// The broker's own limits on what one message may carry, each at most the protocol's
/// (`WireLimits`, which the decoder enforces) and lowered by flags on `helpline broker`.
/// A command over one is refused with ERROR 413 naming its ticket, and never reaches the
/// core: an ASK refused here was never accepted, so nothing is lost.
///
/// The quotas on counts (open tickets per client, open tickets in all, workers) live in
/// `BrokerConfiguration`, because only the core knows the counts; `maxMessageBytes` lives
/// in `BrokerSettings`, because libzmq enforces it.
public struct BrokerLimits: Sendable, Equatable {
    /// Largest ASK or ANSWER body. Default the protocol's 1 MiB; a broker that holds many
    /// open tickets in little memory takes less (every open ticket's body is in memory).
    public var maxBodyBytes: Int
    /// Most skills one ASK may name. Default 32 (the protocol's); fewer keeps the number of
    /// distinct skill sets, and so of queues, small.
    public var maxSkillsPerTicket: Int
    /// Most skills one READY may claim. Default 32 (the protocol's).
    public var maxSkillsPerWorker: Int
    /// Longest ticket id. Default 128 bytes (the protocol's); every id is kept in the id
    /// index for the retention period, so a broker short of memory may take less.
    public var maxTicketIDBytes: Int
    /// Longest worker name. Default 64 bytes (the protocol's).
    public var maxNameBytes: Int
    /// Longest skill. Default 64 bytes (the protocol's).
    public var maxSkillBytes: Int
    /// Longest TRANSFER note or DECLINE reason. Default 1,024 bytes (the protocol's); a
    /// note is kept with its ticket until it finishes.
    public var maxTextBytes: Int

    /// The protocol's limits: nothing stricter than the decoder already is.
    public init(
        maxBodyBytes: Int = WireLimits.maxBodyBytes,
        maxSkillsPerTicket: Int = WireLimits.maxSkillsPerEntity,
        maxSkillsPerWorker: Int = WireLimits.maxSkillsPerEntity,
        maxTicketIDBytes: Int = WireLimits.maxTicketIDBytes,
        maxNameBytes: Int = WireLimits.maxNameBytes,
        maxSkillBytes: Int = WireLimits.maxSkillBytes,
        maxTextBytes: Int = WireLimits.maxTextBytes
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxSkillsPerTicket = maxSkillsPerTicket
        self.maxSkillsPerWorker = maxSkillsPerWorker
        self.maxTicketIDBytes = maxTicketIDBytes
        self.maxNameBytes = maxNameBytes
        self.maxSkillBytes = maxSkillBytes
        self.maxTextBytes = maxTextBytes
    }

    /// Each limit against the range it may take: a broker may be stricter than the protocol,
    /// never looser (its peers' decoders would refuse what it sends), and names need a byte.
    public func problems() -> [String] {
        let ranges: [(String, Int, ClosedRange<Int>)] = [
            ("max-body-bytes", maxBodyBytes, 0...WireLimits.maxBodyBytes),
            ("max-skills-per-ticket", maxSkillsPerTicket, 0...WireLimits.maxSkillsPerEntity),
            ("max-skills-per-worker", maxSkillsPerWorker, 0...WireLimits.maxSkillsPerEntity),
            ("max-id-bytes", maxTicketIDBytes, 1...WireLimits.maxTicketIDBytes),
            ("max-name-bytes", maxNameBytes, 1...WireLimits.maxNameBytes),
            ("max-skill-bytes", maxSkillBytes, 1...WireLimits.maxSkillBytes),
            ("max-text-bytes", maxTextBytes, 0...WireLimits.maxTextBytes),
        ]
        return ranges.filter { !$0.2.contains($0.1) }.map { "\($0.0) is \($0.1); must be in \($0.2.lowerBound)...\($0.2.upperBound)" }
    }

    /// Whether any limit is below the protocol's; if not, `refusal` has nothing to check and
    /// the loop skips it.
    public var isStricterThanProtocol: Bool { self != BrokerLimits() }

    /// Why a client command is over a limit, if it is.
    func refusal(for message: ClientMessage, bodyBytes: Int) -> Refusal? {
        switch message {
        case .ask(let ask):
            let id = ask.ticket
            if bodyBytes > maxBodyBytes { return tooLarge("body is \(bodyBytes) bytes; this broker takes at most \(maxBodyBytes)", id) }
            if id.utf8.count > maxTicketIDBytes { return tooLarge("ticket id over \(maxTicketIDBytes) bytes", id) }
            if ask.skills.count > maxSkillsPerTicket { return tooLarge("\(ask.skills.count) skills; this broker takes at most \(maxSkillsPerTicket) per ticket", id) }
            if ask.skills.contains(where: { $0.utf8.count > maxSkillBytes }) { return tooLarge("a skill is over \(maxSkillBytes) bytes", id) }
        case .cancel(let id):
            if id.utf8.count > maxTicketIDBytes { return tooLarge("ticket id over \(maxTicketIDBytes) bytes", id) }
        case .resume(let ids):
            if ids.contains(where: { $0.utf8.count > maxTicketIDBytes }) { return tooLarge("a ticket id is over \(maxTicketIDBytes) bytes", nil) }
        case .status, .heartbeat:
            break
        }
        return nil
    }

    /// Why a worker command is over a limit, if it is.
    func refusal(for message: WorkerMessage, bodyBytes: Int) -> Refusal? {
        switch message {
        case .ready(let ready):
            if ready.name.utf8.count > maxNameBytes { return tooLarge("worker name over \(maxNameBytes) bytes", nil) }
            if ready.skills.count > maxSkillsPerWorker { return tooLarge("\(ready.skills.count) skills; this broker takes at most \(maxSkillsPerWorker) per worker", nil) }
            if ready.skills.contains(where: { $0.utf8.count > maxSkillBytes }) { return tooLarge("a skill is over \(maxSkillBytes) bytes", nil) }
            if ready.holding.contains(where: { $0.utf8.count > maxTicketIDBytes }) { return tooLarge("a held ticket id is over \(maxTicketIDBytes) bytes", nil) }
        case .answer(let answer):
            if bodyBytes > maxBodyBytes { return tooLarge("body is \(bodyBytes) bytes; this broker takes at most \(maxBodyBytes)", answer.ticket) }
        case .transfer(let id, let note):
            if let note, note.utf8.count > maxTextBytes { return tooLarge("note over \(maxTextBytes) bytes", id) }
        case .decline(let id, let reason):
            if let reason, reason.utf8.count > maxTextBytes { return tooLarge("reason over \(maxTextBytes) bytes", id) }
        case .heartbeat, .accept, .extend, .disconnect:
            // Ids a worker sends name tickets it holds, which passed the id limit on ASK.
            break
        }
        return nil
    }

    private func tooLarge(_ text: String, _ ticket: String?) -> Refusal {
        Refusal(.tooLarge, text, ticket: ticket)
    }
}
