import ArgumentParser
import HelplineBroker
import HelplineBrokerCore

/// `helpline broker`'s limit flags. Each defaults to its named constant (where its reason
/// is written: `BrokerLimits`, `BrokerConfiguration.Defaults`, `WireLimits`); a broker may
/// lower any, never raise one above the protocol's. Refusals are ERROR 413 or 429 to the
/// peer, counted in REPORT (`errors_413`, `errors_429`).
struct BrokerLimitOptions: ParsableArguments {
    @Option(name: .customLong("max-message-bytes"), help: "Largest frame a peer may send (ZMQ_MAXMSGSIZE); a larger one drops the connection. Default: max body + 64.")
    var maxMessageBytes: Int?

    @Option(name: .customLong("max-body-bytes"), help: "Largest ASK or ANSWER body.")
    var maxBodyBytes = BrokerLimits().maxBodyBytes

    @Option(name: .customLong("max-open-tickets-per-client"), help: "Open tickets per client connection; more is 429.")
    var maxOpenTicketsPerClient = BrokerConfiguration.Defaults.maxOpenTicketsPerClient

    @Option(name: .customLong("max-waiting-tickets"), help: "Open tickets in the whole broker; more is 429.")
    var maxWaitingTickets = BrokerConfiguration.Defaults.maxWaitingTickets

    @Option(name: .customLong("max-workers"), help: "Registered workers; a READY beyond is 429.")
    var maxWorkers = BrokerConfiguration.Defaults.maxWorkers

    @Option(
        name: .customLong("max-retained-tickets"),
        help: "Finished tickets kept for RESUME and repeated ASK; beyond it the oldest are forgotten first (RESUME then draws 404).")
    var maxRetainedTickets = BrokerConfiguration.Defaults.maxRetainedTickets

    @Option(name: .customLong("max-skills-per-ticket"), help: "Skills one ASK may name.")
    var maxSkillsPerTicket = BrokerLimits().maxSkillsPerTicket

    @Option(name: .customLong("max-skills-per-worker"), help: "Skills one READY may claim.")
    var maxSkillsPerWorker = BrokerLimits().maxSkillsPerWorker

    @Option(name: .customLong("max-id-bytes"), help: "Longest ticket id.")
    var maxTicketIDBytes = BrokerLimits().maxTicketIDBytes

    @Option(name: .customLong("max-name-bytes"), help: "Longest worker name.")
    var maxNameBytes = BrokerLimits().maxNameBytes

    @Option(name: .customLong("max-skill-bytes"), help: "Longest skill.")
    var maxSkillBytes = BrokerLimits().maxSkillBytes

    @Option(name: .customLong("max-text-bytes"), help: "Longest TRANSFER note or DECLINE reason.")
    var maxTextBytes = BrokerLimits().maxTextBytes

    /// The per-message limits.
    var limits: BrokerLimits {
        BrokerLimits(
            maxBodyBytes: maxBodyBytes, maxSkillsPerTicket: maxSkillsPerTicket, maxSkillsPerWorker: maxSkillsPerWorker,
            maxTicketIDBytes: maxTicketIDBytes, maxNameBytes: maxNameBytes, maxSkillBytes: maxSkillBytes,
            maxTextBytes: maxTextBytes)
    }

    /// Writes the count quotas into the core's configuration.
    func apply(to core: inout BrokerConfiguration) {
        core.maxOpenTicketsPerClient = maxOpenTicketsPerClient
        core.maxWaitingTickets = maxWaitingTickets
        core.maxWorkers = maxWorkers
        core.maxRetainedTickets = maxRetainedTickets
    }
}
