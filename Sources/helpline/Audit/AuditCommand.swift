import ArgumentParser
import Foundation
import HelplineJournal

/// `helpline audit`: every ticket's history from the journal, as JSON lines or CSV, or the
/// summary figures (approval rate, edit rate, time to answer). Reads a snapshot through a
/// read-only connection, so it is safe while the broker runs.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print each ticket's history from the broker's journal.",
        discussion: """
            One JSON object per ticket (jsonl) or one CSV row per step (csv): asked (skills, \
            priority, client), offered to whom and when, accepted, released and why, \
            transferred and why, and its outcome (decision, by whom, time to answer). \
            --summary prints approval rate, edit rate and time-to-answer figures instead.
            """)

    @Option(help: "The journal file the broker writes.")
    var journal = "data/helpline.db"

    @Option(help: "Only tickets asked since then: an ISO 8601 time (2026-11-21T09:00:00Z, 2026-11-21) or a span back from now (90s, 30m, 12h, 7d).")
    var since: String?

    @Option(help: "Only the ticket with this id.")
    var ticket: String?

    @Option(help: "jsonl (the default for histories) or csv; with --summary, jsonl prints one JSON object instead of text.")
    var format: AuditFormat?

    @Flag(help: "Print the summary figures instead of each history.")
    var summary = false

    func validate() throws {
        if let since, AuditTime.parse(since, now: Date()) == nil {
            throw ValidationError("--since \(since): expected an ISO 8601 time or a span such as 30m, 12h, 7d")
        }
    }

    func run() throws {
        let reader = try JournalReader(path: journal)
        let sinceMilliseconds = since.flatMap { AuditTime.parse($0, now: Date()) }
        var output = AuditOutput()
        if summary {
            var figures = AuditSummary()
            try reader.forEachHistory(since: sinceMilliseconds, id: ticket) { figures.add($0) }
            output.write(format == .jsonl ? AuditFormatter.summaryJSON(figures) : AuditFormatter.summaryText(figures))
        } else {
            if format == .csv { output.write(AuditFormatter.csvHeader) }
            try reader.forEachHistory(since: sinceMilliseconds, id: ticket) { history in
                output.write(format == .csv ? AuditFormatter.csvRows(history) : AuditFormatter.json(history))
            }
        }
        output.flush()
    }
}

/// The audit trail's output formats.
enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, csv
}

/// Times on the command line and in the output.
enum AuditTime {
    /// Milliseconds since 1970 for an ISO 8601 time or date, or a span back from `now`.
    static func parse(_ text: String, now: Date) -> Int64? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        if let unit = text.last, let seconds = units[unit], let count = Double(text.dropLast()), count >= 0 {
            return Int64((now.timeIntervalSince1970 - count * seconds) * 1_000)
        }
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime], [.withFullDate],
        ] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1_000) }
        }
        return nil
    }

    /// ISO 8601 in UTC with milliseconds.
    static func format(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1_000))
    }
}

/// Buffered standard output: an audit of a long journal is many lines.
struct AuditOutput {
    private var buffer: [UInt8] = []
    /// Flushes past this many bytes: big enough that writes are few, small enough to stream.
    private static let flushBytes = 1 << 16

    mutating func write(_ line: String) {
        buffer += line.utf8
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= Self.flushBytes { flush() }
    }

    mutating func flush() {
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
