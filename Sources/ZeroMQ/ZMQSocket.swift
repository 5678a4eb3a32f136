import CZeroMQ

/// A libzmq socket, owned by one thread.
///
/// Not `Sendable`: libzmq sockets are not thread-safe. Create a socket on the thread that
/// uses it, and let other threads reach that thread through a queue and an ``EventFD``.
///
/// A new socket has `ZMQ_LINGER` 0, not libzmq's infinite default: pending outgoing
/// messages are dropped at close, so closing never blocks and a context never hangs in
/// termination waiting for a peer that is gone. Set ``ZMQSocketOption/linger`` to keep them.
/// The socket is closed when the last reference goes away. Swift may release an object
/// right after its last use rather than at the end of its scope, so keep a socket
/// referenced (a stored property, a ``ZMQPoller``) for as long as its peers need it.
public final class ZMQSocket {
    /// The kinds of socket this wrapper offers (libzmq's stable, non-draft ones we use).
    public enum SocketType: Sendable, CaseIterable {
        case router, dealer, pair, pub, sub, req, rep

        /// libzmq's `ZMQ_*` constant.
        public var rawValue: Int32 {
            switch self {
            case .router: ZMQ_ROUTER
            case .dealer: ZMQ_DEALER
            case .pair: ZMQ_PAIR
            case .pub: ZMQ_PUB
            case .sub: ZMQ_SUB
            case .req: ZMQ_REQ
            case .rep: ZMQ_REP
            }
        }
    }

    /// The context this socket lives in, kept alive as long as the socket is.
    public let context: ZMQContext
    /// What kind of socket this is.
    public let type: SocketType
    /// The `void *` libzmq hands out.
    let handle: UnsafeMutableRawPointer
    /// One message, always initialised, that frame sends and copying receives reuse so
    /// they allocate nothing per call. Allocated rather than a stored `zmq_msg_t` so its
    /// address is stable (libzmq may point into it).
    let scratch: UnsafeMutablePointer<zmq_msg_t>

    /// Opens a socket of `type` in `context`, with linger 0.
    public init(context: ZMQContext, type: SocketType) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("zmq_socket \(type)")
        }
        var linger: Int32 = 0
        if zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size) != 0 {
            let error = ZMQError.last("zmq_setsockopt ZMQ_LINGER")
            zmq_close(handle)
            throw error
        }
        self.context = context
        self.type = type
        self.handle = handle
        self.scratch = .allocate(capacity: 1)
        zmq_msg_init(scratch)
    }

    deinit {
        zmq_msg_close(scratch)
        scratch.deallocate()
        // Linger was set at creation (0 unless the owner chose otherwise), so this
        // returns at once; the context reference is released only after it.
        zmq_close(handle)
    }

    /// Accepts connections on `endpoint`: `tcp://127.0.0.1:5555`, `tcp://*:*` (an
    /// ephemeral port, read it back from ``lastEndpoint``), `inproc://name`, `ipc:///path`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        if zmq_bind(handle, endpoint) != 0 {
            throw ZMQError.last("bind \(endpoint)")
        }
    }

    /// Connects to `endpoint`. For TCP this returns at once: libzmq connects, and
    /// reconnects, in the background.
    public func connect(_ endpoint: String) throws(ZMQError) {
        if zmq_connect(handle, endpoint) != 0 {
            throw ZMQError.last("connect \(endpoint)")
        }
    }

    /// Stops accepting on an endpoint given to ``bind(_:)`` (use ``lastEndpoint``'s
    /// resolved form for wildcards).
    public func unbind(_ endpoint: String) throws(ZMQError) {
        if zmq_unbind(handle, endpoint) != 0 {
            throw ZMQError.last("unbind \(endpoint)")
        }
    }

    /// Drops the connection made by ``connect(_:)`` to `endpoint`.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        if zmq_disconnect(handle, endpoint) != 0 {
            throw ZMQError.last("disconnect \(endpoint)")
        }
    }

    /// The endpoint last bound or connected, resolved: after binding
    /// `tcp://127.0.0.1:*` it names the port the kernel chose.
    public var lastEndpoint: String {
        get throws(ZMQError) { try option(.lastEndpoint) }
    }

    /// The file descriptor (`ZMQ_FD`) that becomes readable when ``events`` may have
    /// changed. Edge-triggered: after it fires, read ``events`` and drain the socket
    /// until `EAGAIN` before waiting on it again. ``ZMQPoller`` handles this for you.
    public var fileDescriptor: Int32 {
        get throws(ZMQError) { try option(.fileDescriptor) }
    }

    /// What the socket can do without blocking now (`ZMQ_EVENTS`).
    public var events: ZMQEvents {
        get throws(ZMQError) { ZMQEvents(rawValue: try option(.events)) }
    }
}

/// One thread owns a socket; say so explicitly so no one adds the conformance later.
@available(*, unavailable)
extension ZMQSocket: Sendable {}
