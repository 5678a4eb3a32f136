import HelplineWire

/// One person who may log in to the web console: a line of the users file.
///
/// ```json
/// {"name":"ana","hash":"$2b$10$…","roles":["hila"],"skills":["refunds","billing"],"capacity":3}
/// ```
public struct WebUser: Codable, Sendable, Equatable {
    /// The login name, and the worker name the broker knows this person by.
    public var name: String
    /// The bcrypt hash of the password.
    public var hash: String
    /// `hila`, `live` and/or `supervisor`.
    public var roles: [String]
    /// What the person can handle (the READY skills).
    public var skills: [String]
    /// Tickets held at once (1–100).
    public var capacity: Int

    /// Creates a user record.
    public init(name: String, hash: String, roles: [String], skills: [String] = [], capacity: Int = 3) {
        self.name = name
        self.hash = hash
        self.roles = roles
        self.skills = skills
        self.capacity = capacity
    }

    /// The roles a users file may grant.
    public static let knownRoles: Set<String> = ["hila", "live", "supervisor"]

    /// The role this person works tickets in: `hila` when granted, else `live`; nil for a
    /// person who only supervises (one worker registration per person, one role each).
    public var workerRole: Role? {
        if roles.contains("hila") { return .hila }
        if roles.contains("live") { return .live }
        return nil
    }

    /// Why this record cannot be used, or nil when it can.
    public var problem: String? {
        if name.isEmpty || name.utf8.count > WireLimits.maxNameBytes || name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            return "the name must be 1–\(WireLimits.maxNameBytes) bytes without control characters"
        }
        if roles.isEmpty || !roles.allSatisfy(Self.knownRoles.contains) {
            return "roles must be among hila, live, supervisor"
        }
        if !(1...WireLimits.maxCapacity).contains(capacity) { return "capacity must be 1–\(WireLimits.maxCapacity)" }
        if !hash.hasPrefix("$2") { return "the hash is not a bcrypt hash" }
        return nil
    }
}
