import HelplinePeer

extension HelplineWorker {
    /// Reconnection and security settings for a worker.
    public struct Options: Sendable {
        /// CURVE keys, for a broker that requires them (all Z85, 40 characters).
        public typealias Curve = CurveKeys

        /// Silent intervals before the broker is considered gone, until WELCOME states the
        /// broker's own (spec default 3).
        public var liveness: Int
        /// The first wait before reconnecting; doubled after each failure.
        public var reconnectDelay: Duration
        /// The longest wait between reconnects.
        public var maxReconnectDelay: Duration
        /// How long closing waits for DISCONNECT to reach the broker.
        public var closeLinger: Duration
        /// CURVE keys; nil for a broker without CURVE.
        public var curve: Curve?
        /// Report when the broker has recorded each final reply
        /// (``WorkerEvent/replyRecorded(ticket:)``), for a console that must not show a
        /// decision as sent before it is. HLP/1 acknowledges no ANSWER, so each final reply
        /// is followed by an EXTEND of an id no ticket has: the broker handles one
        /// connection's commands in order and sends nothing before its journal committed,
        /// so the ERROR 404 that EXTEND draws proves the reply before it was processed. It
        /// costs one message each way and one counted error per reply.
        public var confirmReplies: Bool

        /// Creates options; every value has a default.
        public init(
            liveness: Int = 3, reconnectDelay: Duration = .milliseconds(100), maxReconnectDelay: Duration = .seconds(5),
            closeLinger: Duration = .milliseconds(500), curve: Curve? = nil,
            confirmReplies: Bool = false
        ) {
            self.liveness = liveness
            self.reconnectDelay = reconnectDelay
            self.maxReconnectDelay = maxReconnectDelay
            self.closeLinger = closeLinger
            self.curve = curve
            self.confirmReplies = confirmReplies
        }
    }
}
