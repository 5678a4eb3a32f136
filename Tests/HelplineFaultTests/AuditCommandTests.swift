import Foundation
import HelplineWire
import Testing
import ZeroMQ

/// `helpline audit` on the journal of a real broker, while it runs and after it stopped.
@Suite(
    "helpline audit", .serialized, .timeLimit(.minutes(1)),
    .enabled(if: JournaledBroker.binary != nil, "needs the helpline binary beside the tests"))
struct AuditCommandTests {
    /// Runs `helpline audit` with `arguments` and returns its standard output.
    private func audit(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = JournaledBroker.binary
        process.arguments = ["audit"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func audit_printsEachTicketsHistory_csvRows_andTheSummary() throws {
        let context = try ZMQContext()
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let broker = try JournaledBroker(journalPath: scratch.file("helpline.db"))
        defer { broker.stop() }
        let ana = try RawDealer(endpoint: broker.endpoint, signature: .worker, context: context)
        try ana.send(.ready(Ready(name: "ana", role: .hila, skills: ["refunds"], heartbeatMilliseconds: 5_000)))
        _ = try ana.directive()
        let client = try RawDealer(endpoint: broker.endpoint, signature: .client, context: context)
        try client.send(.ask(Ask(ticket: "t1", skills: ["refunds"], priority: 4)), body: Array("refund?".utf8))
        _ = try client.reply()
        _ = try ana.directive()
        // bea registers before ana declines: with no other capable HILA the ticket would go
        // to live agents (hila-lost).
        let bea = try RawDealer(endpoint: broker.endpoint, signature: .worker, context: context)
        try bea.send(.ready(Ready(name: "bea", role: .hila, skills: ["refunds"], heartbeatMilliseconds: 5_000)))
        _ = try bea.directive()
        try ana.send(.decline(ticket: "t1", reason: "conflict of interest"))
        guard case .assign = try bea.directive().0 else { throw FaultTestError.unexpected("no ASSIGN for bea") }
        try bea.send(.accept(ticket: "t1", leaseMilliseconds: 0))
        try bea.send(.answer(Answer(ticket: "t1", decision: .edit)), body: Array("refund 30".utf8))
        try client.send(.ask(Ask(ticket: "t2", skills: ["refunds"])))
        _ = try client.reply()
        guard case .assign = try ana.directive().0 else { throw FaultTestError.unexpected("no ASSIGN for t2") }
        try ana.send(.answer(Answer(ticket: "t2", decision: .approve)))
        for _ in 0..<3 { _ = try client.reply() }  // ASSIGNED, ANSWERED t1, ANSWERED t2

        // While the broker runs: a read-only snapshot beside the writer.
        let lines = try audit(["--journal", broker.journalPath]).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["id"] as? String == "t1")
        #expect(first["skills"] as? [String] == ["refunds"])
        #expect(first["priority"] as? Int == 4)
        let events = try #require(first["events"] as? [[String: Any]])
        #expect(events.map { $0["event"] as? String } == ["offered", "released", "offered", "accepted"])
        #expect(events[1]["reason"] as? String == "declined")
        #expect(events[1]["note"] as? String == "conflict of interest")
        #expect(events[2]["worker"] as? String == "bea")
        let outcome = try #require(first["outcome"] as? [String: Any])
        #expect(outcome["decision"] as? String == "edit")
        #expect(outcome["worker"] as? String == "bea")
        #expect(outcome["body_bytes"] as? Int == 9)

        broker.stop()
        let csv = try audit(["--journal", broker.journalPath, "--format", "csv", "--ticket", "t2"]).split(separator: "\n")
        #expect(csv.first == "ticket,seq,at,event,worker,attempt,reason,note,decision,option,elapsed_ms,role,skills,priority,client")
        #expect(csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] } == ["asked", "offered", "answered"])
        let summary = try audit(["--journal", broker.journalPath, "--summary"])
        #expect(summary.contains("approval rate 50.0% of 2 answers, edit rate 50.0%"))
        #expect(summary.contains("released declined 1"))
        #expect(try audit(["--journal", broker.journalPath, "--since", "1h"]).split(separator: "\n").count == 2)
        #expect(try audit(["--journal", broker.journalPath, "--since", "2999-01-01"]).isEmpty)
    }
}
