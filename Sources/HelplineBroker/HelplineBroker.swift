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

    let settings: BrokerSettings
    let logger: Logger
    let router: ZMQSocket
    let monitor: ZMQMonitor
    var core: HelplineBrokerCore<ZMQFrame>
    var connections = ConnectionTable()
    /// Worker connections by the fd their TCP connection arrived on, so a socket-monitor
    /// DISCONNECTED event (which names only the fd) can tell the core at once.
    var workerByFileDescriptor: [Int32: ConnectionID] = [:]
    var fileDescriptorOfWorker: [ConnectionID: Int32] = [:]
    let inbound: ZMQMultipart
    let decoder = HeaderDecoder()
    let encoder = HeaderEncoder()
    private let context: ZMQContext
    private let poller: ZMQPoller

    /// Binds the endpoint; nothing runs until `run()`.
    public init(settings: BrokerSettings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        context = try ZMQContext()
        router = try ZMQSocket(context: context, type: .router)
        try router.setOption(ZMQ_MAXMSGSIZE, Int64(settings.maxMessageBytes))
        try router.bind(settings.endpoint)
        endpoint = try router.lastEndpoint
        monitor = try router.startMonitor(events: [.accepted, .disconnected])
        stopSignal = try BrokerStopSignal()
        // Identity + signature + command + header + body, and one more so an extra frame is
        // seen (and rejected) rather than silently dropped.
        inbound = ZMQMultipart(capacity: 6)
        poller = ZMQPoller()
        poller.add(socket: router)
        poller.add(socket: monitor.socket)
        poller.add(fileDescriptor: stopSignal.wakeUp.fileDescriptor)
        core = HelplineBrokerCore(configuration: settings.core, now: MonotonicClock.now())
    }

    /// Runs the loop on the calling thread until `stopSignal.stop()`.
    public func run() throws {
        logger.info("broker listening", metadata: ["endpoint": "\(endpoint)"])
        while !stopSignal.isRequested {
            let now = MonotonicClock.now()
            let timeout = core.nextTimer.map { max(0, Int($0.milliseconds - now.milliseconds)) } ?? -1
            _ = try poller.poll(timeoutMilliseconds: timeout)
            if poller.isReadable(2) { stopSignal.wakeUp.drain() }
            let awake = MonotonicClock.now()
            if poller.isReadable(0) { try drainRouter(now: awake) }
            if poller.isReadable(1) { drainMonitor(now: awake) }
            core.tick(now: awake)
            flushActions()
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
        while let event = monitor.receiveEvent(dontWait: true) {
            switch event.kind {
            case .disconnected:
                if let connection = workerByFileDescriptor.removeValue(forKey: event.value) {
                    fileDescriptorOfWorker[connection] = nil
                    logger.info("worker connection dropped", metadata: ["fd": "\(event.value)"])
                    core.connectionClosed(connection, now: now)
                }
            case .accepted:
                // The fd is new again: any mapping left from a connection that used it is stale.
                if let stale = workerByFileDescriptor.removeValue(forKey: event.value) {
                    fileDescriptorOfWorker[stale] = nil
                }
            default:
                break
            }
        }
    }
}
