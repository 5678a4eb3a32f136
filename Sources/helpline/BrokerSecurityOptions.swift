import ArgumentParser
import HelplineBroker
import Logging
import ZeroMQ

/// `helpline broker`'s CURVE flags: with both files, the broker encrypts every connection
/// and admits only the keys listed; without them it binds only loopback, unless `--insecure`.
struct BrokerSecurityOptions: ParsableArguments {
    @Option(
        name: .customLong("secret-key"),
        help: "The broker's CURVE secret certificate (helpline keygen's NAME.key_secret). Turns CURVE on.")
    var secretKeyFile: String?

    @Option(
        name: .customLong("authorized-keys"),
        help: "Who may connect: lines of 'public-key name roles [skills]' (roles: client,hila,live,admin; skills: a,b or *). Read again on SIGHUP.")
    var authorizedKeysFile: String?

    @Flag(help: "Allow a non-loopback endpoint without CURVE: traffic in clear, any peer any role. Trusted networks only.")
    var insecure = false

    func validate() throws {
        if (secretKeyFile == nil) != (authorizedKeysFile == nil) {
            throw ValidationError("--secret-key and --authorized-keys go together: CURVE needs both")
        }
    }

    /// The CURVE settings, loaded from the files; nil without them.
    func curve(logger: Logger) throws -> CurveSecurity? {
        guard let secretKeyFile, let authorizedKeysFile else { return nil }
        if ZMQCurveCertificate.isReadableByOthers(path: secretKeyFile) {
            logger.warning("secret key readable by other users: chmod 600 it", metadata: ["file": "\(secretKeyFile)"])
        }
        return try CurveSecurity.load(secretKeyFile: secretKeyFile, authorizedKeysFile: authorizedKeysFile)
    }
}
