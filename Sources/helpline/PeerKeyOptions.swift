import ArgumentParser
import HelplinePeer

/// CURVE flags for the tools that connect to a broker as a client or a console
/// (`helpline ask`, `work`, `status`, `console`, through `ConnectionOptions`): this peer's
/// secret certificate and the broker's public one. Both or neither.
struct PeerKeyOptions: ParsableArguments {
    @Option(name: .customLong("key"), help: ArgumentHelp("This peer's CURVE secret certificate (helpline keygen's NAME.key_secret).", valueName: "file"))
    var secretKeyFile: String?

    @Option(name: .customLong("server-key"), help: ArgumentHelp("The broker's CURVE public certificate (BROKER.key) or its bare Z85 key.", valueName: "file"))
    var serverKeyFile: String?

    func validate() throws {
        if (secretKeyFile == nil) != (serverKeyFile == nil) {
            throw ValidationError("--key and --server-key go together: CURVE needs both")
        }
    }

    /// The keys for `HelplineClient.Options.curve` or `HelplineWorker.Options.curve`; nil
    /// without the flags. A file that cannot be used is a usage error.
    func curve() throws -> CurveKeys? {
        guard let secretKeyFile, let serverKeyFile else { return nil }
        do {
            return try CurveKeys(secretKeyFile: secretKeyFile, serverKeyFile: serverKeyFile)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
