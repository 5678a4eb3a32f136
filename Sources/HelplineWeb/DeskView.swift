import HelplineWire
import HelplineWorker

/// What the page shows, sent whole after every change: the state lives at the server, so a
/// reload (or a second tab) draws the same console. Times are the server's wall clock in
/// milliseconds since 1970; `now` lets the page correct for its own clock.
struct DeskView: Encodable, Sendable {
    struct Me: Encodable, Sendable {
        var name: String
        var role: String
        var skills: [String]
        var capacity: Int
    }

    struct Ticket: Encodable, Sendable {
        var id: String
        var role: String
        var skills: [String]
        var priority: Int
        var options: [String]
        var attempt: Int
        /// `offered`, `accepted`.
        var stage: String
        /// What was sent and awaits the broker's confirmation (`accept`, `decide`, ...).
        var sending: String?
        var offeredAt: Int64
        var acceptBy: Int64
        var acceptedAt: Int64?
        var expiresAt: Int64
        var transfer: String?
        var note: String?
        var body: JSONBody?

        enum CodingKeys: String, CodingKey {
            case id, role, skills, priority, options, attempt, stage, sending, transfer, note, body
            case offeredAt = "offered_at", acceptBy = "accept_by", acceptedAt = "accepted_at", expiresAt = "expires_at"
        }
    }

    struct Answered: Encodable, Sendable {
        var id: String
        var prompt: String
        var said: String
        var at: Int64
    }

    let type = "state"
    var now: Int64
    var me: Me
    var presence: String
    /// `connecting`, `online`, `offline`.
    var link: String
    var tickets: [Ticket]
    var answered: [Answered]
}

/// A message for the person: what happened, in a sentence.
struct DeskNotice: Encodable, Sendable {
    let type = "notice"
    /// `good`, `info`, `bad`.
    var level: String
    var text: String
    var ticket: String?
}
