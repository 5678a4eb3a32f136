import CZeroMQ

/// What a socket or file descriptor is ready for: libzmq's `ZMQ_POLLIN`/`OUT`/`ERR` bits,
/// as used by `ZMQ_EVENTS` and ``ZMQPoller``.
public struct ZMQEvents: OptionSet, Sendable, Hashable {
    /// The `ZMQ_POLL*` bits.
    public let rawValue: Int32

    /// Wraps `ZMQ_POLL*` bits.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// At least one whole message (or, for a file descriptor, some bytes) can be read.
    public static let readable = ZMQEvents(rawValue: ZMQ_POLLIN)
    /// At least one message can be sent without blocking.
    public static let writable = ZMQEvents(rawValue: ZMQ_POLLOUT)
    /// An error condition on a file descriptor (never set for libzmq sockets).
    public static let error = ZMQEvents(rawValue: ZMQ_POLLERR)
}
