import HelplineBrokerCore
import HelplineWire

/// Everything `HelplineBroker` needs to start: where to listen and the core's rules.
public struct BrokerSettings: Sendable {
    /// The ZeroMQ endpoint the ROUTER binds, e.g. `tcp://127.0.0.1:5555` or `ipc:///tmp/h.sock`.
    /// `tcp://127.0.0.1:*` binds an ephemeral port; `HelplineBroker.endpoint` says which.
    public var endpoint: String
    /// Timers, clamps and quotas of the routing core as configured; its `journaling` flag is
    /// ignored: `effectiveCoreConfiguration` sets it from `journal`.
    public var core: BrokerConfiguration
    /// Messages read per wake-up before timers and sends get a turn. Batching is what makes
    /// the loop fast; the cap keeps timers (heartbeats) on time under a flood.
    public var maxMessagesPerWakeUp: Int
    /// Largest frame a peer may send, enforced by libzmq before it reaches us
    /// (ZMQ_MAXMSGSIZE; a peer that sends more is disconnected): a body at its limit plus a
    /// header at its limit.
    public var maxMessageBytes: Int
    /// The journal that keeps tickets across restarts; nil keeps them in memory only.
    public var journal: JournalSettings?
    /// CURVE encryption and ZAP authentication with an authorized-keys file; nil: none.
    public var curve: CurveSecurity?
    /// Bind a non-loopback endpoint without CURVE (`--insecure`): only on a trusted network.
    public var allowsInsecureNetwork: Bool
    /// What one message may carry, at most the protocol's limits.
    public var limits: BrokerLimits

    /// The embedded defaults `make run` uses.
    public init(
        endpoint: String = "tcp://127.0.0.1:5555",
        core: BrokerConfiguration = BrokerConfiguration(),
        maxMessagesPerWakeUp: Int = 4096,
        journal: JournalSettings? = nil,
        maxMessageBytes: Int? = nil,
        curve: CurveSecurity? = nil,
        allowsInsecureNetwork: Bool = false,
        limits: BrokerLimits = BrokerLimits()
    ) {
        self.endpoint = endpoint
        self.core = core
        self.maxMessagesPerWakeUp = maxMessagesPerWakeUp
        self.journal = journal
        self.maxMessageBytes = maxMessageBytes ?? Self.maxMessageBytes(for: limits)
        self.curve = curve
        self.allowsInsecureNetwork = allowsInsecureNetwork
        self.limits = limits
    }

    /// The ZMQ_MAXMSGSIZE that fits a body at `limits` and a header at the protocol's limit,
    /// plus CURVE's per-message overhead.
    public static func maxMessageBytes(for limits: BrokerLimits) -> Int {
        max(limits.maxBodyBytes, WireLimits.maxHeaderBytes) + curveOverheadBytes
    }

    /// A CURVE MESSAGE command adds a 16-byte box tag, an 8-byte nonce and its own header to
    /// each frame; 64 bytes covers it with room to spare.
    static let curveOverheadBytes = 64

    /// Refuses settings the broker must not run with: a network endpoint without CURVE (and
    /// without `allowsInsecureNetwork`), or a limit outside its range. Runs before anything
    /// is bound.
    public func validate() throws(BrokerStartError) {
        if curve == nil, !allowsInsecureNetwork, !EndpointScope.isLocal(endpoint: endpoint) {
            throw BrokerStartError(
                .insecureEndpoint,
                "refusing to bind \(endpoint) without CURVE: anyone on the network could read every ticket "
                    + "and register as any worker. Give --secret-key and --authorized-keys, or --insecure on a trusted network.")
        }
        let problems = limits.problems()
        guard problems.isEmpty else { throw BrokerStartError(.limits, problems.joined(separator: "; ")) }
        guard maxMessageBytes > 0 else { throw BrokerStartError(.limits, "max-message-bytes must be positive") }
    }
}
