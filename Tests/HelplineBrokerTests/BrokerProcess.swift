import Foundation

/// A real `helpline broker` process on an ephemeral loopback port, stopped by PID.
///
/// Conformance tests speak raw frames to it, exactly as a client written only from
/// proto-spec would.
final class BrokerProcess {
    let process: Process
    let endpoint: String
    private let output: Pipe

    /// Starts the `helpline` binary built beside the test bundle and waits for its
    /// "listening on" line.
    init(arguments: [String] = []) throws {
        process = Process()
        process.executableURL = Self.helplineBinary()
        // HELPLINE_TEST_LOG=trace shows what the broker did while a test ran.
        let level = ProcessInfo.processInfo.environment["HELPLINE_TEST_LOG"] ?? "warning"
        process.arguments = ["broker", "--endpoint", "tcp://127.0.0.1:*", "--log-level", level] + arguments
        output = Pipe()
        process.standardOutput = output
        try process.run()
        endpoint = try Self.readEndpoint(from: output.fileHandleForReading)
    }

    /// SIGKILL, as a crash would.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits: the broker's clean shutdown path.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }

    static func helplineBinary() -> URL {
        if let override = ProcessInfo.processInfo.environment["HELPLINE_BIN"] {
            return URL(fileURLWithPath: override)
        }
        // The test bundle sits in the build folder next to the products.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("helpline")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/helpline")
    }

    private static func readEndpoint(from handle: FileHandle) throws -> String {
        var buffer = Data()
        let marker = "listening on "
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { throw BrokerProcessError.exitedBeforeListening }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }),
                let range = line.range(of: marker)
            {
                return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
        }
    }
}

enum BrokerProcessError: Error {
    case exitedBeforeListening
}
