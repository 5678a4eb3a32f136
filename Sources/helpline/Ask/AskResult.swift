import HelplineClient
import HelplinePeer
import HelplineWire

/// How `helpline ask` ended: the JSON it prints and its exit code.
enum AskResult: Sendable {
    /// The ticket's one outcome, and the transfer that came before it, if any.
    case outcome(Outcome, transfer: Transfer?)
    /// `--no-wait-live`: the ticket moved to live agents; it stays open at the broker.
    case transferred(Transfer)
    /// Nothing was decided: the request was refused, the broker did not answer, ...
    case failure(String)

    /// Why and with what note a ticket moved to the live-agent queue.
    struct Transfer: Sendable {
        var reason: TransferReason
        var note: String?
    }

    /// The documented exit codes (README, `helpline ask --help`).
    enum ExitStatus: Int32 {
        case answered = 0
        case error = 1
        case transferred = 2
        case expired = 3
        case cancelled = 4
    }

    var exitStatus: ExitStatus {
        switch self {
        case .outcome(.answered, _): .answered
        case .outcome(.takenOver, _), .transferred: .transferred
        case .outcome(.expired, _): .expired
        case .outcome(.cancelled, _): .cancelled
        case .failure: .error
        }
    }

    /// One JSON object: `id`, `outcome`, then what that outcome carries.
    func json(ticket: String) -> JSONValue {
        var entries: [(String, JSONValue?)] = [("id", .string(ticket))]
        switch self {
        case .outcome(.answered(let answer), let transfer):
            entries += [
                ("outcome", .string("answered")), ("decision", .string(answer.decision.rawValue)),
                ("option", answer.option.map(JSONValue.string)), ("text", answer.text.map(JSONValue.string)),
                ("edited", answer.edited.map(JSONValue.init)), ("worker", .string(answer.worker)),
                ("elapsed_ms", .int(Int64(answer.elapsed.wholeMilliseconds))),
                ("transfer", transfer.map(Self.json)),
            ]
        case .outcome(.takenOver(let worker), let transfer):
            entries += [("outcome", .string("taken_over")), ("worker", .string(worker)), ("transfer", transfer.map(Self.json))]
        case .outcome(.expired, let transfer):
            entries += [("outcome", .string("expired")), ("transfer", transfer.map(Self.json))]
        case .outcome(.cancelled, let transfer):
            entries += [("outcome", .string("cancelled")), ("transfer", transfer.map(Self.json))]
        case .transferred(let transfer):
            entries += [("outcome", .string("transferred")), ("transfer", Self.json(transfer))]
        case .failure(let message):
            entries += [("outcome", .string("error")), ("error", .string(message))]
        }
        return .compactObject(entries)
    }

    private static func json(_ transfer: Transfer) -> JSONValue {
        .compactObject([("reason", .string(transfer.reason.rawValue)), ("note", transfer.note.map(JSONValue.string))])
    }
}
