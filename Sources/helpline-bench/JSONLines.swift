import Foundation

/// Child processes report to the coordinator as JSON lines on stdout, written unbuffered
/// with `write(2)` so a line is out before a `kill -9` can lose it.
enum JSONLines {
    /// Writes `value` as one JSON line on stdout.
    static func emit<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard var data = try? encoder.encode(value) else { return }
        data.append(0x0A)
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Writes a line on stderr (for humans; the coordinator does not read it).
    static func warn(_ text: String) {
        let line = Array((text + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// Decodes one line written by `emit`; `nil` if it is not a `T`.
    static func decode<T: Decodable>(_ type: T.Type, from line: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(line.utf8))
    }
}

/// One event a child reports: workers say `ready`, `assign`, `revoke`, `answer`;
/// clients say `connected` and `transferred`. Times are `BenchClock.now()` nanoseconds.
struct BenchEvent: Codable, Sendable {
    /// What happened.
    var event: String
    /// The ticket concerned, if any.
    var ticket: String?
    /// The worker (name) concerned, if any.
    var worker: String?
    /// ASSIGN's `attempt`, REVOKE's reason, and such.
    var detail: String?
    /// When, on the shared monotonic clock.
    var time: UInt64

    init(_ event: String, ticket: String? = nil, worker: String? = nil, detail: String? = nil, time: UInt64 = BenchClock.now()) {
        self.event = event
        self.ticket = ticket
        self.worker = worker
        self.detail = detail
        self.time = time
    }
}

/// Exits when the coordinator is gone, so no load process outlives a crashed bench run.
/// (`prctl(PR_SET_PDEATHSIG)` is variadic and does not import into Swift.)
struct OrphanCheck {
    private let parent = getppid()
    private var nextCheck: UInt64 = 0

    /// Call from the loop; checks at most ten times a second.
    mutating func exitIfOrphaned(now: UInt64) {
        guard now >= nextCheck else { return }
        nextCheck = now + 100_000_000
        if getppid() != parent { exit(3) }
    }
}
