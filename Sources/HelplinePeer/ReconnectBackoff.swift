/// The wait before each new socket: doubled after every failure up to a ceiling, back to
/// the first wait once the broker answers. A broker that is down is not hammered, and
/// one that comes back is reached quickly.
package struct ReconnectBackoff {
    private let first: Int64
    private let ceiling: Int64
    private var current: Int64

    /// Waits start at `first` and never exceed `ceiling` (both at least 1 ms).
    package init(first: Duration, ceiling: Duration) {
        self.first = Int64(max(1, first.wholeMilliseconds))
        self.ceiling = max(self.first, Int64(max(1, ceiling.wholeMilliseconds)))
        current = self.first
    }

    /// The wait to use now, in milliseconds; the next one is twice as long.
    package mutating func next() -> Int64 {
        defer { current = min(current * 2, ceiling) }
        return current
    }

    /// The broker answered: the next wait is the first one again.
    package mutating func reset() {
        current = first
    }
}
