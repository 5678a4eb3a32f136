/// The one-byte command: frame 1 of every HLP/1 message (spec §"Commands").
///
/// Codes are unique across both sub-protocols so a captured frame is never ambiguous.
/// `0x0_` client to broker, `0x1_` broker to client, `0x2_` worker to broker,
/// `0x3_` broker to worker; HEARTBEAT, DISCONNECT and ERROR are shared.
public enum Command: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    // Client -> broker.
    case ask = 0x01
    case cancel = 0x02
    case resume = 0x03
    case status = 0x04
    // Shared by both sub-protocols, both directions.
    case heartbeat = 0x05
    case disconnect = 0x06
    case error = 0x07
    // Broker -> client.
    case queued = 0x10
    case assigned = 0x11
    case answered = 0x12
    case transferred = 0x13
    case expired = 0x14
    case cancelled = 0x15
    case report = 0x16
    // Worker -> broker.
    case ready = 0x20
    case accept = 0x21
    case answer = 0x22
    case transfer = 0x23
    case decline = 0x24
    case extend = 0x25
    // Broker -> worker.
    case welcome = 0x30
    case assign = 0x31
    case revoke = 0x32

    /// Whether the message carries a body frame (frame 3), opaque to the broker.
    /// Only these four do; any other command with a fourth frame is malformed.
    public var carriesBody: Bool {
        switch self {
        case .ask, .answered, .answer, .assign: return true
        default: return false
        }
    }

    /// The spec's upper-case name, as logs and errors print it.
    public var description: String {
        switch self {
        case .ask: "ASK"
        case .cancel: "CANCEL"
        case .resume: "RESUME"
        case .status: "STATUS"
        case .heartbeat: "HEARTBEAT"
        case .disconnect: "DISCONNECT"
        case .error: "ERROR"
        case .queued: "QUEUED"
        case .assigned: "ASSIGNED"
        case .answered: "ANSWERED"
        case .transferred: "TRANSFERRED"
        case .expired: "EXPIRED"
        case .cancelled: "CANCELLED"
        case .report: "REPORT"
        case .ready: "READY"
        case .accept: "ACCEPT"
        case .answer: "ANSWER"
        case .transfer: "TRANSFER"
        case .decline: "DECLINE"
        case .extend: "EXTEND"
        case .welcome: "WELCOME"
        case .assign: "ASSIGN"
        case .revoke: "REVOKE"
        }
    }
}
