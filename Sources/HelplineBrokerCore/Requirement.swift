import HelplineWire

/// A role and a skill set: the key shared by requirements (what tickets need) and worker
/// classes (what workers have).
struct SkillKey: Hashable, Sendable {
    var role: Role
    var skills: SkillSet
}

/// One distinct thing tickets ask for, with its two indexes: the tickets waiting for it and
/// the workers available for it.
struct Requirement: Sendable {
    let key: SkillKey
    /// Interned numbers of `key.skills` (released when the requirement is freed).
    let skillNumbers: [Int]
    /// Sorted skill names, as REPORT shows them.
    let skillNames: [String]
    /// Alive, active workers of the role with room whose skills cover it, best first.
    var workers = WorkerHeap()
    /// Waiting HILA tickets needing exactly this (live tickets share the live queue).
    var queue = TicketQueue()
    /// Alive workers of the role whose skills cover it, whatever their presence and load:
    /// 0 for a HILA requirement means no HILA could ever serve it (reroute rules 1 and 4).
    var capable = 0
    /// Open tickets needing it; at 0 it becomes idle and may be freed.
    var openTickets = 0
    /// Waiting tickets in `queue` that some worker declined (they need a finer
    /// "could anyone still serve it" check when a HILA leaves).
    var declinedWaiting = 0
    /// Non-zero while idle: the epoch of its entry in the idle list.
    var idleEpoch: UInt64 = 0

    var role: Role { key.role }
    var skills: SkillSet { key.skills }
}

/// One distinct (role, skill set) among registered workers, and the requirements it covers
/// (those of its role whose skills it has), maintained as either side appears or goes.
struct WorkerClass: Sendable {
    let key: SkillKey
    let skillNumbers: [Int]
    /// Requirements this class can serve. A member's slot `i` is its place in the heap of
    /// `covered[i]`.
    var covered: [RequirementID] = []
    var members: [WorkerHandle] = []

    var role: Role { key.role }
    var skills: SkillSet { key.skills }
}

extension Requirement: SlabElement {
    static let vacant = Requirement(key: SkillKey(role: .hila, skills: .empty), skillNumbers: [], skillNames: [])
}

extension WorkerClass: SlabElement {
    static let vacant = WorkerClass(key: SkillKey(role: .hila, skills: .empty), skillNumbers: [])
}
