import ArgumentParser
import Foundation

/// `--endpoint`, shared by every subcommand that talks to a running broker.
struct ConnectionOptions: ParsableArguments {
    /// What `make run` binds; `HELPLINE_ENDPOINT` overrides it for a whole shell session.
    static let defaultEndpoint = ProcessInfo.processInfo.environment["HELPLINE_ENDPOINT"] ?? "tcp://127.0.0.1:5555"

    @Option(help: "The broker's endpoint; $HELPLINE_ENDPOINT sets the default.")
    var endpoint = ConnectionOptions.defaultEndpoint

    /// `--key` and `--server-key`, for a broker that requires CURVE.
    @OptionGroup var keys: PeerKeyOptions
}
