import ArgumentParser
import Dispatch
import HelplineBroker
import HelplineBrokerCore
import HelplineJournal
import HelplineWire
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `helpline broker`: run the broker in the foreground until SIGINT or SIGTERM.
struct BrokerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run the Helpline broker.",
        discussion: """
            Binds one ZeroMQ ROUTER socket that agent clients (HLPC01) and human consoles \
            (HLPW01) connect to. Timing flags default to the values in proto-spec/1-HLP.md.
            """)

    @Option(help: "ZeroMQ endpoint to bind (tcp://host:port, ipc://path; port * = ephemeral).")
    var endpoint = "tcp://127.0.0.1:5555"

    @Option(name: .customLong("heartbeat-min-ms"), help: "Shortest heartbeat interval a worker may propose; shorter ones are raised to it.")
    var minimumHeartbeatMilliseconds = BrokerConfiguration().minimumHeartbeatMilliseconds

    @Option(name: .customLong("heartbeat-max-ms"), help: "Longest heartbeat interval a worker may propose; longer ones are lowered to it.")
    var maximumHeartbeatMilliseconds = BrokerConfiguration().maximumHeartbeatMilliseconds

    @Option(help: "Heartbeats a worker may miss before it is declared dead.")
    var liveness = BrokerConfiguration().liveness

    @Option(name: .customLong("accept-timeout-ms"), help: "How long an offered ticket waits for ACCEPT before it is revoked and the worker set away.")
    var acceptTimeoutMilliseconds = BrokerConfiguration().acceptTimeoutMilliseconds

    @Option(name: .customLong("retention-ms"), help: "How long finished tickets stay available to RESUME and repeated ASK.")
    var retentionMilliseconds = BrokerConfiguration().retentionMilliseconds

    @Option(help: "The journal that keeps tickets across restarts: an SQLite file (its directory is created), a PostgreSQL URI (postgresql://...), or 'memory' for none.")
    var journal = JournalSettings.defaultPath

    @Option(help: "normal: survives a broker crash or kill; full: also a power cut or OS crash (one fsync per wake-up).")
    var sync: JournalSync = .normal

    @Option(name: .customLong("journal-max-mb"), help: "Cap on the journal's size; when full, new tickets are refused with 503.")
    var journalMaxMegabytes: Int?

    @Option(name: .customLong("restore-grace-ms"), help: "After a restart, how long tickets a console held wait for it to re-register (default liveness × heartbeat).")
    var restoreGraceMilliseconds: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @OptionGroup(title: "Security")
    var security: BrokerSecurityOptions

    @OptionGroup(title: "Limits")
    var limits: BrokerLimitOptions

    /// The clamp range must lie inside the one 1/HLP states for WELCOME `heartbeat`: a
    /// conforming console refuses a WELCOME outside it and could never register.
    func validate() throws {
        let allowed = WireLimits.negotiatedHeartbeatRangeMilliseconds
        for (flag, value) in [("--heartbeat-min-ms", minimumHeartbeatMilliseconds), ("--heartbeat-max-ms", maximumHeartbeatMilliseconds)]
        where !allowed.contains(value) {
            throw ValidationError(
                "\(flag) \(value) is outside \(allowed.lowerBound)...\(allowed.upperBound) ms, the range 1/HLP gives WELCOME's heartbeat")
        }
        guard minimumHeartbeatMilliseconds <= maximumHeartbeatMilliseconds else {
            throw ValidationError("--heartbeat-min-ms \(minimumHeartbeatMilliseconds) is above --heartbeat-max-ms \(maximumHeartbeatMilliseconds)")
        }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var core = BrokerConfiguration()
        core.minimumHeartbeatMilliseconds = minimumHeartbeatMilliseconds
        core.maximumHeartbeatMilliseconds = maximumHeartbeatMilliseconds
        core.liveness = liveness
        core.acceptTimeoutMilliseconds = acceptTimeoutMilliseconds
        core.retentionMilliseconds = retentionMilliseconds
        core.restoreGraceMilliseconds = restoreGraceMilliseconds
        limits.apply(to: &core)
        let logger = Logger(label: "helpline.broker")
        let journalSettings = journal == "memory"
            ? nil : JournalSettings(path: journal, sync: sync, maxBytes: journalMaxMegabytes.map { Int64($0) << 20 })
        let settings = BrokerSettings(
            endpoint: endpoint, core: core, journal: journalSettings, maxMessageBytes: limits.maxMessageBytes,
            curve: try security.curve(logger: logger), allowsInsecureNetwork: security.insecure, limits: limits.limits)
        let broker = try HelplineBroker(settings: settings, logger: logger)
        let stop = broker.stopSignal
        let reload = broker.reloadSignal
        // SIGINT and SIGTERM stop the broker; SIGHUP re-reads the authorized-keys file.
        let sources = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { number == SIGHUP ? reload.reload() : stop.stop() }
            source.resume()
            return source
        }
        // Tools and tests that start the broker read this line to learn the bound endpoint.
        print("helpline broker listening on \(broker.endpoint)")
        print(broker.peerCapacity.summary)
        fflush(nil)  // all streams: `stdout` itself is not concurrency-safe to name in Swift 6
        try broker.run()
        sources.forEach { $0.cancel() }
    }
}

extension JournalSync: ExpressibleByArgument {}
