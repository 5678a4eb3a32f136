import CZeroMQ

/// One event from a socket monitor: what happened to which connection.
///
/// A broker watches its ROUTER for ``Kind/disconnected``: the event's ``fileDescriptor``
/// equals ``ZMQMultipart/sourceFileDescriptor(_:)`` of the messages that peer sent, which
/// tells within milliseconds that a worker's TCP connection dropped.
public struct ZMQMonitorEvent: Sendable, Equatable {
    /// What happened (libzmq's `ZMQ_EVENT_*`).
    public enum Kind: Sendable, Hashable {
        /// An outgoing connection is up; value is its fd.
        case connected
        /// A connect is in progress; value is an errno.
        case connectDelayed
        /// A connect will be retried; value is the wait in milliseconds.
        case connectRetried
        /// A bind succeeded; value is the listening fd.
        case listening
        /// A bind failed; value is an errno.
        case bindFailed
        /// A peer connected to a bound endpoint; value is the new connection's fd.
        case accepted
        /// An accept failed; value is an errno.
        case acceptFailed
        /// A connection or listener was closed by us; value is its fd.
        case closed
        /// Closing failed; value is an errno.
        case closeFailed
        /// A connection broke or the peer closed it; value is its fd.
        case disconnected
        /// Monitoring ended; the monitor will report nothing more.
        case monitorStopped
        /// A handshake failed for a system reason; value is an errno.
        case handshakeFailedNoDetail
        /// A handshake (and authentication, if any) completed.
        case handshakeSucceeded
        /// A handshake broke the ZMTP protocol; value is a `ZMQ_PROTOCOL_ERROR_*`.
        case handshakeFailedProtocol
        /// Authentication refused the peer; value is the ZAP status (300, 400, 500).
        case handshakeFailedAuth
        /// An event this wrapper does not name.
        case other(UInt16)

        /// Decodes libzmq's event number.
        public init(rawValue: UInt16) {
            switch Int32(rawValue) {
            case ZMQ_EVENT_CONNECTED: self = .connected
            case ZMQ_EVENT_CONNECT_DELAYED: self = .connectDelayed
            case ZMQ_EVENT_CONNECT_RETRIED: self = .connectRetried
            case ZMQ_EVENT_LISTENING: self = .listening
            case ZMQ_EVENT_BIND_FAILED: self = .bindFailed
            case ZMQ_EVENT_ACCEPTED: self = .accepted
            case ZMQ_EVENT_ACCEPT_FAILED: self = .acceptFailed
            case ZMQ_EVENT_CLOSED: self = .closed
            case ZMQ_EVENT_CLOSE_FAILED: self = .closeFailed
            case ZMQ_EVENT_DISCONNECTED: self = .disconnected
            case ZMQ_EVENT_MONITOR_STOPPED: self = .monitorStopped
            case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: self = .handshakeFailedNoDetail
            case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: self = .handshakeSucceeded
            case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: self = .handshakeFailedProtocol
            case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: self = .handshakeFailedAuth
            default: self = .other(rawValue)
            }
        }
    }

    /// Which events a monitor reports (`ZMQ_EVENT_*` bits).
    public struct Mask: OptionSet, Sendable, Hashable {
        /// The `ZMQ_EVENT_*` bits.
        public let rawValue: Int32

        /// Wraps `ZMQ_EVENT_*` bits.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// ``Kind/connected``.
        public static let connected = Mask(rawValue: ZMQ_EVENT_CONNECTED)
        /// ``Kind/listening``.
        public static let listening = Mask(rawValue: ZMQ_EVENT_LISTENING)
        /// ``Kind/accepted``.
        public static let accepted = Mask(rawValue: ZMQ_EVENT_ACCEPTED)
        /// ``Kind/closed``.
        public static let closed = Mask(rawValue: ZMQ_EVENT_CLOSED)
        /// ``Kind/disconnected``.
        public static let disconnected = Mask(rawValue: ZMQ_EVENT_DISCONNECTED)
        /// ``Kind/handshakeSucceeded``.
        public static let handshakeSucceeded = Mask(rawValue: ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
        /// All three handshake failures.
        public static let handshakeFailed = Mask(rawValue:
            ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
            | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
        /// Every event libzmq's version-1 monitor reports.
        public static let all = Mask(rawValue: ZMQ_EVENT_ALL)
    }

    /// What happened.
    public let kind: Kind
    /// The event's value, whose meaning depends on ``kind`` (an fd, an errno, a status).
    public let value: UInt32
    /// The endpoint concerned, as bound or connected (`tcp://127.0.0.1:5555`).
    public let endpoint: String

    /// Describes an event.
    public init(kind: Kind, value: UInt32, endpoint: String) {
        self.kind = kind
        self.value = value
        self.endpoint = endpoint
    }

    /// The connection's (or listener's) fd, for the kinds whose value is one.
    public var fileDescriptor: Int32? {
        switch kind {
        case .connected, .listening, .accepted, .closed, .disconnected:
            Int32(bitPattern: value)
        default:
            nil
        }
    }
}
