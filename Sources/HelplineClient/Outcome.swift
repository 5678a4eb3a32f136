/// How a ticket ended: exactly one per ticket (spec §"Outcomes").
public enum Outcome: Sendable, Equatable {
    /// A HILA answered; the conversation is the agent's again.
    case answered(HumanAnswer)
    /// A live agent, named here, took the customer conversation over; the agent stops.
    case takenOver(by: String)
    /// Nobody took the ticket before its deadline.
    case expired
    /// The ticket was cancelled (by this client, or by another holding its id).
    case cancelled
}
