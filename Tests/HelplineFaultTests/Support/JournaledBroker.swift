import Foundation

/// A real `helpline broker` process with a journal in a directory the test owns, on a
/// loopback port that stays the same across `killNine` and `start`: a broker that crashes
/// and comes back. Stopped by PID.
final class JournaledBroker {
    /// The journal file.
    let journalPath: String
    /// `tcp://127.0.0.1:<port>`, fixed by the first start.
    private(set) var endpoint = "tcp://127.0.0.1:*"
    private let arguments: [String]
    private var process: Process?
    /// Every line the broker wrote to stderr (its log), for diagnosis and log checks.
    private let log = LockedLines()

    /// The `helpline` binary next to the test bundle, or `HELPLINE_BIN`.
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

    /// Starts a broker journaling to `journalPath` with extra `arguments`.
    init(journalPath: String, arguments: [String] = []) throws {
        self.journalPath = journalPath
        self.arguments = arguments
        try start()
    }

    /// Starts the broker (again) on the same endpoint and journal; retries while the port
    /// is still held by the process that just died.
    func start() throws {
        guard let binary = Self.binary else { throw FaultTestError.noBinary }
        var lastError: (any Error)?
        for _ in 0..<50 {
            let process = Process()
            process.executableURL = binary
            process.arguments = [
                "broker", "--endpoint", endpoint, "--journal", journalPath, "--log-level",
                ProcessInfo.processInfo.environment["HELPLINE_TEST_LOG"] ?? "notice",
            ] + arguments
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            let log = self.log
            errors.fileHandleForReading.readabilityHandler = { handle in log.append(handle.availableData) }
            try process.run()
            if let bound = Self.readEndpoint(from: output.fileHandleForReading) {
                endpoint = bound
                self.process = process
                return
            }
            process.waitUntilExit()
            lastError = FaultTestError.exitedBeforeListening(log.text)
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw lastError ?? FaultTestError.exitedBeforeListening("")
    }

    /// SIGKILL: no shutdown path runs, as in a crash or a power cut of the process.
    func killNine() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGKILL, then a new broker on the same endpoint and journal.
    func crashAndRestart() throws {
        killNine()
        try start()
    }

    /// SIGTERM and wait.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// The broker's log so far.
    var logText: String { log.text }

    /// Whether the broker's log comes to hold `text` within `timeout`: its stderr is read
    /// on another thread, so a line just written may not have arrived yet.
    func logContains(_ text: String, timeout: Duration = .seconds(5)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if logText.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return logText.contains(text)
    }

    deinit { stop() }

    private static func readEndpoint(from handle: FileHandle) -> String? {
        var buffer = Data()
        let marker = "listening on "
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }), let range = line.range(of: marker) {
                return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
        }
    }
}

/// Lines appended from a pipe's handler thread and read from the test.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.lock()
        data.append(chunk)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

enum FaultTestError: Error {
    case noBinary
    case exitedBeforeListening(String)
    case silence(String)
    case unexpected(String)
}

/// A directory of the test's own, removed with everything in it when the value goes away.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "helpline-fault-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
