import HelplineWire

/// Tickets by stage, and what happened since start: REPORT's `counts`.
struct BrokerCounters: Sendable {
    var waiting = 0
    var offered = 0
    var accepted = 0
    /// Restored tickets held for a worker that has not re-registered yet.
    var reserved = 0
    var retained = 0
    var asked = 0
    var answered = 0
    var takenOver = 0
    var transferred = 0
    var expired = 0
    var cancelled = 0
    var revoked = 0
    var deadWorkers = 0
    var errors = 0
    /// ERRORs sent, by code: REPORT's `errors-<code>` (refusals by quota, limit, key...).
    var errorsByCode: [ErrorCode: Int] = [:]
    /// Counts the loop keeps and the core only reports (handshakes refused...).
    var external: [String: Int] = [:]

    /// One more ERROR with `code`.
    mutating func countError(_ code: ErrorCode) {
        errors += 1
        errorsByCode[code, default: 0] += 1
    }
}
