/// Dense storage with stable integer handles: records of tickets, workers, requirements and
/// worker classes live here so the hot indexes hold 4-byte handles instead of strings.
///
/// Freed slots are reused last-in first-out, which keeps handles deterministic for tests.
struct Slab<Handle: SlabHandle, Element> {
    private var storage: [Element?] = []
    private var freeSlots: [Int32] = []

    /// Occupied slots.
    private(set) var count = 0

    mutating func insert(_ element: Element) -> Handle {
        count += 1
        if let slot = freeSlots.popLast() {
            storage[Int(slot)] = element
            return Handle(slot: slot)
        }
        storage.append(element)
        return Handle(slot: Int32(storage.count - 1))
    }

    @discardableResult
    mutating func remove(_ handle: Handle) -> Element {
        let slot = handle.slot
        guard let element = storage[Int(slot)] else { preconditionFailure("slot \(slot) freed twice") }
        storage[Int(slot)] = nil
        freeSlots.append(slot)
        count -= 1
        return element
    }

    func contains(_ handle: Handle) -> Bool {
        handle.slot >= 0 && Int(handle.slot) < storage.count && storage[Int(handle.slot)] != nil
    }

    subscript(handle: Handle) -> Element {
        _read {
            let slot = handle.slot
            precondition(storage[Int(slot)] != nil, "slot \(slot) is free")
            yield storage[Int(slot)]!
        }
        _modify {
            let slot = handle.slot
            precondition(storage[Int(slot)] != nil, "slot \(slot) is free")
            yield &storage[Int(slot)]!
        }
    }

    /// One past the highest slot ever used: side tables indexed by slot size themselves to it.
    var slotLimit: Int { storage.count }

    /// Handles of the occupied slots, ascending (deterministic, unlike a dictionary).
    var handles: [Handle] {
        storage.indices.compactMap { storage[$0] == nil ? nil : Handle(slot: Int32($0)) }
    }
}

extension Slab: Sendable where Element: Sendable {}
