import Foundation
import HelplinePeer
import HelplineWire

/// What an agent asks a human: the routing fields of an ASK header and the opaque body
/// (spec §"ASK"). Unspecified fields take the spec's defaults.
public struct TicketRequest: Sendable, Equatable {
    /// The ticket id and idempotency key; a random UUID unless given. Ids are global to the
    /// broker, so a guessable id lets another client read or cancel the ticket.
    public var id: String
    /// Skills a worker must all have (≤ 32).
    public var skills: [String]
    /// The kind of human wanted first; `live` skips the HILAs.
    public var role: Role
    /// 0 (lowest, default) to 9 (highest).
    public var priority: Int
    /// Response options shown to the human as buttons (≤ 16, distinct).
    public var options: [String]
    /// How long it may wait for a HILA to accept before it goes to live agents.
    public var maxWait: Duration
    /// How long until the ticket expires; the client also stops waiting soon after.
    public var deadline: Duration
    /// The question itself, opaque to the broker (≤ 1 MiB); see ``AskBody`` for the
    /// recommended content.
    public var body: [UInt8]

    /// Creates a request; every field but the body has the spec's default.
    public init(
        id: String = UUID().uuidString.lowercased(), skills: [String] = [], role: Role = WireDefaults.role,
        priority: Int = WireDefaults.priority, options: [String] = [],
        maxWait: Duration = .milliseconds(WireDefaults.maxWaitMilliseconds),
        deadline: Duration = .milliseconds(WireDefaults.deadlineMilliseconds), body: [UInt8] = []
    ) {
        self.id = id
        self.skills = skills
        self.role = role
        self.priority = priority
        self.options = options
        self.maxWait = maxWait
        self.deadline = deadline
        self.body = body
    }

    /// Creates a request whose body is the recommended ASK body map.
    public init(
        id: String = UUID().uuidString.lowercased(), skills: [String] = [], role: Role = WireDefaults.role,
        priority: Int = WireDefaults.priority, options: [String] = [],
        maxWait: Duration = .milliseconds(WireDefaults.maxWaitMilliseconds),
        deadline: Duration = .milliseconds(WireDefaults.deadlineMilliseconds), body: AskBody
    ) {
        self.init(
            id: id, skills: skills, role: role, priority: priority, options: options, maxWait: maxWait,
            deadline: deadline, body: body.encoded())
    }

    /// The ASK header this request travels as.
    var header: Ask {
        Ask(
            ticket: id, skills: skills, role: role, priority: priority, options: options,
            maxWaitMilliseconds: maxWait.wholeMilliseconds, deadlineMilliseconds: deadline.wholeMilliseconds)
    }

    /// Checks the request against every rule the broker applies to an ASK, by encoding the
    /// header and decoding it again: one source of truth for limits, the wire codec.
    func validate() throws(HelplineClientError) {
        guard body.count <= WireLimits.maxBodyBytes else {
            throw .invalidRequest(
                WireError(code: .tooLarge, text: "ASK: body is \(body.count) bytes; must be at most \(WireLimits.maxBodyBytes)", ticket: id))
        }
        let (command, header) = HeaderEncoder().encode(ClientMessage.ask(self.header))
        // Array's withUnsafeBytes rethrows untyped errors, hence the Result.
        let decoded = header.withUnsafeBytes { buffer in
            Result { () throws(WireError) in
                try HeaderDecoder().decodeClientMessage(command: command.rawValue, header: buffer)
            }
        }
        if case .failure(let error) = decoded { throw .invalidRequest(error) }
    }
}
