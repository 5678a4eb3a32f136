import HelplineWorker

/// How `helpline web` runs: where it listens, which broker it talks to, its users.
public struct WebSettings: Sendable {
    /// The address to listen on; loopback unless TLS (or `insecure`).
    public var host: String
    /// The port; 0 lets the system choose (the URL printed says which).
    public var port: Int
    /// The broker's endpoint.
    public var endpoint: String
    /// How long a person's registration outlives their last tab (a reload, a network blip).
    public var grace: Duration
    /// PEM certificate chain and private key: serve HTTPS (and a Secure cookie).
    public var tlsCertificate: String?
    /// See ``tlsCertificate``.
    public var tlsKey: String?
    /// Allow a non-loopback address without TLS (passwords and tickets in clear text).
    public var insecure: Bool
    /// Origins allowed besides the console's own (a reverse proxy's public address).
    public var extraOrigins: [String]
    /// The worker settings every person's registration uses (CURVE keys, reconnects).
    public var workerOptions: HelplineWorker.Options

    /// Settings with the defaults: loopback, a system-chosen port, a 5 s grace.
    public init(
        host: String = "127.0.0.1", port: Int = 0, endpoint: String, grace: Duration = .seconds(5),
        tlsCertificate: String? = nil, tlsKey: String? = nil, insecure: Bool = false, extraOrigins: [String] = [],
        workerOptions: HelplineWorker.Options = .init()
    ) {
        self.host = host
        self.port = port
        self.endpoint = endpoint
        self.grace = grace
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.insecure = insecure
        self.extraOrigins = extraOrigins
        self.workerOptions = workerOptions
    }

    /// Whether the console serves HTTPS.
    public var usesTLS: Bool { tlsCertificate != nil }

    /// Whether `host` reaches this machine only.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// Why these settings must not run, or nil: TLS needs both files; a non-loopback address
    /// needs TLS or `insecure` (the broker's rule for its own endpoint).
    public var problem: String? {
        if (tlsCertificate == nil) != (tlsKey == nil) { return "--tls-cert and --tls-key go together" }
        if !isLoopback, !usesTLS, !insecure {
            return "\(host) is not a loopback address: serve it with --tls-cert/--tls-key, or pass --insecure to send passwords in clear text"
        }
        if !(0...65535).contains(port) { return "--port must be 0–65535" }
        return nil
    }
}
