import Foundation
import HelplineTestSupport

/// A `helpline` subcommand run as a process: started, read, and stopped by PID.
final class ToolProcess: @unchecked Sendable {
    let process = Process()
    private let stdout = Pipe()
    private let stderr = Pipe()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    /// Starts `helpline <arguments>` with stdin from `input` (nothing if nil).
    init(_ arguments: [String], input: String? = nil) throws {
        guard let binary = HelplineBinary.url else { throw BrokerProcessError.noBinary }
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = stdout
        process.standardError = stderr
        let stdin = Pipe()
        process.standardInput = stdin
        // Threads of their own, not readability handlers: dispatch threads are scarce on a
        // small machine running the whole suite, and the output must arrive regardless.
        for (pipe, isError) in [(stdout, false), (stderr, true)] {
            let handle = pipe.fileHandleForReading
            Thread { [weak self] in
                while true {
                    let data = handle.availableData
                    guard !data.isEmpty else { return }
                    self?.append(data, error: isError)
                }
            }.start()
        }
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
    }

    private func append(_ data: Data, error: Bool) {
        lock.withLock {
            if error { err.append(data) } else { out.append(data) }
        }
    }

    var output: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var errorOutput: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

    /// Waits for the process to end (killing it after `timeout`); returns its exit status.
    func wait(timeout: Duration = .seconds(20)) async -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        // Let the readability handlers take the last bytes.
        try? await Task.sleep(for: .milliseconds(50))
        return process.terminationStatus
    }

    /// Waits until stderr (or stdout) holds `text`; false after `timeout`.
    func waitFor(_ text: String, inErrors: Bool = true, timeout: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (inErrors ? errorOutput : output).contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        // Once more: a busy machine may have kept this task from running all along.
        return (inErrors ? errorOutput : output).contains(text)
    }

    /// SIGKILL, as a crash would: no chance to say goodbye. Does not wait: a child that
    /// inherited the process's pipes would hold `waitUntilExit` until it ends too.
    func crash() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
    }

    /// SIGTERM and wait: the clean way to stop a worker.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }

    /// Runs `helpline <arguments>` to its end.
    static func run(_ arguments: [String], input: String? = nil, timeout: Duration = .seconds(20)) async throws -> (
        status: Int32, output: String, errors: String
    ) {
        let tool = try ToolProcess(arguments, input: input)
        let status = await tool.wait(timeout: timeout)
        return (status, tool.output, tool.errorOutput)
    }
}
