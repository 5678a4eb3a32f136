import Foundation
import HelplineTestSupport
import HelplineWire
import Testing
import ZeroMQ

/// What `helpline broker` refuses at start, and its limit flags at work.
@Suite(.serialized)
struct BrokerStartTests {
    let context: ZMQContext

    init() throws {
        context = try ZMQContext()
    }

    /// Runs `helpline broker` expecting it to exit at once; returns its status and stderr.
    private func runToExit(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = HelplineBinary.url
        process.arguments = ["broker"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func networkEndpointWithoutCurve_isRefusedBeforeBinding() throws {
        // Refused before anything is bound: nothing listens on the network, even briefly.
        let (status, stderr) = try runToExit(["--endpoint", "tcp://0.0.0.0:*"])
        #expect(status != 0)
        #expect(stderr.contains("refusing to bind tcp://0.0.0.0:* without CURVE"), "\(stderr)")
        #expect(!stderr.contains("listening"))
    }

    /// 1/HLP "Heartbeating": WELCOME's interval is always 250-30,000 ms, so a clamp flag
    /// outside that range would make the broker send WELCOMEs every console must refuse.
    @Test func heartbeatClampOutsideTheProtocolRange_isRefusedAtStart() throws {
        for arguments in [
            ["--heartbeat-min-ms", "100"], ["--heartbeat-max-ms", "60000"],
            ["--heartbeat-min-ms", "2000", "--heartbeat-max-ms", "1000"],
        ] {
            let (status, stderr) = try runToExit(arguments + ["--endpoint", "tcp://127.0.0.1:*", "--journal", "memory"])
            #expect(status != 0, "\(arguments)")
            #expect(stderr.contains(arguments[0]), "\(arguments): \(stderr)")
            #expect(!stderr.contains("listening"))
        }
    }

    @Test func curveWithHalfTheFiles_orAnUnreadableKeysFile_isRefused() throws {
        let keys = try CurveFixture()
        let (half, halfText) = try runToExit(["--secret-key", keys.path("broker.key_secret")])
        #expect(half != 0)
        #expect(halfText.contains("--authorized-keys"))
        try "\(keys.broker.publicKey) ops boss\n".write(toFile: keys.path("bad"), atomically: true, encoding: .utf8)
        let (bad, badText) = try runToExit(["--secret-key", keys.path("broker.key_secret"), "--authorized-keys", keys.path("bad")])
        #expect(bad != 0)
        #expect(badText.contains("bad:1: unknown role"), "\(badText)")
        let (publicOnly, publicText) = try runToExit(["--secret-key", keys.path("broker.key"), "--authorized-keys", keys.path("authorized_keys")])
        #expect(publicOnly != 0)
        #expect(publicText.contains("no secret key"), "\(publicText)")
    }

    @Test func limitFlags_refuseWith413And429_countedInReport_andNothingIsAccepted() throws {
        let broker = try BrokerProcess(arguments: ["--max-body-bytes", "1000", "--max-open-tickets-per-client", "2", "--max-skills-per-ticket", "1"])
        defer { broker.stop() }
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.ask(Ask(ticket: "big")), body: [UInt8](repeating: 7, count: 1_001))
        let (big, _) = try client.receiveReply()
        #expect(big == .error(ErrorReply(code: .tooLarge, text: "body is 1001 bytes; this broker takes at most 1000", ticket: "big", command: 1)))
        try client.send(.ask(Ask(ticket: "skills", skills: ["a", "b"])))
        let (skills, _) = try client.receiveReply()
        guard case .error(let skillsError) = skills else { Issue.record("expected ERROR, got \(skills)"); return }
        #expect(skillsError.code == .tooLarge)
        for id in ["a-1", "a-2"] {
            try client.send(.ask(Ask(ticket: id, role: .live)), body: [UInt8](repeating: 7, count: 1_000))
            var queued = false
            while !queued {
                let (reply, _) = try client.receiveReply()
                if case .queued = reply { queued = true }
            }
        }
        try client.send(.ask(Ask(ticket: "a-3")))
        let (third, _) = try client.receiveReply()
        guard case .error(let quota) = third else { Issue.record("expected ERROR, got \(third)"); return }
        #expect(quota.code == .tooMany)
        #expect(quota.ticket == "a-3")

        try client.send(.status)
        var report: Report?
        while report == nil {
            let (reply, _) = try client.receiveReply()
            if case .report(let r) = reply { report = r }
        }
        #expect(report?.counts["errors_413"] == 2)
        #expect(report?.counts["errors_429"] == 1)
        #expect(report?.counts["asked"] == 2)
    }

    @Test func statusWithoutCurve_fromLoopback_isReported() throws {
        let broker = try BrokerProcess()
        defer { broker.stop() }
        let client = try RawPeer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.status)
        let (reply, _) = try client.receiveReply()
        guard case .report = reply else { Issue.record("expected REPORT, got \(reply)"); return }
    }
}
