import Foundation

/// A `helpline broker` the bench started, on an ephemeral loopback port.
///
/// The broker journals by default (to `data/helpline.db` under its working directory), so
/// the bench never lets it pick that file: each broker journals into a fresh temporary
/// folder, removed when it stops (a restored journal would carry tickets from one run into
/// the next), or runs with `--journal memory`.
final class BenchBroker {
    let process: ChildProcess
    let endpoint: String
    private let journalDirectory: URL?

    /// Starts the broker and waits for its "listening on" line. `journaled`: as shipped
    /// (a journal, `--sync normal` unless `extraArguments` say otherwise); else in memory.
    init(tools: BenchTools, journaled: Bool, logLevel: String = "warning", arguments: [String] = []) throws {
        var all = ["broker", "--endpoint", "tcp://127.0.0.1:*", "--log-level", logLevel]
        if journaled {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("helpline-bench-journal-\(getpid())-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            journalDirectory = directory
            all += ["--journal", directory.appendingPathComponent("helpline.db").path]
        } else {
            journalDirectory = nil
            all += ["--journal", "memory"]
        }
        process = try ChildProcess(tools.helpline, all + arguments + tools.brokerArguments, label: "helpline broker")
        let line = try process.waitForLine { $0.contains("listening on ") }
        endpoint = String(line.split(separator: " ").last ?? "")
    }

    deinit { stop() }

    var pid: Int32 { process.pid }

    /// Stops the broker (SIGTERM, then SIGKILL) and removes its journal.
    func stop() {
        process.stop()
        if let journalDirectory { try? FileManager.default.removeItem(at: journalDirectory) }
    }
}
