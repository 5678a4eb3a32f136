import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A `helpline` subcommand the demo runs as a process of its own (the broker, carol's
/// console), so that killing it is a real crash. Each leads its own process group
/// (Foundation starts children so); a crash takes the commands it runs down with it, as
/// a machine that loses power would, so the demo leaves nothing running.
final class DemoProcess: @unchecked Sendable {
    let name: String
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()

    /// This very binary, wherever it was started from.
    static let executable: URL = {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0])
    }()

    /// Starts `helpline <arguments>`; `onError` gets each line it writes to stderr.
    init(name: String, arguments: [String], onError: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.name = name
        process.executableURL = Self.executable
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Self.readLines(errors.fileHandleForReading, onError)
    }

    var pid: Int32 { process.processIdentifier }

    /// Every stdout line up to and including the first containing `marker`.
    func waitForLines(through marker: String) -> [String]? {
        var buffer = Data()
        while true {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { return nil }
            buffer.append(chunk)
            let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init)
            if let index = lines.firstIndex(where: { $0.contains(marker) }) { return Array(lines[...index]) }
        }
    }

    /// The first stdout line containing `marker`, after the marker ("listening on …").
    func waitForLine(after marker: String) -> String? {
        var buffer = Data()
        while true {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { return nil }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }),
                let range = line.range(of: marker)
            {
                return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
        }
    }

    /// Sends `signal` to the process's group and waits for it to end. SIGKILL also kills
    /// every process below it (`helpline work` runs each command in a group of its own,
    /// and a dead console can no longer stop them); the process is frozen first, so it
    /// sends nothing more while they are found.
    func stop(signal: Int32 = SIGTERM) {
        guard process.isRunning else { return }
        if signal == SIGKILL {
            kill(-pid, SIGSTOP)
            for child in Self.descendants(of: pid) { kill(-child, SIGKILL) }
        }
        kill(-pid, signal)
        process.waitUntilExit()
    }

    /// Every process whose parent chain leads to `root`, from /proc.
    private static func descendants(of root: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // "pid (comm) state ppid …": the command name may hold spaces, so read after ")".
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[pid] = parent }
        }
        var found: [Int32] = []
        var frontier = [root]
        while let next = frontier.popLast() {
            let children = parents.filter { $0.value == next }.map(\.key)
            found += children
            frontier += children
        }
        return found
    }

    private static func readLines(_ handle: FileHandle, _ onLine: @escaping @Sendable (String) -> Void) {
        let thread = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                guard !chunk.isEmpty else { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    onLine(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
        }
        thread.start()
    }
}
