import CZeroMQ

/// A socket option together with the Swift type of its value, so
/// `socket.setOption(.linger, 100)` and `try socket.option(.lastEndpoint)` are checked at
/// compile time. Any other libzmq option is reachable with `ZMQSocketOption(ZMQ_..., name:)`
/// or the raw `setOption(_: Int32, _:)` family.
///
/// Whether an option may be read, written, or only set before `bind`/`connect` is libzmq's
/// rule (see `zmq_setsockopt(3)`); breaking it throws `EINVAL`.
public struct ZMQSocketOption<Value>: Sendable {
    /// libzmq's `ZMQ_*` option number.
    public let rawValue: Int32
    /// The option's libzmq name, for error messages.
    public let name: String
    /// Buffer size used to read a byte or string value. Curve keys read as Z85 only when
    /// asked with exactly 41 bytes, hence a per-option size.
    public let readCapacity: Int

    /// Names a libzmq option whose value has type `Value`.
    public init(_ rawValue: Int32, name: String, readCapacity: Int = 256) {
        self.rawValue = rawValue
        self.name = name
        self.readCapacity = readCapacity
    }
}

extension ZMQSocketOption where Value == Int32 {
    /// Milliseconds pending messages are kept after close; 0 drops them, -1 waits forever.
    public static var linger: Self { Self(ZMQ_LINGER, name: "ZMQ_LINGER") }
    /// Outgoing messages queued per peer before sends block or drop (default 1000).
    public static var sendHighWaterMark: Self { Self(ZMQ_SNDHWM, name: "ZMQ_SNDHWM") }
    /// Incoming messages queued per peer before libzmq stops reading (default 1000).
    public static var receiveHighWaterMark: Self { Self(ZMQ_RCVHWM, name: "ZMQ_RCVHWM") }
    /// Milliseconds a blocking send waits before `EAGAIN`; -1 (default) forever.
    public static var sendTimeout: Self { Self(ZMQ_SNDTIMEO, name: "ZMQ_SNDTIMEO") }
    /// Milliseconds a blocking receive waits before `EAGAIN`; -1 (default) forever.
    public static var receiveTimeout: Self { Self(ZMQ_RCVTIMEO, name: "ZMQ_RCVTIMEO") }
    /// Milliseconds before the first reconnect attempt (default 100).
    public static var reconnectInterval: Self {
        Self(ZMQ_RECONNECT_IVL, name: "ZMQ_RECONNECT_IVL")
    }
    /// Upper bound in milliseconds for the exponential reconnect back-off; 0 (default)
    /// keeps the interval constant.
    public static var reconnectIntervalMax: Self {
        Self(ZMQ_RECONNECT_IVL_MAX, name: "ZMQ_RECONNECT_IVL_MAX")
    }
    /// Milliseconds between ZMTP PINGs; 0 (default) sends none.
    public static var heartbeatInterval: Self {
        Self(ZMQ_HEARTBEAT_IVL, name: "ZMQ_HEARTBEAT_IVL")
    }
    /// Milliseconds the peer should wait for traffic before dropping us (sent in our
    /// PINGs, rounded down to tenths of a second).
    public static var heartbeatTimeToLive: Self {
        Self(ZMQ_HEARTBEAT_TTL, name: "ZMQ_HEARTBEAT_TTL")
    }
    /// Milliseconds without traffic after a PING before we drop the connection.
    public static var heartbeatTimeout: Self {
        Self(ZMQ_HEARTBEAT_TIMEOUT, name: "ZMQ_HEARTBEAT_TIMEOUT")
    }
    /// Milliseconds a new connection may take to finish its handshake (default 30000).
    public static var handshakeInterval: Self {
        Self(ZMQ_HANDSHAKE_IVL, name: "ZMQ_HANDSHAKE_IVL")
    }
    /// Pending TCP connections the kernel queues on a bound endpoint (default 100).
    public static var backlog: Self { Self(ZMQ_BACKLOG, name: "ZMQ_BACKLOG") }
    /// Read-only: the edge-triggered notification descriptor. See ``ZMQSocket/fileDescriptor``.
    public static var fileDescriptor: Self { Self(ZMQ_FD, name: "ZMQ_FD") }
    /// Read-only: `ZMQ_POLL*` bits. See ``ZMQSocket/events``.
    public static var events: Self { Self(ZMQ_EVENTS, name: "ZMQ_EVENTS") }
}

extension ZMQSocketOption where Value == Int64 {
    /// Largest frame accepted from a peer, in bytes; a larger one drops the connection.
    /// -1 (default) means no limit, which lets a hostile peer make us allocate at will.
    public static var maxMessageSize: Self { Self(ZMQ_MAXMSGSIZE, name: "ZMQ_MAXMSGSIZE") }
}

extension ZMQSocketOption where Value == Bool {
    /// ROUTER: a send to an unknown routing id fails with `EHOSTUNREACH` instead of
    /// being dropped silently. Write-only.
    public static var routerMandatory: Self {
        Self(ZMQ_ROUTER_MANDATORY, name: "ZMQ_ROUTER_MANDATORY")
    }
    /// ROUTER: a new peer that presents a routing id already in use takes it over
    /// (a restarted worker) instead of being refused. Write-only.
    public static var routerHandover: Self {
        Self(ZMQ_ROUTER_HANDOVER, name: "ZMQ_ROUTER_HANDOVER")
    }
    /// Queue outgoing messages only to completed connections, so sends block (or
    /// `EAGAIN`) while no peer is connected instead of piling up for a future peer.
    public static var immediate: Self { Self(ZMQ_IMMEDIATE, name: "ZMQ_IMMEDIATE") }
    /// Allow IPv6 on TCP endpoints.
    public static var ipv6: Self { Self(ZMQ_IPV6, name: "ZMQ_IPV6") }
    /// This socket is the CURVE server side (set with ``ZMQSocketOption/curveSecretKey``).
    public static var curveServer: Self { Self(ZMQ_CURVE_SERVER, name: "ZMQ_CURVE_SERVER") }
}

extension ZMQSocketOption where Value == [UInt8] {
    /// The identity a peer's ROUTER uses for this socket (1–255 bytes, not starting
    /// with a zero byte). Set before connecting.
    public static var routingID: Self { Self(ZMQ_ROUTING_ID, name: "ZMQ_ROUTING_ID") }
    /// SUB: receive messages whose first frame starts with these bytes. Write-only.
    public static var subscribe: Self { Self(ZMQ_SUBSCRIBE, name: "ZMQ_SUBSCRIBE") }
    /// SUB: drop a subscription made with ``subscribe``. Write-only.
    public static var unsubscribe: Self { Self(ZMQ_UNSUBSCRIBE, name: "ZMQ_UNSUBSCRIBE") }
}

extension ZMQSocketOption where Value == String {
    /// Read-only: the last endpoint bound or connected, resolved.
    public static var lastEndpoint: Self { Self(ZMQ_LAST_ENDPOINT, name: "ZMQ_LAST_ENDPOINT") }
    /// The ZAP authentication domain requested for connections to this socket.
    public static var zapDomain: Self { Self(ZMQ_ZAP_DOMAIN, name: "ZMQ_ZAP_DOMAIN") }
    /// This socket's long-term CURVE public key, as 40 Z85 characters.
    public static var curvePublicKey: Self {
        Self(ZMQ_CURVE_PUBLICKEY, name: "ZMQ_CURVE_PUBLICKEY", readCapacity: 41)
    }
    /// This socket's long-term CURVE secret key, as 40 Z85 characters.
    public static var curveSecretKey: Self {
        Self(ZMQ_CURVE_SECRETKEY, name: "ZMQ_CURVE_SECRETKEY", readCapacity: 41)
    }
    /// Client side: the server's CURVE public key, as 40 Z85 characters.
    public static var curveServerKey: Self {
        Self(ZMQ_CURVE_SERVERKEY, name: "ZMQ_CURVE_SERVERKEY", readCapacity: 41)
    }
}
