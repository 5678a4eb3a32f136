import Foundation
import HelplineJournal

/// Turns ticket histories into JSON lines, CSV rows and summary text. Keys and columns
/// come in a fixed order so the output diffs and greps well.
enum AuditFormatter {
    static func json(_ history: TicketHistory) -> String {
        var fields: [(String, String)] = [
            ("id", string(history.id)), ("seq", "\(history.sequence)"), ("asked_at", string(AuditTime.format(history.askedAt))),
            ("client", string(client(history))), ("role", string(history.ask.role.rawValue)),
            ("skills", array(history.ask.skills)), ("priority", "\(history.ask.priority)"), ("options", array(history.ask.options)),
            ("max_wait_ms", "\(history.ask.maxWaitMilliseconds)"), ("deadline_ms", "\(history.ask.deadlineMilliseconds)"),
        ]
        let events = history.events.map { event -> String in
            var entry: [(String, String)] = [("at", string(AuditTime.format(event.at))), ("event", string(event.kind))]
            if let worker = event.worker { entry.append(("worker", string(worker))) }
            if let attempt = event.attempt { entry.append(("attempt", "\(attempt)")) }
            if let reason = event.reason { entry.append(("reason", string(reason))) }
            if let note = event.note { entry.append(("note", string(note))) }
            return object(entry)
        }
        fields.append(("events", "[" + events.joined(separator: ",") + "]"))
        if let outcome = history.outcome {
            var entry: [(String, String)] = [("at", string(AuditTime.format(outcome.at))), ("kind", string(outcome.kind))]
            if let worker = outcome.worker { entry.append(("worker", string(worker))) }
            if let decision = outcome.decision { entry.append(("decision", string(decision.rawValue))) }
            if let option = outcome.option { entry.append(("option", string(option))) }
            if let elapsed = outcome.elapsedMilliseconds { entry.append(("elapsed_ms", "\(elapsed)")) }
            if outcome.kind == "answered" { entry.append(("body_bytes", "\(outcome.bodyBytes)")) }
            fields.append(("outcome", object(entry)))
        } else {
            fields.append(("outcome", "null"))
        }
        fields.append(("offers", "\(history.events.filter { $0.kind == "offered" }.count)"))
        fields.append(("time_to_first_offer_ms", number(history.timeToFirstOffer)))
        fields.append(("time_to_accept_ms", number(history.timeToAccept)))
        fields.append(("time_to_outcome_ms", number(history.timeToOutcome)))
        return object(fields)
    }

    static let csvHeader = "ticket,seq,at,event,worker,attempt,reason,note,decision,option,elapsed_ms,role,skills,priority,client"

    /// One row for the ASK, one per event, one for the outcome.
    static func csvRows(_ history: TicketHistory) -> String {
        let ask = [history.ask.role.rawValue, history.ask.skills.joined(separator: ";"), "\(history.ask.priority)", client(history)]
        var rows = [row([history.id, "\(history.sequence)", AuditTime.format(history.askedAt), "asked", "", "", "", "", "", "", ""] + ask)]
        for event in history.events {
            rows.append(
                row(
                    [
                        history.id, "\(history.sequence)", AuditTime.format(event.at), event.kind, event.worker ?? "",
                        event.attempt.map(String.init) ?? "", event.reason ?? "", event.note ?? "", "", "", "",
                    ] + ask))
        }
        if let outcome = history.outcome {
            rows.append(
                row(
                    [
                        history.id, "\(history.sequence)", AuditTime.format(outcome.at), outcome.kind, outcome.worker ?? "", "", "",
                        "", outcome.decision?.rawValue ?? "", outcome.option ?? "", outcome.elapsedMilliseconds.map(String.init) ?? "",
                    ] + ask))
        }
        return rows.joined(separator: "\n")
    }

    static func summaryText(_ summary: AuditSummary) -> String {
        let answered = summary.answered
        var lines = [
            "tickets \(summary.tickets), open \(summary.open), offers \(summary.offers)",
            "outcomes " + counts(summary.outcomes),
            "decisions " + counts(Dictionary(uniqueKeysWithValues: summary.decisions.map { ($0.key.rawValue, $0.value) })),
            "approval rate \(percent(summary.approvalRate)) of \(answered) answers, edit rate \(percent(summary.editRate))",
            "time to answer: median \(duration(summary.medianTimeToAnswer)), p90 \(duration(summary.p90TimeToAnswer))",
        ]
        if !summary.transfers.isEmpty { lines.append("transfers " + counts(summary.transfers)) }
        if !summary.releases.isEmpty { lines.append("released " + counts(summary.releases)) }
        return lines.joined(separator: "\n")
    }

    static func summaryJSON(_ summary: AuditSummary) -> String {
        object([
            ("tickets", "\(summary.tickets)"), ("open", "\(summary.open)"), ("offers", "\(summary.offers)"),
            ("outcomes", countsObject(summary.outcomes)),
            ("decisions", countsObject(Dictionary(uniqueKeysWithValues: summary.decisions.map { ($0.key.rawValue, $0.value) }))),
            ("approval_rate", summary.approvalRate.map { "\($0)" } ?? "null"), ("edit_rate", summary.editRate.map { "\($0)" } ?? "null"),
            ("median_time_to_answer_ms", number(summary.medianTimeToAnswer.map(Int64.init))),
            ("p90_time_to_answer_ms", number(summary.p90TimeToAnswer.map(Int64.init))),
            ("transfers", countsObject(summary.transfers)), ("released", countsObject(summary.releases)),
        ])
    }

    private static func client(_ history: TicketHistory) -> String {
        history.clientName ?? "conn-" + String(history.clientConnection, radix: 16)
    }

    private static func counts(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private static func countsObject(_ counts: [String: Int]) -> String {
        object(counts.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") })
    }

    private static func percent(_ rate: Double?) -> String {
        guard let rate else { return "-" }
        return "\((rate * 1_000).rounded() / 10)%"
    }

    private static func duration(_ milliseconds: Int?) -> String {
        guard let milliseconds else { return "-" }
        return milliseconds < 10_000 ? "\(milliseconds) ms" : "\((Double(milliseconds) / 100).rounded() / 10) s"
    }

    private static func number(_ value: Int64?) -> String { value.map { "\($0)" } ?? "null" }

    private static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    private static func array(_ values: [String]) -> String { "[" + values.map(string).joined(separator: ",") + "]" }

    /// A JSON string literal (RFC 8259 escapes).
    static func string(_ value: String) -> String {
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20: escaped += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// A CSV row (RFC 4180 quoting).
    private static func row(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }
}
