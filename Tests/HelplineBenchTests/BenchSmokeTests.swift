import Foundation
import Testing

/// Keeps bench/ from rotting: `helpline-bench --smoke` must still run a tiny roundtrip
/// through a real broker, the dispatch scenario and each floor scenario, and account for
/// every ticket.
/// No timing is asserted: figures come from `make bench`, never from tests.
@Suite struct BenchSmokeTests {
    @Test func smokeRun_roundtripThroughBrokerAndDispatch_accountForEveryTicket() throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("helpline-bench-smoke-\(getpid())")
        defer { try? FileManager.default.removeItem(at: results) }

        let process = Process()
        process.executableURL = try Self.benchBinary()
        process.arguments = ["--smoke", "--results-dir", results.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let files = try FileManager.default.contentsOfDirectory(at: results, includingPropertiesForKeys: nil)
        let file = try #require(files.first { $0.lastPathComponent.hasPrefix("smoke-") })
        let report = try JSONDecoder().decode(SmokeReport.self, from: Data(contentsOf: file))

        // Helpline as shipped (journaled, in a temporary folder) and without its journal.
        #expect(Set(report.roundtrip.map(\.target)) == ["helpline", "helpline-memory"])
        let roundtrip = try #require(report.roundtrip.first { $0.target == "helpline" })
        #expect(roundtrip.median.sent > 0)
        #expect(roundtrip.median.answersPerSecond > 0)
        #expect(roundtrip.median.lost == 0)
        #expect(roundtrip.median.duplicates == 0)
        #expect(roundtrip.median.errors == 0)
        let dispatch = try #require(report.dispatch.first)
        #expect((dispatch.freeToOffer?.samples ?? 0) > 0)
        #expect(dispatch.heartbeat.samples > 0)

        // The floor scenarios, tiny: every ticket finished, queued, restored; every console
        // welcomed; the soak sampled throughout. Sizes, not timings.
        #expect(report.finished.map(\.target).sorted() == ["helpline", "helpline-memory"])
        for row in report.finished {
            #expect(row.samples.last?.finished == 100, "\(row.target)")
            #expect(row.lost == 0 && row.duplicates == 0, "\(row.target)")
        }
        let waiting = try #require(report.waiting.first)
        #expect(waiting.queued == 200)
        #expect(waiting.waitingBefore == 200)
        #expect(waiting.waitingAfterRestart == 200)
        let consoles = try #require(report.consoles.first)
        #expect(consoles.registered == 20)
        #expect(consoles.capacityLine?.contains("can take") == true)
        let soak = try #require(report.soak.first)
        #expect(soak.samples.count == 3)
        #expect(soak.samples.allSatisfy { $0.journalBytes > 0 && $0.residentBytes > 0 })
        #expect(soak.lost == 0 && soak.duplicates == 0)
    }

    /// `helpline-bench` from the build folder the tests run from.
    static func benchBinary() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("helpline-bench")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw SmokeError.benchNotBuilt
    }
}

enum SmokeError: Error {
    case benchNotBuilt
}

/// The parts of bench/results JSON this test reads.
struct SmokeReport: Decodable {
    struct Row: Decodable {
        struct Median: Decodable {
            var answersPerSecond: Double
            var sent: Int
            var lost: Int
            var duplicates: Int
            var errors: Int
        }
        var target: String
        var median: Median
    }
    struct Dispatch: Decodable {
        struct Summary: Decodable { var samples: Int }
        var freeToOffer: Summary?
        var heartbeat: Summary
    }
    struct Finished: Decodable {
        struct Sample: Decodable { var finished: Int }
        var target: String
        var samples: [Sample]
        var lost: Int
        var duplicates: Int
    }
    struct Waiting: Decodable {
        var queued: Int
        var waitingBefore: Int?
        var waitingAfterRestart: Int?
    }
    struct Consoles: Decodable {
        var registered: Int?
        var capacityLine: String?
    }
    struct Soak: Decodable {
        struct Sample: Decodable {
            var residentBytes: Int
            var journalBytes: Int
        }
        var samples: [Sample]
        var lost: Int
        var duplicates: Int
    }
    var roundtrip: [Row]
    var dispatch: [Dispatch]
    var finished: [Finished]
    var waiting: [Waiting]
    var consoles: [Consoles]
    var soak: [Soak]
}
