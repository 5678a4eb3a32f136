import Logging
import ZeroMQ

/// The broker's ZAP handler (27/ZAP): libzmq asks it, over `inproc://zeromq.zap.01` in the
/// broker's context, whether each CURVE handshake may complete. It admits exactly the keys
/// in the authorized-keys file and names each admitted connection's key as its ZAP user id,
/// which libzmq then attaches to every message from that connection as `User-Id`.
///
/// A REP socket polled by the broker thread beside the ROUTER: no other thread, no locks.
/// A handshake waits for this answer, so the loop answers ZAP before reading messages.
final class ZAPHandler {
    /// Where libzmq sends ZAP requests (27/ZAP: one handler per context, at this address).
    static let endpoint = "inproc://zeromq.zap.01"
    /// The ZAP domain the ROUTER asks for; requests for any other domain are refused.
    static let domain = "helpline"
    /// A ZAP request has 7 frames for CURVE (version, id, domain, address, identity,
    /// mechanism, key); a few more are kept so an oversized request is seen and refused.
    static let requestFrameCapacity = 10

    let socket: ZMQSocket
    /// The keys admitted now (replaced when the file is read again).
    var keys: AuthorizedKeys
    private let logger: Logger
    private let request = ZMQMultipart(capacity: ZAPHandler.requestFrameCapacity)
    /// A peer retrying a refused handshake in a loop must not flood the log.
    private var refusalLog = LogThrottle()

    /// Binds the handler in `context`; must happen before the ROUTER accepts connections.
    init(context: ZMQContext, keys: AuthorizedKeys, logger: Logger) throws(ZMQError) {
        socket = try ZMQSocket(context: context, type: .rep)
        try socket.bind(Self.endpoint)
        self.keys = keys
        self.logger = logger
    }

    /// Answers up to `limit` waiting requests; returns how many were admitted and denied.
    func answerPending(limit: Int) -> (admitted: Int, denied: Int) {
        var admitted = 0
        var denied = 0
        while admitted + denied < limit, (try? socket.receive(into: request, dontWait: true)) == true {
            let frames = (0..<request.count).map { request.frameBytes($0) }
            let decision = Self.decide(frames: request.overflowed ? [] : frames, keys: keys)
            let requestID = frames.count > 1 ? frames[1] : []
            let reply: [[UInt8]] = [
                Array("1.0".utf8), requestID, Array(decision.status.utf8), Array(decision.text.utf8),
                Array(decision.userID.utf8), [],
            ]
            // A REP must answer before it can read the next request; a failed send (the
            // handshake gave up) only loses that one answer.
            _ = try? socket.sendMultipart(reply)
            let address = frames.count > 3 ? String(decoding: frames[3], as: UTF8.self) : "?"
            if let key = decision.key {
                admitted += 1
                logger.info("peer admitted", metadata: ["key": "\(key.name)", "roles": "\(key.roles.listed)", "address": "\(address)"])
            } else {
                denied += 1
                refusalLog.notice(
                    "peer refused",
                    metadata: ["reason": "\(decision.text)", "key": "\(decision.presentedKey ?? "-")", "address": "\(address)"],
                    to: logger, now: .monotonicNow())
            }
        }
        return (admitted, denied)
    }

    /// The answer to one ZAP request: status 200 with the key's Z85 public key as user id
    /// for a listed key; 400 for anything else (unknown key, other mechanism or domain,
    /// malformed request).
    struct Decision: Equatable {
        var status: String
        var text: String
        var userID: String
        var key: AuthorizedKey?
        /// The key the peer presented (Z85), for the log line an operator reads to list it.
        var presentedKey: String?
    }

    static func decide(frames: [[UInt8]], keys: AuthorizedKeys) -> Decision {
        func deny(_ text: String, _ presented: String? = nil) -> Decision {
            Decision(status: "400", text: text, userID: "", key: nil, presentedKey: presented)
        }
        guard frames.count >= 6, frames[0] == Array("1.0".utf8) else { return deny("malformed ZAP request") }
        guard frames[2] == Array(domain.utf8) else { return deny("unknown ZAP domain") }
        guard frames[5] == Array("CURVE".utf8) else { return deny("only CURVE is accepted") }
        guard frames.count == 7, let publicKey = ZMQ.z85Encode(key: frames[6]) else { return deny("malformed CURVE credentials") }
        guard let key = keys.key(publicKey: publicKey) else { return deny("key not authorized", publicKey) }
        return Decision(status: "200", text: "OK", userID: key.publicKey, key: key, presentedKey: publicKey)
    }
}
