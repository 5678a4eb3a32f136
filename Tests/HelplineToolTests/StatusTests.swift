import Foundation
import HelplineTestSupport
import Testing

@testable import helpline

/// `helpline status` against a real broker with a worker and a waiting ticket.
@Suite("helpline status", .serialized)
struct StatusTests {
    /// A worker whose command never finishes, so it holds the first ticket; a second one
    /// waits in its queue.
    private func busyDesk() async throws -> (Desk, ToolProcess, ToolProcess) {
        let desk = try Desk()
        try await desk.work(name: "ana", skills: ["refunds", "billing"], capacity: 1, exec: "sleep 30")
        let first = try ToolProcess(["ask", "--endpoint", desk.endpoint, "--skill", "refunds", "first"])
        let second = try ToolProcess(["ask", "--endpoint", desk.endpoint, "--skill", "refunds", "second"])
        // Until the broker has both: one held by ana, one waiting.
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let result = try await ToolProcess.run(["status", "--endpoint", desk.endpoint, "--json"])
            let counts = (try? JSONParser.parse(result.output))?["counts"]
            if counts?["waiting"] == .int(1), counts?["accepted"] == .int(1) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return (desk, first, second)
    }

    @Test func table_showsTheQueueTheWorkerWithItsLoadAndTheCounts() async throws {
        let (desk, first, second) = try await busyDesk()
        defer { [first, second].forEach { $0.stop() } }
        let result = try await ToolProcess.run(["status", "--endpoint", desk.endpoint])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Helpline broker \(desk.endpoint) · up") == true)
        #expect(lines.contains { $0.contains(#/^  hila  refunds +1  \d.* m?s$/#) }, "the queue")
        #expect(lines.contains { $0.contains(#/^  ana +hila  1/1   ■ +active    billing, refunds$/#) }, "the worker")
        #expect(result.output.contains(#/waiting +1 /#))
        #expect(result.output.contains(#/accepted +1 /#))
        #expect(result.output.contains(#/workers +1 /#))
    }

    @Test func json_holdsTheSameReportForMachines() async throws {
        let (desk, first, second) = try await busyDesk()
        defer { [first, second].forEach { $0.stop() } }
        let result = try await ToolProcess.run(["status", "--endpoint", desk.endpoint, "--json"])
        #expect(result.status == 0)
        let report = try JSONParser.parse(result.output)
        #expect(report["counts"]?["waiting"] == .int(1))
        #expect(report["queues"] == .array([.object([
            ("role", .string("hila")), ("skills", .array([.string("refunds")])), ("waiting", .int(1)),
            ("oldest_ms", report["queues"].flatMap { if case .array(let queues) = $0 { queues.first?["oldest_ms"] } else { nil } } ?? .null),
        ])]))
        #expect(report["workers"] == .array([.object([
            ("name", .string("ana")), ("role", .string("hila")), ("skills", .array([.string("billing"), .string("refunds")])),
            ("load", .int(1)), ("capacity", .int(1)), ("presence", .string("active")),
        ])]))
    }

    @Test func noBroker_saysSoAndExitsOne() async throws {
        let result = try await ToolProcess.run(["status", "--endpoint", "tcp://127.0.0.1:1", "--timeout", "0.3"])
        #expect(result.status == 1)
        #expect(result.errors.contains("no answer from a broker at tcp://127.0.0.1:1"))
    }
}
