/// A double-ended queue on a power-of-two ring: O(1) push and pop at both ends and O(1)
/// indexing, which the per-priority ticket lanes need (DECLINE pushes at the front).
struct RingBuffer<Element> {
    private var storage: [Element?] = []
    private var head = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// The element `offset` places from the front.
    subscript(offset: Int) -> Element {
        get {
            precondition(offset >= 0 && offset < count, "ring index out of range")
            return storage[(head + offset) & (storage.count - 1)]!
        }
        set {
            precondition(offset >= 0 && offset < count, "ring index out of range")
            storage[(head + offset) & (storage.count - 1)] = newValue
        }
    }

    var first: Element? { count == 0 ? nil : self[0] }
    var last: Element? { count == 0 ? nil : self[count - 1] }

    mutating func append(_ element: Element) {
        growIfFull()
        storage[(head + count) & (storage.count - 1)] = element
        count += 1
    }

    mutating func prepend(_ element: Element) {
        growIfFull()
        head = (head - 1) & (storage.count - 1)
        storage[head] = element
        count += 1
    }

    @discardableResult
    mutating func removeFirst() -> Element {
        precondition(count > 0, "removeFirst on an empty ring")
        let element = storage[head]!
        storage[head] = nil
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return element
    }

    @discardableResult
    mutating func removeLast() -> Element {
        precondition(count > 0, "removeLast on an empty ring")
        let slot = (head + count - 1) & (storage.count - 1)
        let element = storage[slot]!
        storage[slot] = nil
        count -= 1
        return element
    }

    /// Keeps the elements for which `keep` is true, in order, dropping the rest in place
    /// (a mutating `filter`); releases spare storage.
    mutating func retainAll(where keep: (Element) -> Bool) {
        var kept = RingBuffer()
        for offset in 0..<count where keep(self[offset]) { kept.append(self[offset]) }
        self = kept
    }

    private mutating func growIfFull() {
        guard count == storage.count else { return }
        // Powers of two keep the wrap-around a mask; 8 is a small lane's whole life.
        let newCapacity = max(8, storage.count * 2)
        var grown = [Element?](repeating: nil, count: newCapacity)
        for offset in 0..<count { grown[offset] = storage[(head + offset) & (storage.count - 1)] }
        storage = grown
        head = 0
    }
}

extension RingBuffer: Sendable where Element: Sendable {}
