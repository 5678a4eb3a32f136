import Foundation
import ZeroMQ

/// Keys for a CURVE broker in a fresh temp dir: the broker's pair, an authorized-keys file,
/// and a pair for each test persona. Removed when the fixture goes away.
final class CurveFixture {
    /// Who is in the authorized-keys file, with what (name roles [skills]).
    static let listed: [(name: String, grant: String)] = [
        ("ana", "hila refunds,billing"),
        ("bo", "live *"),
        ("agent", "client"),
        ("ops", "admin,client"),
        ("mallory", "client"),
    ]

    let directory: URL
    let broker: ZMQCurveCertificate
    private(set) var certificates: [String: ZMQCurveCertificate] = [:]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("helpline-curve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        broker = try ZMQCurveCertificate.generate()
        try broker.save(basePath: path("broker"))
        var lines = ["# test keys: name roles [skills]"]
        for (name, grant) in Self.listed {
            let certificate = try ZMQCurveCertificate.generate()
            try certificate.save(basePath: path(name))
            certificates[name] = certificate
            lines.append("\(certificate.publicKey)  \(name)  \(grant)")
        }
        // A valid key the broker has never heard of.
        let stranger = try ZMQCurveCertificate.generate()
        try stranger.save(basePath: path("stranger"))
        certificates["stranger"] = stranger
        try (lines.joined(separator: "\n") + "\n").write(toFile: path("authorized_keys"), atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    /// `helpline broker` flags that turn CURVE on with these keys.
    var brokerArguments: [String] {
        ["--secret-key", path("broker.key_secret"), "--authorized-keys", path("authorized_keys")]
    }

    /// The keys a raw peer using `name`'s pair needs.
    func curve(for name: String) -> PeerCurve {
        let certificate = certificates[name]!
        return PeerCurve(serverKey: broker.publicKey, publicKey: certificate.publicKey, secretKey: certificate.secretKey!)
    }
}
