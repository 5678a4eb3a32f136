import HelplineWire

/// One message from the page over its WebSocket: what the person did.
///
/// `{"op":"accept","id":"t-1"}`, `{"op":"decide","id":"t-1","decision":"edit","edited":{"amount":200}}`,
/// `{"op":"decide","id":"t-1","decision":"option","option":"approve"}`,
/// `{"op":"transfer","id":"t-1","note":"…"}`, `{"op":"decline","id":"t-1","reason":"…"}`,
/// `{"op":"take","id":"t-1"}` (a live agent takes the conversation over),
/// `{"op":"presence","presence":"away"}`.
struct PageCommand: Decodable, Sendable {
    enum Op: String, Decodable, Sendable {
        case accept, decide, transfer, decline, take, presence
    }

    var op: Op
    var id: String?
    var decision: String?
    var option: String?
    var text: String?
    var edited: JSONBody?
    var note: String?
    var reason: String?
    var presence: String?
}

/// A decision the page asked for, checked and ready for the worker.
enum DeskDecision: Sendable, Equatable {
    case accept
    case take
    case answer(Decision, option: String?, text: String?, edited: BodyValue?)
    case transfer(note: String?)
    case decline(reason: String?)

    /// Whether the broker's confirmation ends the ticket at this desk.
    var isFinal: Bool {
        if case .accept = self { false } else { true }
    }

    /// How the "answered by me" list and the notices say it.
    var summary: String {
        switch self {
        case .accept: "accepted"
        case .take: "taken over"
        case .answer(let decision, let option, let text, _):
            switch decision {
            case .option: "picked \(option ?? "")"
            case .reject: "rejected" + (text.map { ": \($0)" } ?? "")
            case .answer: "answered: \(text ?? "")"
            case .edit: "sent an edited proposal"
            case .approve: "approved"
            }
        case .transfer(let note): "transferred to a live agent" + (note.map { ": \($0)" } ?? "")
        case .decline: "declined"
        }
    }
}
