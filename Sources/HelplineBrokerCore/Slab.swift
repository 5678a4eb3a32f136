/// A record type a `Slab` can hold: it names the cheap value a freed slot keeps.
protocol SlabElement {
    /// A placeholder for a free slot; never read as a real record.
    static var vacant: Self { get }
}

/// Dense storage with stable integer handles: records of tickets, workers, requirements and
/// worker classes live here so the hot indexes hold 4-byte handles instead of strings.
///
/// Slots hold records directly (not optionals) so a field read borrows the record in place
/// instead of copying it out of an `Optional`; a free slot holds `Element.vacant`. Freed
/// slots are reused last-in first-out, which keeps handles deterministic for tests.
struct Slab<Handle: SlabHandle, Element: SlabElement> {
    private var storage: [Element] = []
    private var occupied: [Bool] = []
    private var freeSlots: [Int32] = []

    /// Occupied slots.
    private(set) var count = 0

    /// Stores `element` (moved in, not copied: a ticket record holds many references).
    mutating func insert(_ element: consuming Element) -> Handle {
        count += 1
        if let slot = freeSlots.popLast() {
            storage[Int(slot)] = element
            occupied[Int(slot)] = true
            return Handle(slot: slot)
        }
        storage.append(element)
        occupied.append(true)
        return Handle(slot: Int32(storage.count - 1))
    }

    @discardableResult
    mutating func remove(_ handle: Handle) -> Element {
        let slot = Int(handle.slot)
        precondition(occupied[slot], "slot \(slot) freed twice")
        let element = storage[slot]
        storage[slot] = .vacant
        occupied[slot] = false
        freeSlots.append(handle.slot)
        count -= 1
        return element
    }

    func contains(_ handle: Handle) -> Bool {
        handle.slot >= 0 && Int(handle.slot) < occupied.count && occupied[Int(handle.slot)]
    }

    subscript(handle: Handle) -> Element {
        _read {
            precondition(occupied[Int(handle.slot)], "slot \(handle.slot) is free")
            yield storage[Int(handle.slot)]
        }
        _modify {
            precondition(occupied[Int(handle.slot)], "slot \(handle.slot) is free")
            yield &storage[Int(handle.slot)]
        }
    }

    /// One past the highest slot ever used: side tables indexed by slot size themselves to it.
    var slotLimit: Int { storage.count }

    /// Handles of the occupied slots, ascending (deterministic, unlike a dictionary).
    var handles: [Handle] {
        occupied.indices.compactMap { occupied[$0] ? Handle(slot: Int32($0)) : nil }
    }
}

extension Slab: Sendable where Element: Sendable {}
