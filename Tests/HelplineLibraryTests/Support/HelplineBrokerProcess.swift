import Foundation

/// A real `helpline broker` process on a loopback port, stopped by PID. Restartable on the
/// same endpoint, as a crashed broker that comes back would be.
final class HelplineBrokerProcess {
    /// The bound endpoint (an ephemeral port on first start, reused on restart).
    private(set) var endpoint: String
    private var process: Process?
    private let extraArguments: [String]

    /// The `helpline` binary built beside the test bundle, or `HELPLINE_BIN`; nil while the
    /// broker does not build (the tests that need it are then disabled).
    static let binary: URL? = {
        if let path = ProcessInfo.processInfo.environment["HELPLINE_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("helpline")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// Starts a broker on an ephemeral loopback port with `arguments` (timing flags).
    init(arguments: [String] = []) throws {
        extraArguments = arguments
        endpoint = "tcp://127.0.0.1:*"
        try start()
    }

    /// SIGKILL, as a crash would, then a new broker on the same endpoint.
    func restart() async throws {
        kill()
        // The port frees when the process dies; retry briefly in case the kernel lags.
        for attempt in 0..<50 {
            do {
                try start()
                return
            } catch where attempt < 49 {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// SIGKILL and wait.
    func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGTERM and wait: the clean shutdown path.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    deinit { stop() }

    private func start() throws {
        guard let binary = Self.binary else { throw BrokerProcessError.noBinary }
        let process = Process()
        process.executableURL = binary
        let level = ProcessInfo.processInfo.environment["HELPLINE_TEST_LOG"] ?? "warning"
        process.arguments = ["broker", "--endpoint", endpoint, "--log-level", level] + extraArguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        do {
            endpoint = try Self.readEndpoint(from: output.fileHandleForReading)
        } catch {
            process.waitUntilExit()
            throw error
        }
        self.process = process
    }

    /// Waits for the "listening on <endpoint>" line the broker prints once bound.
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
    case noBinary
    case exitedBeforeListening
}
