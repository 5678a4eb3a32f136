import Foundation
import HummingbirdBcrypt

/// Who may come in: the users, their sessions and the login throttle, behind one actor.
actor WebGate {
    /// Why a login failed.
    enum Refusal: Error, Equatable {
        /// Wrong name or password: one message for both, so nothing tells which was wrong.
        case wrong
        /// Too many failures lately, from this address or for this name.
        case throttled(seconds: Int64)
    }

    private let users: [String: WebUser]
    private var sessions = SessionTable()
    private var throttle: LoginThrottle
    /// Checked when the name is unknown, so a wrong name costs the same time as a wrong password.
    private let decoy = Bcrypt.hash("helpline-decoy-password", cost: UserFile.bcryptCost)

    init(users: [WebUser], throttle: LoginThrottle = LoginThrottle()) {
        self.users = Dictionary(users.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.throttle = throttle
    }

    /// Checks a name and password; returns a new session token.
    func login(name: String, password: String, from address: String) -> Result<(token: String, user: WebUser), Refusal> {
        let now = Self.milliseconds()
        let keys = ["address:" + address, "name:" + name]
        if let wait = throttle.wait(for: keys, now: now) { return .failure(.throttled(seconds: (wait + 999) / 1000)) }
        let user = users[name]
        let matches = Bcrypt.verify(password, hash: user?.hash ?? decoy) && user != nil
        guard matches, let user else {
            throttle.failed(keys, now: now)
            return .failure(.wrong)
        }
        throttle.succeeded(name: name)
        return .success((sessions.open(name: name, now: now), user))
    }

    /// The person a session cookie belongs to.
    func user(for token: String?) -> WebUser? {
        guard let token, let name = sessions.name(for: token, now: Self.milliseconds()) else { return nil }
        return users[name]
    }

    func logout(_ token: String) {
        sessions.close(token)
    }

    static func milliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
