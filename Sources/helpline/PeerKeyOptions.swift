import ArgumentParser
import HelplineClient
import HelplineWorker

/// CURVE flags for the tools that connect to a broker as a client or a console
/// (`helpline ask`, `work`, `status`, `console`): this peer's secret certificate and the
/// broker's public one. Both or neither.
struct PeerKeyOptions: ParsableArguments {
    @Option(name: .customLong("key"), help: "This peer's CURVE secret certificate (helpline keygen's NAME.key_secret).")
    var secretKeyFile: String?

    @Option(name: .customLong("server-key"), help: "The broker's CURVE public certificate (BROKER.key) or its bare Z85 key.")
    var serverKeyFile: String?

    func validate() throws {
        if (secretKeyFile == nil) != (serverKeyFile == nil) {
            throw ValidationError("--key and --server-key go together: CURVE needs both")
        }
    }

    /// CURVE settings for `HelplineClient`; nil without the flags.
    func clientCurve() throws -> HelplineClient.Options.Curve? {
        guard let secretKeyFile, let serverKeyFile else { return nil }
        return try HelplineClient.Options.Curve(secretKeyFile: secretKeyFile, serverKeyFile: serverKeyFile)
    }

    /// CURVE settings for `HelplineWorker`; nil without the flags.
    func workerCurve() throws -> HelplineWorker.Options.Curve? {
        guard let secretKeyFile, let serverKeyFile else { return nil }
        return try HelplineWorker.Options.Curve(secretKeyFile: secretKeyFile, serverKeyFile: serverKeyFile)
    }
}
