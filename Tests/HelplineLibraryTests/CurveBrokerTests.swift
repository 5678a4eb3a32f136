import Foundation
import HelplineClient
import HelplineTestSupport
import HelplineWire
import HelplineWorker
import Testing
import ZeroMQ

/// The libraries against a real CURVE broker, with every key loaded from the files
/// `helpline keygen` writes: what `helpline ask`, `work` and `status` do with `--key`.
@Suite(
    "HelplineClient ⇄ CURVE broker ⇄ HelplineWorker", .serialized, .timeLimit(.minutes(1)),
    .enabled(if: HelplineBinary.url != nil, "needs the helpline binary"))
struct CurveBrokerTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("helpline-lib-curve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lines: [String] = []
        for (name, grant) in [("broker", ""), ("agent", "client,admin"), ("ana", "hila refunds"), ("eve", "client")] {
            let certificate = try ZMQCurveCertificate.generate()
            try certificate.save(basePath: path(name))
            if !grant.isEmpty { lines.append("\(certificate.publicKey) \(name) \(grant)") }
        }
        try lines.joined(separator: "\n").write(toFile: path("authorized_keys"), atomically: true, encoding: .utf8)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func startBroker() throws -> BrokerProcess {
        try BrokerProcess(arguments: [
            "--secret-key", path("broker.key_secret"), "--authorized-keys", path("authorized_keys"),
        ])
    }

    private func clientOptions(_ name: String) throws -> HelplineClient.Options {
        var options = fastClientOptions()
        options.curve = try HelplineClient.Options.Curve(secretKeyFile: path("\(name).key_secret"), serverKeyFile: path("broker.key"))
        return options
    }

    @Test func keysFromFiles_encryptedTicketIsAnswered_andAdminStatusWorks() async throws {
        let broker = try startBroker()
        defer {
            broker.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        var workerOptions = fastWorkerOptions()
        workerOptions.curve = try HelplineWorker.Options.Curve(secretKeyFile: path("ana.key_secret"), serverKeyFile: path("broker.key"))
        let worker = try HelplineWorker(
            endpoint: broker.endpoint,
            registration: WorkerRegistration(name: "ana", role: .hila, skills: ["refunds"], heartbeat: .milliseconds(250)),
            options: workerOptions)
        let serving = Task { await worker.serve { _ in .answer(.approve, body: AnswerBody(text: "ok").encoded()) } }
        defer {
            worker.close()
            serving.cancel()
        }
        #expect(await firstEvent(worker.events) { if case .registered = $0 { true } else { false } } != nil)

        let client = try HelplineClient(endpoint: broker.endpoint, options: try clientOptions("agent"))
        defer { client.close() }
        guard case .answered(let answer) = try await client.ask(TicketRequest(skills: ["refunds"], deadline: .seconds(20))) else {
            Issue.record("expected an answer")
            return
        }
        #expect(answer.worker == "ana")
        #expect(answer.text == "ok")
        let report = try await client.status()
        #expect(report.workers.map(\.name) == ["ana"])
    }

    @Test func clientKeyWithoutAdmin_statusIsRefused401() async throws {
        let broker = try startBroker()
        defer {
            broker.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        let client = try HelplineClient(endpoint: broker.endpoint, options: try clientOptions("eve"))
        defer { client.close() }
        do {
            _ = try await client.status()
            Issue.record("a client key without admin must not read REPORT")
        } catch {
            #expect(error.kind == .refused)
            #expect(error.reply?.code == .unauthorized)
        }
    }

    @Test func secretKeyFileThatHoldsOnlyAPublicKey_isRefusedWhenLoading() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: ZMQCertificateError.self) {
            _ = try HelplineClient.Options.Curve(secretKeyFile: path("agent.key"), serverKeyFile: path("broker.key"))
        }
    }
}
