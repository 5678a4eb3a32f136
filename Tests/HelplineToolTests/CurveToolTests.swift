import Foundation
import HelplineTestSupport
import Testing

@testable import helpline

/// The tools with CURVE, keys made by `helpline keygen` itself: a broker with an
/// authorized-keys file, `helpline work` and `ask` with their key files, `status` with an
/// admin key and without one.
@Suite("helpline with CURVE keys", .serialized)
struct CurveToolTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("helpline-tool-curve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    /// `helpline keygen`; returns the authorized-keys line it printed, if asked for one.
    private func keygen(_ name: String, _ grant: [String] = []) async throws -> String? {
        let result = try await ToolProcess.run(["keygen", name, "--directory", directory.path] + grant)
        #expect(result.status == 0, "keygen \(name): \(result.errors)")
        let lines = result.output.split(separator: "\n").map(String.init)
        return lines.firstIndex(of: "authorized-keys line:").map { lines[$0 + 1] }
    }

    private func keys(_ name: String) -> [String] {
        ["--key", path("\(name).key_secret"), "--server-key", path("broker.key")]
    }

    @Test func keygenKeys_workAskAndStatusReachACurveBroker_andOnlyAdminReadsStatus() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await keygen("broker")
        var lines: [String] = []
        for (name, grant) in [("ana", ["--roles", "hila", "--skills", "refunds"]), ("agent", ["--roles", "client,admin"]), ("eve", ["--roles", "client"])] {
            lines.append(try #require(try await keygen(name, grant)))
        }
        try lines.joined(separator: "\n").write(toFile: path("authorized_keys"), atomically: true, encoding: .utf8)
        let broker = try BrokerProcess(arguments: ["--secret-key", path("broker.key_secret"), "--authorized-keys", path("authorized_keys")])
        defer { broker.stop() }

        let work = try ToolProcess(
            ["work", "--endpoint", broker.endpoint, "--name", "ana", "--skill", "refunds", "--exec", #"cat >/dev/null; echo '{"decision":"approve"}'"#]
                + keys("ana"))
        defer { work.stop() }
        #expect(await work.waitFor("ana: registered"), "ana did not register: \(work.errorOutput)")

        let ask = try await ToolProcess.run(["ask", "--endpoint", broker.endpoint, "--skill", "refunds", "Refund $40?"] + keys("agent"))
        #expect(ask.status == 0, "\(ask.errors)")
        let answer = try JSONParser.parse(ask.output)
        #expect(answer["outcome"] == .string("answered"))
        #expect(answer["worker"] == .string("ana"))

        let admin = try await ToolProcess.run(["status", "--endpoint", broker.endpoint, "--json"] + keys("agent"))
        #expect(admin.status == 0, "\(admin.errors)")
        #expect(admin.output.contains("\"ana\""))
        let client = try await ToolProcess.run(["status", "--endpoint", broker.endpoint] + keys("eve"))
        #expect(client.status != 0)
        #expect(client.errors.contains("401"), "\(client.errors)")
        let keyless = try await ToolProcess.run(["status", "--endpoint", broker.endpoint, "--timeout", "1"])
        #expect(keyless.status != 0, "a peer without keys must not get in")

        // A client key cannot register a console: `work` stops, and says so in its status.
        let intruder = try await ToolProcess.run(
            ["work", "--endpoint", broker.endpoint, "--name", "eve", "--exec", "cat >/dev/null"] + keys("eve"))
        #expect(intruder.status == WorkCommand.refusedExitStatus, "\(intruder.errors)")
        #expect(intruder.errors.contains("401"), "\(intruder.errors)")
    }

    @Test func keyWithoutServerKey_orAPublicKeyAsOwnKey_isAUsageError() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await keygen("broker")
        let half = try await ToolProcess.run(["status", "--key", path("broker.key_secret")])
        #expect(half.status != 0)
        #expect(half.errors.contains("--server-key"), "\(half.errors)")
        let publicOnly = try await ToolProcess.run(["status", "--key", path("broker.key"), "--server-key", path("broker.key")])
        #expect(publicOnly.status != 0)
        #expect(publicOnly.errors.contains("no secret key"), "\(publicOnly.errors)")
    }

    @Test func keygen_refusesToOverwrite_andAnUnknownRoleWritesNothing() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await keygen("ana")
        let again = try await ToolProcess.run(["keygen", "ana", "--directory", directory.path])
        #expect(again.status != 0)
        #expect(again.errors.contains("File exists"), "\(again.errors)")
        let boss = try await ToolProcess.run(["keygen", "bo", "--directory", directory.path, "--roles", "boss"])
        #expect(boss.status != 0)
        #expect(!FileManager.default.fileExists(atPath: path("bo.key")))
    }
}
