import ArgumentParser
import HelplineBroker
import ZeroMQ

/// `helpline keygen NAME`: a new CURVE key pair, as `NAME.key` (public) and `NAME.key_secret`
/// (secret, mode 0600), in the certificate format CZMQ and pyzmq read.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a CURVE key pair (Z85) for a broker, client or console.",
        discussion: """
            Writes NAME.key (the public certificate: give it to the broker's operator, or, for \
            the broker's own key, to every peer) and NAME.key_secret (keep it: mode 0600). Prints \
            the public key, and with --roles the line to add to the broker's authorized-keys file.
            """)

    @Argument(help: "The key's name: the worker name a console registers under, or any label.")
    var name: String

    @Option(name: .customLong("directory"), help: "Where to write the two files.")
    var directory = "."

    @Option(help: "Roles for the printed authorized-keys line: client, hila, live, admin (comma-separated).")
    var roles: String?

    @Option(help: "Skills for the printed authorized-keys line (comma-separated, or *).")
    var skills: String?

    @Flag(help: "Replace existing files.")
    var force = false

    func validate() throws {
        guard !name.isEmpty, !name.contains("/"), !name.contains(where: \.isWhitespace) else {
            throw ValidationError("NAME must be non-empty, without '/' or spaces (it names the files and the key)")
        }
    }

    func run() throws {
        let certificate = try ZMQCurveCertificate.generate()
        var line: [String]?
        if let roles {
            line = [certificate.publicKey, name, roles] + (skills.map { [$0] } ?? [])
            // Checked as the broker will read it, before any file is written: a typo in a role
            // shows now, not at the broker's start.
            do throws(AuthorizedKeysError) {
                _ = try AuthorizedKeys(parsing: line!.joined(separator: " "))
            } catch {
                throw ValidationError(error.reason)
            }
        }
        let base = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        try certificate.save(basePath: base, overwrite: force)
        print("wrote \(base).key and \(base).key_secret")
        print("public key: \(certificate.publicKey)")
        if let line {
            print("authorized-keys line:")
            print(line.joined(separator: "  "))
        }
    }
}
