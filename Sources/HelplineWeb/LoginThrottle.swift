/// Limits failed logins: at most `limit` failures per key (the client's address, and the
/// name tried) within `window`; further attempts are refused until the oldest failure ages
/// out. Pure: the time comes in, so tests need no clock.
struct LoginThrottle: Sendable {
    let limit: Int
    let windowMilliseconds: Int64
    private var failures: [String: [Int64]] = [:]

    init(limit: Int = 5, windowMilliseconds: Int64 = 60_000) {
        self.limit = limit
        self.windowMilliseconds = windowMilliseconds
    }

    /// Milliseconds until `keys` may try again; nil when they may now.
    mutating func wait(for keys: [String], now: Int64) -> Int64? {
        var longest: Int64?
        for key in keys {
            let recent = (failures[key] ?? []).filter { now - $0 < windowMilliseconds }
            failures[key] = recent.isEmpty ? nil : recent
            if recent.count >= limit, let oldest = recent.first {
                longest = max(longest ?? 0, oldest + windowMilliseconds - now)
            }
        }
        return longest
    }

    /// Records a failed attempt under each of `keys`.
    mutating func failed(_ keys: [String], now: Int64) {
        for key in keys { failures[key, default: []].append(now) }
        // Bound the table: an address spraying names must not grow it without end.
        if failures.count > 10_000 { failures = failures.filter { now - ($0.value.last ?? 0) < windowMilliseconds } }
    }

    /// A successful login clears the name's failures (not the address's).
    mutating func succeeded(name: String) {
        failures["name:" + name] = nil
    }
}
