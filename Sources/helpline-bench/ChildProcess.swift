import Foundation

/// A process the bench started: its stdout read line by line in the background, stopped
/// by its PID (SIGTERM, then SIGKILL), never by name.
final class ChildProcess {
    let label: String
    private let process = Process()
    private let output = Pipe()
    private let lines = LineBuffer()

    /// Starts `executable` with `arguments`; stderr is shared with the bench's.
    ///
    /// Its stdout is read by a thread of its own with blocking reads until EOF (Foundation's
    /// `readabilityHandler` lost a child's last line now and then on a loaded machine), and
    /// both ends of the pipe are close-on-exec so that children started later do not
    /// inherit them and hold this one's EOF back.
    init(_ executable: String, _ arguments: [String], label: String) throws {
        self.label = label
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        let reading = output.fileHandleForReading.fileDescriptor
        _ = fcntl(reading, F_SETFD, FD_CLOEXEC)
        _ = fcntl(output.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        // The child gets its copy of the write end (dup2 onto fd 1 clears close-on-exec);
        // Process closes ours once it has started the child.
        try process.run()
        let lines = self.lines
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(reading, $0.baseAddress, $0.count) }
                if count > 0 {
                    lines.append(Data(buffer[0..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            lines.close()
        }
        reader.start()
    }

    deinit { stop() }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// How it ended, for error messages: "exit 0", "signal 9", "running".
    var exitDescription: String {
        if process.isRunning { return "running" }
        let kind = process.terminationReason == .uncaughtSignal ? "signal" : "exit"
        return "\(kind) \(process.terminationStatus), \(lines.snapshot.count) lines"
    }

    /// Every complete line printed so far.
    var allLines: [String] { lines.snapshot }

    /// Waits for a line that `matches`; throws if the process exits first or time runs out.
    @discardableResult
    func waitForLine(timeout seconds: Double = 10, _ matches: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var seen = 0
        while Date() < deadline {
            let current = lines.snapshot
            if let line = current[seen...].first(where: matches) { return line }
            seen = current.count
            if lines.isClosed && !process.isRunning { throw BenchError.childFailed("\(label) exited (status \(process.terminationStatus)) before it was ready") }
            usleep(2_000)
        }
        throw BenchError.childFailed("\(label) did not report in \(seconds) s")
    }

    /// Waits for the process to exit; kills it if it takes longer than `seconds`.
    func waitForExit(timeout seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { signal(SIGKILL) }
        process.waitUntilExit()
        lines.waitUntilClosed(timeout: 5)
    }

    /// Sends `signal` to this process (by PID).
    func signal(_ signal: Int32) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
    }

    /// SIGTERM, a moment's grace, then SIGKILL.
    func stop() {
        guard process.isRunning else { return }
        signal(SIGTERM)
        waitForExit(timeout: 2)
    }
}

/// Lines arriving on a background queue, read by the bench's thread.
private final class LineBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = Data()
    private var complete: [String] = []
    private var closed = false

    func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        pending.append(data)
        while let newline = pending.firstIndex(of: 0x0A) {
            complete.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending.removeSubrange(pending.startIndex...newline)
        }
    }

    func close() {
        lock.lock()
        closed = true
        lock.unlock()
    }

    var isClosed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closed
    }

    var snapshot: [String] {
        lock.lock()
        defer { lock.unlock() }
        return complete
    }

    func waitUntilClosed(timeout seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while !isClosed && Date() < deadline { usleep(2_000) }
    }
}

/// Why a bench run could not finish.
enum BenchError: Error, CustomStringConvertible {
    case childFailed(String)
    case missing(String)

    var description: String {
        switch self {
        case .childFailed(let text): text
        case .missing(let text): text
        }
    }
}
