/// The logged-in sessions: an unguessable token (the cookie's value) → the person's name.
/// In memory: a restart of `helpline web` logs everyone out, and nothing else is lost
/// (tickets live at the broker).
struct SessionTable: Sendable {
    struct Session: Sendable {
        var name: String
        var created: Int64
    }

    let lifetimeMilliseconds: Int64
    private var sessions: [String: Session] = [:]

    init(lifetimeMilliseconds: Int64 = 12 * 3_600_000) {
        self.lifetimeMilliseconds = lifetimeMilliseconds
    }

    /// A new session for `name`; returns its token: 32 random bytes from the system's
    /// cryptographic generator, hex.
    mutating func open(name: String, now: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<4).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
        sessions[token] = Session(name: name, created: now)
        if sessions.count > 100_000 { sessions = sessions.filter { now - $0.value.created < lifetimeMilliseconds } }
        return token
    }

    /// The name a live session belongs to.
    func name(for token: String, now: Int64) -> String? {
        guard let session = sessions[token], now - session.created < lifetimeMilliseconds else { return nil }
        return session.name
    }

    /// Ends a session (log out).
    mutating func close(_ token: String) {
        sessions[token] = nil
    }
}
