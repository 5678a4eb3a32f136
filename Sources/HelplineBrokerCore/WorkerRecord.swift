import HelplineWire

/// Whether a worker may be offered new tickets.
enum WorkerPresence: Equatable, Sendable {
    /// At the console.
    case active
    /// Away: keeps its tickets, gets no new ones until its console reports `active`.
    case away(AwayCause)

    var wire: Presence {
        switch self {
        case .active: .active
        case .away: .away
        }
    }
}

/// Why a worker is away.
enum AwayCause: Equatable, Sendable {
    /// Its console said so (READY or HEARTBEAT).
    case console
    /// It let an offer time out: the human is probably not there. Until `heartbeatSeen`,
    /// no HEARTBEAT has arrived since the REVOKE: the first one may have crossed it on the
    /// wire (sent `active` before the console saw the REVOKE), so it cannot end the away.
    case missedOffer(heartbeatSeen: Bool)
}

/// A worker's heartbeat schedule. Messages only move `lastSeen`; the single timer per
/// worker re-arms itself lazily from these fields.
struct HeartbeatSchedule: Sendable {
    /// The negotiated interval (READY's proposal, clamped).
    var intervalMilliseconds: Int64
    /// The last time any message arrived from the worker.
    var lastSeen: Timestamp
    /// When the broker sends its next HEARTBEAT.
    var nextSend: Timestamp
    /// The armed heartbeat timer's token.
    var timer: UInt64 = 0
}

/// Everything the core keeps about a registered (so: alive) worker. A dead worker has no
/// record: its tickets were re-dispatched when it died.
struct WorkerRecord: Sendable {
    /// The stable identity; a READY with the same name replaces this registration.
    var name: String
    var connection: ConnectionID
    var role: Role
    /// Distinct skills as declared (REPORT shows them).
    var skills: [String]
    var workerClass: WorkerClassID
    /// Index in the class's member list.
    var memberIndex: Int
    var capacity: Int
    var presence: WorkerPresence
    /// Tickets offered to or accepted by it, oldest offer first.
    var held: [TicketHandle] = []
    /// The assignment counter at its latest offer (0 = never).
    var lastAssigned: UInt64 = 0
    /// Registration order, kept across re-registration under the same name.
    let serial: UInt64
    var heartbeat: HeartbeatSchedule
    /// Membership numbers, one per requirement its class covers (same order as `covered`):
    /// `heapPositions[memberships[i]]` is its index in the heap of `covered[i]`, or -1.
    var memberships: [Int32] = []
    /// It is in the heap of every requirement its class covers (no entry was dropped lazily).
    var heapComplete = false
    /// No entry of it in any heap holds a worse rank than this (`nil`: no entries). If its
    /// rank is no better than this, its entries need no update (see `+Membership`).
    var worstIndexed: WorkerRank?
    /// Its load, presence or class changed and the heaps have not caught up yet.
    var isDirty = false

    var load: Int { held.count }

    /// Active with room: the requirement heaps should hold it.
    var isAvailable: Bool { presence == .active && held.count < capacity }

    var rank: WorkerRank {
        WorkerRank(load: Int32(held.count), capacity: Int32(capacity), lastAssigned: lastAssigned, serial: serial)
    }
}

extension WorkerRecord: SlabElement {
    static let vacant = WorkerRecord(
        name: "", connection: ConnectionID(raw: 0), role: .hila, skills: [], workerClass: WorkerClassID(slot: -1),
        memberIndex: 0, capacity: 0, presence: .active, serial: 0,
        heartbeat: HeartbeatSchedule(intervalMilliseconds: 0, lastSeen: .zero, nextSend: .zero))
}
