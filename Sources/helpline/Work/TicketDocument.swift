import HelplinePeer
import HelplineWire
import HelplineWorker

/// The JSON a `helpline work --exec` command reads on stdin: one object per ticket.
///
/// ```json
/// {"id":"t-1","role":"hila","skills":["refunds"],"priority":5,"options":["approve","reject"],
///  "attempt":1,"age_ms":12,"accept_timeout_ms":30000,"deadline_ms":3599988,
///  "body":{"prompt":"Refund $240 for order 1182?","proposed":{"amount":240}}}
/// ```
///
/// `body` is the ASK body decoded from MessagePack (by convention `prompt`, `context`,
/// `transcript`, `customer`, `proposed`, and whatever else the agent sent); a body that is
/// not MessagePack arrives as `body_base64` instead. Live tickets add `transfer` (why it
/// reached the live queue) and `note` (the transferring HILA's).
enum TicketDocument {
    static func json(_ ticket: OfferedTicket) -> JSONValue {
        let body = BodyValue(messagePack: ticket.body)
        return .compactObject([
            ("id", .string(ticket.id)),
            ("role", .string(ticket.role.rawValue)),
            ("skills", .array(ticket.skills.map(JSONValue.string))),
            ("priority", .int(Int64(ticket.priority))),
            ("options", .array(ticket.options.map(JSONValue.string))),
            ("attempt", .int(Int64(ticket.attempt))),
            ("age_ms", .int(Int64(ticket.age.wholeMilliseconds))),
            ("accept_timeout_ms", .int(Int64(ticket.acceptTimeout.wholeMilliseconds))),
            ("deadline_ms", .int(Int64(ticket.deadline.wholeMilliseconds))),
            ("transfer", ticket.transferReason.map { .string($0.rawValue) }),
            ("note", ticket.note.map(JSONValue.string)),
            ("body", ticket.body.isEmpty ? nil : body.map(JSONValue.init)),
            ("body_base64", ticket.body.isEmpty || body != nil ? nil : JSONValue(.binary(ticket.body))),
        ])
    }
}
