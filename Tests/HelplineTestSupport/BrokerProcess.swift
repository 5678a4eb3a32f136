import Foundation

/// A real `helpline broker` process on an ephemeral loopback port, stopped by PID.
/// Restartable on the same endpoint, as a crashed broker that comes back would be.
///
/// Conformance tests speak raw frames to it, exactly as a client written only from
/// proto-spec would; library and tool tests run their peers against it.
public final class BrokerProcess {
    /// The bound endpoint (an ephemeral port on first start, reused on restart).
    public private(set) var endpoint: String
    /// The running process, nil once stopped.
    public private(set) var process: Process?
    private let extraArguments: [String]

    /// Starts a broker on an ephemeral loopback port with `arguments` (timing flags) and
    /// waits for its "listening on" line.
    public init(arguments: [String] = []) throws {
        extraArguments = arguments
        endpoint = "tcp://127.0.0.1:*"
        try start()
    }

    /// SIGKILL, as a crash would, then a new broker on the same endpoint.
    public func restart() async throws {
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
    public func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGTERM and wait: the clean shutdown path.
    public func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    deinit { stop() }

    private func start() throws {
        guard let binary = HelplineBinary.url else { throw BrokerProcessError.noBinary }
        let process = Process()
        process.executableURL = binary
        // HELPLINE_TEST_LOG=trace shows what the broker did while a test ran.
        let level = ProcessInfo.processInfo.environment["HELPLINE_TEST_LOG"] ?? "warning"
        // No journal unless a test asks for one: the default file would carry tickets
        // from one test into the next.
        process.arguments = ["broker", "--endpoint", endpoint, "--log-level", level, "--journal", "memory"] + extraArguments
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

/// Why a broker process did not start.
public enum BrokerProcessError: Error {
    case noBinary
    case exitedBeforeListening
}
