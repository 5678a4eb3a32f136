/// The closed set of HLP/1 error codes, listed once (spec §"Error codes").
///
/// Numbers borrow HTTP's meaning where one exists so an operator reads them at a glance.
public enum ErrorCode: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    /// The frames or the header cannot be parsed: wrong frame count, bad MessagePack,
    /// a field of the wrong type, trailing bytes.
    case malformed = 400
    /// The peer's CURVE key is not authorised for the role or skills it claims.
    case unauthorized = 401
    /// A valid command the sender may not send now: wrong role, wrong ticket state,
    /// a ticket it does not hold.
    case forbidden = 403
    /// The ticket id is not known to the broker (never asked, or pruned after retention).
    case unknownTicket = 404
    /// ASK reuses an open or retained ticket id with different content.
    case conflict = 409
    /// A frame, string, list or body is over its limit.
    case tooLarge = 413
    /// A field is missing or out of range (priority 12, unknown role, empty skill...).
    case invalid = 422
    /// A quota is reached: open tickets for this client, waiting tickets, workers.
    case tooMany = 429
    /// The broker cannot take the request now (journal unwritable, shutting down).
    /// Nothing was accepted; the client may retry later.
    case unavailable = 503
    /// The protocol signature is unknown or of another version.
    case unsupportedVersion = 505

    /// The spec's lower-case name for the code.
    public var description: String {
        switch self {
        case .malformed: "malformed"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .unknownTicket: "unknown-ticket"
        case .conflict: "conflict"
        case .tooLarge: "too-large"
        case .invalid: "invalid"
        case .tooMany: "too-many"
        case .unavailable: "unavailable"
        case .unsupportedVersion: "unsupported-version"
        }
    }
}
