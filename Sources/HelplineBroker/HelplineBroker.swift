import HelplineBrokerCore
import HelplineWire
import Logging
import ZeroMQ

/// The broker loop: one thread owns the ROUTER socket and the routing core.
///
/// Each wake-up drains every readable message (up to a cap), feeds the core, fires due
/// timers, then performs the core's actions. Ticket and answer bodies travel as the
/// `ZMQFrame`s they arrived in: never decoded, never copied.
public final class HelplineBroker {
    /// The endpoint actually bound (an ephemeral port resolved).
    public let endpoint: String
    /// Stops `run()` from any thread.
    public let stopSignal: BrokerStopSignal
    /// Makes `run()` read the authorized-keys file again, from any thread.
    public let reloadSignal: BrokerReloadSignal
    /// How many peers the broker can take, after raising its open-file limit.
    public let peerCapacity: PeerCapacity

    let settings: BrokerSettings
    let logger: Logger
    /// Whether `logger` writes debug lines, read once: the per-message lines are debug, and
    /// asking the log handler for its level on every message costs more than the rest of
    /// the logging decision.
    let logsDebug: Bool
    let router: ZMQSocket
    let monitor: ZMQMonitor
    var core: HelplineBrokerCore<ZMQFrame>
    /// The journal, when the settings name one (see `BrokerJournal`).
    var journal: BrokerJournal?
    /// A class held by `let`: every message reads it (twice), and a `var` of the broker's
    /// would be checked for exclusive access at run time each time.
    let connections = ConnectionTable()
    /// Which worker a socket-monitor DISCONNECTED event is about.
    var disconnects = DisconnectTracker()
    /// With CURVE: the public key each worker's READY came with, so a reload can revoke
    /// the consoles whose key no longer grants what they registered as.
    var workerKeys: [ConnectionID: String] = [:]
    let inbound: ZMQMultipart
    /// The frames of `inbound` after the identity, as buffers for `WireEnvelope`;
    /// allocated once so validating a message allocates nothing.
    let frameViews: UnsafeMutableBufferPointer<UnsafeRawBufferPointer>
    /// Keeps the ERROR lines a flood of bad messages would cause to a few a second.
    var refusalLog = LogThrottle()
    let decoder = HeaderDecoder()
    let encoder = HeaderEncoder()
    /// Answers CURVE handshakes (nil without CURVE); see `HelplineBroker+Security`.
    let zap: ZAPHandler?
    /// Without CURVE: every peer is on this machine, so any may send STATUS.
    let endpointIsLocal: Bool
    private let context: ZMQContext
    private let poller: ZMQPoller
    /// The poller's index of `reloadSignal`'s eventfd.
    private let reloadItem: Int

    /// Identity + signature + command + header + body, and one more so that an extra
    /// frame is seen (and rejected) rather than silently dropped.
    static let inboundFrameCapacity = 6
    /// Connections the kernel queues before the broker accepts them (capped by
    /// net.core.somaxconn, 4,096 on current kernels).
    static let listenBacklog: Int32 = 4_096
        /// libzmq's receive batch (ZMQ_IN_BATCH_SIZE, 8 KiB by default): frames smaller than this
    /// may be slices of a shared batch buffer (see `keepBody`).
    static let receiveBatchBytes = 8192

    /// Binds the endpoint; nothing runs until `run()`. Throws `BrokerStartError` before
    /// binding anything when the settings are unsafe (see `BrokerSettings.validate`).
    public init(settings: BrokerSettings, logger: Logger) throws {
        try settings.validate()
        self.settings = settings
        self.logger = logger
        logsDebug = logger.logLevel <= .debug
        endpointIsLocal = EndpointScope.isLocal(endpoint: settings.endpoint)
        // Before the first socket: every peer holds a descriptor.
        peerCapacity = PeerCapacity.raise()
        context = try ZMQContext()
        router = try ZMQSocket(context: context, type: .router)
        try router.setOption(.maxMessageSize, Int64(settings.maxMessageBytes))
        // A floor's consoles connect together (a broker restart, a network blip): beyond
        // libzmq's listen backlog of 100 the kernel drops their SYNs, and TCP retries them
        // after 1, 3, 7, 15… s, so the last console is welcomed minutes late.
        try router.setOption(.backlog, Self.listenBacklog)
        zap = try Self.secure(router, settings: settings, logger: logger)
        try router.bind(settings.endpoint)
        endpoint = try router.lastEndpoint
        monitor = try router.startMonitor(events: [.accepted, .disconnected])
        stopSignal = try BrokerStopSignal()
        reloadSignal = try BrokerReloadSignal()
        inbound = ZMQMultipart(capacity: Self.inboundFrameCapacity)
        frameViews = .allocate(capacity: Self.inboundFrameCapacity)
        // The ZAP socket, when there is one, is item 3 (see `run`); the reload eventfd last.
        poller = ZMQPoller(
            [.socket(router), .socket(monitor.socket), .fileDescriptor(stopSignal.wakeUp.fileDescriptor)]
                + (zap.map { [.socket($0.socket)] } ?? []) + [.fileDescriptor(reloadSignal.wakeUp.fileDescriptor)])
        reloadItem = zap == nil ? 3 : 4
        core = HelplineBrokerCore(configuration: settings.effectiveCoreConfiguration, now: Timestamp.monotonicNow())
        if let journalSettings = settings.journal {
            let journal = try BrokerJournal(settings: journalSettings, retryMilliseconds: settings.core.journalRetryMilliseconds, logger: logger)
            try journal.restore(into: &core)
            self.journal = journal
        }
    }

    deinit {
        frameViews.deallocate()
    }

    /// Runs the loop on the calling thread until `stopSignal.stop()`.
    public func run() throws {
        logger.info(
            "broker listening",
            metadata: [
                "endpoint": "\(endpoint)", "peers": "\(peerCapacity.peers)", "open_file_limit": "\(peerCapacity.limit.soft)",
            ])
        flushActions(now: Timestamp.monotonicNow())  // what restoring the journal produced
        while !stopSignal.isRequested {
            let now = Timestamp.monotonicNow()
            var wake = core.nextTimer
            if let retry = journal?.retryDue { wake = min(wake ?? retry, retry) }
            let timeout = wake.map { max(0, Int($0.milliseconds - now.milliseconds)) } ?? -1
            _ = try poller.poll(timeoutMilliseconds: timeout)
            if poller.isReadable(2) { stopSignal.wakeUp.drain() }
            if poller.isReadable(reloadItem) {
                reloadSignal.wakeUp.drain()
                if reloadSignal.take() { reloadKeys(now: now) }
            }
            let awake = Timestamp.monotonicNow()
            // Transport events first: they are older than the messages read after them.
            if poller.isReadable(1) { drainMonitor(now: awake) }
            // Handshakes wait on ZAP: answer them before the messages.
            if zap != nil, poller.isReadable(3) { answerHandshakes() }
            if poller.isReadable(0) { try drainRouter(now: awake) }
            core.tick(now: awake)
            journal?.retryIfDue(core: &core, now: awake)
            flushActions(now: awake)
        }
        logger.info("broker stopped")
    }

    private func drainRouter(now: Timestamp) throws {
        var handled = 0
        while handled < settings.maxMessagesPerWakeUp, try router.receive(into: inbound, dontWait: true) {
            handleInbound(now: now)
            handled += 1
        }
    }

    private func drainMonitor(now: Timestamp) {
        while let event = try? monitor.receiveEvent(dontWait: true) {
            guard let fd = event.fileDescriptor else { continue }
            logger.trace("transport event", metadata: ["kind": "\(event.kind)", "fd": "\(fd)"])
            switch event.kind {
            case .accepted:
                disconnects.accepted(fd: fd)
            case .disconnected:
                if let connection = disconnects.disconnected(fd: fd) {
                    logger.info("worker connection dropped", metadata: ["fd": "\(fd)"])
                    core.connectionClosed(connection, now: now)
                }
            default:
                break
            }
        }
    }
}
