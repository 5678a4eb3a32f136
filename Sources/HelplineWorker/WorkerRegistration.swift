import HelplinePeer
import HelplineWire

/// Who a worker is and what it can take: the READY header (spec §"READY").
public struct WorkerRegistration: Sendable, Equatable {
    /// The worker's stable identity (1–64 bytes); a READY under the same name from a new
    /// connection replaces the old registration.
    public var name: String
    /// `hila` (answers tickets) or `live` (takes conversations over).
    public var role: Role
    /// What the human can handle (≤ 32 skills).
    public var skills: [String]
    /// Tickets held at once, 1–100.
    public var capacity: Int
    /// The proposed heartbeat interval (100 ms – 60 s); the broker clamps it to its own
    /// range and says the result in WELCOME.
    public var heartbeat: Duration
    /// The human's presence at registration.
    public var presence: Presence

    /// Creates a registration; unspecified fields take the spec's defaults.
    public init(
        name: String, role: Role, skills: [String] = [], capacity: Int = WireDefaults.capacity,
        heartbeat: Duration = .milliseconds(WireDefaults.heartbeatMilliseconds), presence: Presence = .active
    ) {
        self.name = name
        self.role = role
        self.skills = skills
        self.capacity = capacity
        self.heartbeat = heartbeat
        self.presence = presence
    }

    /// The READY header, with the tickets the console still holds.
    func ready(holding: [String], presence: Presence) -> Ready {
        Ready(
            name: name, role: role, skills: skills, capacity: capacity,
            heartbeatMilliseconds: heartbeat.wholeMilliseconds, holding: holding, presence: presence)
    }
}
