import ArgumentParser
import Foundation
import HelplineWeb
import HelplineWorker
import Logging

/// `helpline web [serve]`: a thin shell over ``WebServer``: flags in, URL out.
struct WebServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web console (the default of `helpline web`).",
        discussion: """
            Each person who logs in is one worker registration at the broker, under their \
            name, role, skills and capacity; all their tabs share it. Closing the last tab \
            ends it after --grace, and the broker re-offers their tickets.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The address to listen on; a non-loopback one needs TLS or --insecure.")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port; the URL printed says which).")
    var port = 8080

    @Option(help: ArgumentHelp("The users file (JSON lines; `helpline web user add` writes it).", valueName: "file"))
    var users = "data/users.jsonl"

    @Option(help: ArgumentHelp("When the users file does not exist, create this administrator with a generated password, printed once.", valueName: "name"))
    var firstAdmin: String?

    @Option(help: "Seconds a person's registration outlives their last tab (a reload or a network blip keeps everything).")
    var grace = 5.0

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM certificate chain: serve HTTPS.", valueName: "file"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key for --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Flag(help: "Allow a non-loopback address without TLS (passwords travel in clear text).")
    var insecure = false

    @Option(name: .customLong("origin"), help: ArgumentHelp("Another origin allowed to use the console (a reverse proxy's https://host); repeat.", valueName: "url"))
    var origins: [String] = []

    func validate() throws {
        guard (0.0...600.0).contains(grace) else { throw ValidationError("--grace must be 0–600 seconds") }
    }

    func run() async throws {
        let file = UserFile(path: users)
        if !file.exists, let firstAdmin {
            let password = PasswordGenerator.make()
            try file.add(
                name: firstAdmin, password: password, roles: ["hila", "supervisor"],
                skills: ["refunds", "billing", "accounts", "policy", "legal"], capacity: 3)
            print("Created administrator \(firstAdmin) in \(users). Password (shown once): \(password)")
        }
        guard file.exists else {
            throw ValidationError("no users file at \(users): add someone with `helpline web user add NAME --users \(users)`")
        }
        let people = try file.load()
        let settings = WebSettings(
            host: host, port: port, endpoint: connection.endpoint, grace: .milliseconds(Int64(grace * 1000)),
            tlsCertificate: tlsCertificate, tlsKey: tlsKey, insecure: insecure, extraOrigins: origins,
            workerOptions: HelplineWorker.Options(curve: try connection.keys.curve()))
        let server: WebServer
        do {
            // Hummingbird's own lines (server started, each request) are noise here: warnings only.
            var logger = Logger(label: "helpline-web")
            logger.logLevel = .warning
            server = try WebServer(settings: settings, users: people, logger: logger)
        } catch {
            throw ValidationError(error.description)
        }
        let count = people.count
        let endpoint = connection.endpoint
        try await server.run { url in
            print("helpline web: \(url) (\(count) user\(count == 1 ? "" : "s"); broker \(endpoint))")
            fflush(nil)  // all streams: `stdout` itself is not concurrency-safe to name in Swift 6
        }
    }
}
