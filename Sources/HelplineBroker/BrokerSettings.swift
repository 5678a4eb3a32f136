import HelplineBrokerCore
import HelplineWire

/// Everything `HelplineBroker` needs to start: where to listen and the core's rules.
public struct BrokerSettings: Sendable {
    /// The ZeroMQ endpoint the ROUTER binds, e.g. `tcp://127.0.0.1:5555` or `ipc:///tmp/h.sock`.
    /// `tcp://127.0.0.1:*` binds an ephemeral port; `HelplineBroker.endpoint` says which.
    public var endpoint: String
    /// Timers, clamps and quotas of the routing core.
    public var core: BrokerConfiguration
    /// Messages read per wake-up before timers and sends get a turn. Batching is what makes
    /// the loop fast; the cap keeps timers (heartbeats) on time under a flood.
    public var maxMessagesPerWakeUp: Int
    /// Largest message a peer may send, enforced by libzmq before it reaches us
    /// (ZMQ_MAXMSGSIZE): a body at its limit plus a header at its limit.
    public var maxMessageBytes: Int
    /// The journal that keeps tickets across restarts; nil keeps them in memory only.
    public var journal: JournalSettings?

    /// The embedded defaults `make run` uses.
    public init(
        endpoint: String = "tcp://127.0.0.1:5555",
        core: BrokerConfiguration = BrokerConfiguration(),
        maxMessagesPerWakeUp: Int = 4096,
        maxMessageBytes: Int = WireLimits.maxBodyBytes + WireLimits.maxHeaderBytes + 64,
        journal: JournalSettings? = nil
    ) {
        self.endpoint = endpoint
        self.core = core
        self.maxMessagesPerWakeUp = maxMessagesPerWakeUp
        self.maxMessageBytes = maxMessageBytes
        self.journal = journal
    }
}
