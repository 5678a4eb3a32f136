import Foundation
import HelplineTestSupport
import Testing

@testable import helpline

/// A worker process killed while it holds a ticket: the broker notices the dropped
/// connection and another worker answers the ticket; the client sees one outcome.
@Suite("worker process crash", .serialized)
struct WorkerCrashTests {
    @Test func workerProcessKilledHoldingATicket_anotherWorkerAnswersIt() async throws {
        let desk = try Desk()
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("helpline-held-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        // The command records its process group (it leads one) and then holds the ticket.
        let doomed = try await desk.work(
            name: "doomed", skills: ["refunds"], exec: "cat >/dev/null; echo $$ > \(marker.path); sleep 30")
        let asking = try ToolProcess(["ask", "--endpoint", desk.endpoint, "--skill", "refunds", "Refund $40?"])
        defer { asking.stop() }

        let deadline = ContinuousClock.now + .seconds(20)
        while !FileManager.default.fileExists(atPath: marker.path), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let holder = try #require(
            Int32(String(contentsOf: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Another capable HILA must be there when the holder dies; with none, the ticket
        // would go to live agents (hila-lost).
        try await desk.work(name: "rescuer", skills: ["refunds"], exec: #"cat >/dev/null; echo '{"decision":"approve"}'"#)
        doomed.crash()
        kill(-holder, SIGKILL)  // the orphaned command's process group: ours to end
        _ = await doomed.wait()

        #expect(await asking.wait() == 0)
        let outcome = try JSONParser.parse(asking.output)
        #expect(outcome["outcome"] == .string("answered"))
        #expect(outcome["worker"] == .string("rescuer"))
    }
}
