import Foundation
import HelplineTestSupport
import Testing
import ZeroMQ

/// The broker raises its open-file limit (every peer holds a descriptor) and says at
/// start-up how many peers it can take.
@Suite struct PeerCapacityTests {
    @Test func brokerStartedAtALowSoftLimit_raisesItToTheHardLimit_andSaysHowManyPeers() throws {
        let hard = OpenFileLimit.current().hard
        try #require(hard > 256 && hard != Int.max, "needs a finite hard limit above 256")
        let binary = try #require(HelplineBinary.url)
        let process = Process()
        // prlimit (util-linux) starts the broker at a soft limit of 256, as many systems
        // start services at 1,024.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = [
            "--nofile=256:\(hard)", binary.path, "broker", "--endpoint", "tcp://127.0.0.1:*", "--journal", "memory",
            "--log-level", "warning",
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        let line = try Self.line(containing: "can take", from: output.fileHandleForReading)
        #expect(line.contains("open-file limit \(hard), raised from 256"), "\(line)")
        let peers = try #require(line.split(separator: " ").dropFirst(4).first.flatMap { Int($0) }, "\(line)")
        #expect(peers > 256 && peers < hard, "\(line)")
    }

    private static func line(containing marker: String, from handle: FileHandle) throws -> String {
        var buffer = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { throw BrokerProcessError.exitedBeforeListening }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }) { return String(line) }
        }
    }
}
