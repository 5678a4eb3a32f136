/// REPORT: the broker snapshot answering STATUS (spec §"REPORT").
public struct Report: Sendable, Equatable {
    /// `uptime`: milliseconds since the broker started.
    public var uptimeMilliseconds: Int
    /// `counts`: tickets by state and other counters (`waiting`, `offered`, `accepted`,
    /// `answered`, `transferred`, `expired`, `cancelled`, `errors`...). Keys are open-ended:
    /// readers MUST ignore keys they do not know.
    public var counts: [String: Int]
    /// `queues`: one entry per (role, skill set) with waiting tickets.
    public var queues: [Queue]
    /// `workers`: every registered worker.
    public var workers: [Worker]

    /// Creates a REPORT header.
    public init(uptimeMilliseconds: Int, counts: [String: Int], queues: [Queue], workers: [Worker]) {
        self.uptimeMilliseconds = uptimeMilliseconds
        self.counts = counts
        self.queues = queues
        self.workers = workers
    }

    /// A queue of waiting tickets that need the same skills.
    public struct Queue: Sendable, Equatable {
        /// `role`.
        public var role: Role
        /// `skills`.
        public var skills: [String]
        /// `waiting`: tickets in the queue.
        public var waiting: Int
        /// `oldest`: milliseconds the oldest has waited.
        public var oldestMilliseconds: Int

        /// Creates a queue entry.
        public init(role: Role, skills: [String], waiting: Int, oldestMilliseconds: Int) {
            self.role = role
            self.skills = skills
            self.waiting = waiting
            self.oldestMilliseconds = oldestMilliseconds
        }
    }

    /// A registered worker.
    public struct Worker: Sendable, Equatable {
        /// `name`.
        public var name: String
        /// `role`.
        public var role: Role
        /// `skills`.
        public var skills: [String]
        /// `load`: tickets held (offered or accepted).
        public var load: Int
        /// `capacity`.
        public var capacity: Int
        /// `presence`.
        public var presence: Presence

        /// Creates a worker entry.
        public init(name: String, role: Role, skills: [String], load: Int, capacity: Int, presence: Presence) {
            self.name = name
            self.role = role
            self.skills = skills
            self.load = load
            self.capacity = capacity
            self.presence = presence
        }
    }
}
