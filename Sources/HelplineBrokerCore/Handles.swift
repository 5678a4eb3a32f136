// Integer handles into the core's slabs. Distinct types so a worker handle can never index
// the ticket slab; 32 bits because the indexes store millions of them.

/// A handle a `Slab` hands out: a slot number, typed.
@usableFromInline
protocol SlabHandle: Hashable, Sendable, Comparable {
    init(slot: Int32)
    var slot: Int32 { get }
}

extension SlabHandle {
    @usableFromInline
    static func < (lhs: Self, rhs: Self) -> Bool { lhs.slot < rhs.slot }
}

/// A ticket record, open or retained.
@usableFromInline
struct TicketHandle: SlabHandle {
    @usableFromInline var slot: Int32

    @usableFromInline
    init(slot: Int32) {
        self.slot = slot
    }
}

/// A registered worker. Stays the same when the worker re-registers under its name.
struct WorkerHandle: SlabHandle {
    var slot: Int32
}

/// An interned requirement: a role and the skills a ticket needs.
struct RequirementID: SlabHandle {
    var slot: Int32
}

/// An interned worker class: a role and the skills a worker has.
struct WorkerClassID: SlabHandle {
    var slot: Int32
}
