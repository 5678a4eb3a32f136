import HelplinePeer

extension HelplineClient {
    /// Timings and security for a client. The defaults follow the spec's "Implementing a
    /// client" recommendations.
    public struct Options: Sendable {
        /// CURVE keys, for a broker that requires them (all Z85, 40 characters).
        public typealias Curve = CurveKeys

        /// How often to send HEARTBEAT while tickets are open (spec: 1 s recommended).
        public var heartbeatInterval: Duration
        /// Silent heartbeat intervals after which the broker is considered gone and the
        /// client reconnects on a new socket (spec: 3).
        public var liveness: Int
        /// An ASK with no reply naming it for this long is sent again, unchanged; ASK is
        /// idempotent (spec: "a few seconds").
        public var acknowledgmentTimeout: Duration
        /// An open ticket the broker has said nothing about for this long is RESUMEd: the
        /// backstop against a broker restart the transport hid.
        public var resumeAfterSilence: Duration
        /// How long past a ticket's deadline to wait for the broker's EXPIRED before
        /// failing the ask with `.timeout` (the broker may be gone for good).
        public var deadlineGrace: Duration
        /// How long to wait for the broker to confirm a cancel before `.timeout`.
        public var cancelGrace: Duration
        /// The first wait before reconnecting; doubled after each failure.
        public var reconnectDelay: Duration
        /// The longest wait between reconnects.
        public var maxReconnectDelay: Duration
        /// CURVE keys; nil for a broker without CURVE (loopback or trusted networks only).
        public var curve: Curve?

        /// Creates options; every value has a default.
        public init(
            heartbeatInterval: Duration = .seconds(1), liveness: Int = 3,
            acknowledgmentTimeout: Duration = .seconds(5), resumeAfterSilence: Duration = .seconds(60),
            deadlineGrace: Duration = .seconds(10), cancelGrace: Duration = .seconds(10),
            reconnectDelay: Duration = .milliseconds(100), maxReconnectDelay: Duration = .seconds(5),
            curve: Curve? = nil
        ) {
            self.heartbeatInterval = heartbeatInterval
            self.liveness = liveness
            self.acknowledgmentTimeout = acknowledgmentTimeout
            self.resumeAfterSilence = resumeAfterSilence
            self.deadlineGrace = deadlineGrace
            self.cancelGrace = cancelGrace
            self.reconnectDelay = reconnectDelay
            self.maxReconnectDelay = maxReconnectDelay
            self.curve = curve
        }
    }
}
