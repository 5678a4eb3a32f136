/// What one CURVE key may do on this broker: one line of the authorized-keys file.
public struct AuthorizedKey: Sendable, Equatable {
    /// The roles a key may take. A key may hold several (an operator's console that also
    /// asks tickets, an admin that is also a client).
    public struct Roles: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        /// Creates a set from its bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// May send ASK, CANCEL and RESUME.
        public static let client = Roles(rawValue: 1 << 0)
        /// May register (READY) as a worker of role `hila`.
        public static let hila = Roles(rawValue: 1 << 1)
        /// May register (READY) as a worker of role `live`.
        public static let live = Roles(rawValue: 1 << 2)
        /// May send STATUS (the REPORT lists every worker and queue).
        public static let admin = Roles(rawValue: 1 << 3)

        /// The words the authorized-keys file uses, in a fixed order.
        public static let names: [(String, Roles)] = [("client", .client), ("hila", .hila), ("live", .live), ("admin", .admin)]

        /// `client,admin`.
        public var listed: String { Self.names.filter { contains($0.1) }.map(\.0).joined(separator: ",") }
    }

    /// The skills a worker using the key may claim in READY.
    public enum Skills: Sendable, Equatable {
        /// Any skill (`*` in the file).
        case any
        /// Only these (none when the file lists none).
        case only(Set<String>)

        /// Whether a worker with this grant may claim `skill`.
        public func grants(_ skill: String) -> Bool {
            switch self {
            case .any: true
            case .only(let skills): skills.contains(skill)
            }
        }
    }

    /// The key, 40 Z85 characters.
    public var publicKey: String
    /// Who holds it. A worker using the key must register under this name; for a client
    /// it names the key in logs.
    public var name: String
    /// What it may do.
    public var roles: Roles
    /// The skills it may claim as a worker.
    public var skills: Skills

    /// One authorization.
    public init(publicKey: String, name: String, roles: Roles, skills: Skills = .only([])) {
        self.publicKey = publicKey
        self.name = name
        self.roles = roles
        self.skills = skills
    }
}
