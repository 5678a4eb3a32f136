import HelplineWire

/// Who sent a message, as far as the broker can tell.
enum PeerIdentity: Equatable {
    /// CURVE is on and ZAP admitted this key.
    case key(AuthorizedKey)
    /// CURVE is on but the connection's user id names no listed key: cannot happen while
    /// the ZAP handler is the only way in; refused like a key with no roles.
    case unknownKey
    /// CURVE is off: no keys, any role. `isLocal`: the peer is on loopback or IPC.
    case anonymous(isLocal: Bool)
}

/// A command the loop refuses before the core sees it: an ERROR with `code` to the sender,
/// and DISCONNECT after it when `disconnect` (a READY the key does not grant).
struct Refusal: Equatable {
    var code: ErrorCode
    var text: String
    var ticket: String?
    var disconnect: Bool

    init(_ code: ErrorCode, _ text: String, ticket: String? = nil, disconnect: Bool = false) {
        self.code = code
        self.text = text
        self.ticket = ticket
        self.disconnect = disconnect
    }

    func reply(command: Command) -> ErrorReply {
        ErrorReply(code: code, text: text, ticket: ticket, command: command.rawValue)
    }
}

/// The authorization rules of spec §"Security" (check 9 of "Order of checks"), as pure
/// functions of the command and its sender. No crypto here: the ZAP handler already
/// proved the key; these decide what that key may do.
enum Authorization {
    /// Whether `message` needs the sender's identity at all: HEARTBEAT is open to every
    /// authenticated peer, so the hot heartbeat path reads no metadata.
    static func needsIdentity(_ message: ClientMessage) -> Bool {
        if case .heartbeat = message { return false }
        return true
    }

    /// ASK, CANCEL and RESUME need the `client` role; STATUS needs `admin` (without CURVE:
    /// a local peer); HEARTBEAT is open.
    static func refusal(for message: ClientMessage, from peer: PeerIdentity) -> Refusal? {
        let ticket: String?
        switch message {
        case .heartbeat:
            return nil
        case .status:
            switch peer {
            case .key(let key) where key.roles.contains(.admin): return nil
            case .anonymous(isLocal: true): return nil
            case .anonymous(isLocal: false): return Refusal(.unauthorized, "STATUS needs CURVE and an admin key, or a loopback peer")
            case .key(let key): return Refusal(.unauthorized, "key \(key.name) lacks the admin role")
            case .unknownKey: return Refusal(.unauthorized, "connection has no authorized key")
            }
        case .ask(let ask): ticket = ask.ticket
        case .cancel(let id): ticket = id
        case .resume: ticket = nil
        }
        switch peer {
        case .anonymous: return nil
        case .key(let key) where key.roles.contains(.client): return nil
        case .key(let key): return Refusal(.unauthorized, "key \(key.name) lacks the client role", ticket: ticket)
        case .unknownKey: return Refusal(.unauthorized, "connection has no authorized key", ticket: ticket)
        }
    }

    /// A READY must ask for a role the key grants, under the key's name, with skills the
    /// key grants; otherwise 401 and DISCONNECT, and no registration.
    static func refusal(for ready: Ready, from peer: PeerIdentity) -> Refusal? {
        refusal(forWorker: ready.name, role: ready.role, skills: ready.skills, from: peer)
    }

    /// The READY rule for a worker already registered as `name`, `role` with `skills`:
    /// after the keys are reloaded, a worker it refuses is revoked.
    static func refusal(forWorker name: String, role: Role, skills: [String], from peer: PeerIdentity) -> Refusal? {
        let key: AuthorizedKey
        switch peer {
        case .anonymous: return nil
        case .unknownKey: return Refusal(.unauthorized, "connection has no authorized key", disconnect: true)
        case .key(let found): key = found
        }
        let granted: AuthorizedKey.Roles = role == .hila ? .hila : .live
        guard key.roles.contains(granted) else {
            return Refusal(.unauthorized, "key \(key.name) may not register as \(role.rawValue)", disconnect: true)
        }
        guard name == key.name else {
            return Refusal(.unauthorized, "key \(key.name) may register only under its own name", disconnect: true)
        }
        if let skill = skills.first(where: { !key.skills.grants($0) }) {
            return Refusal(.unauthorized, "key \(key.name) may not claim skill \(skill)", disconnect: true)
        }
        return nil
    }
}
