import Foundation

/// A `helpline broker` the bench started, on an ephemeral loopback port.
///
/// The broker journals by default (to `data/helpline.db` under its working directory), so
/// the bench never lets it pick that file: each broker journals into a fresh temporary
/// folder, removed when it stops (a restored journal would carry tickets from one run into
/// the next), or runs with `--journal memory`. A broker crashed with `kill -9` keeps its
/// folder, so another can restart on it (`restarting(on:)`).
final class BenchBroker {
    let process: ChildProcess
    let endpoint: String
    /// The folder of its journal (nil in memory).
    let journalDirectory: URL?
    /// The line the broker prints after binding: how many peers it can take.
    let capacityLine: String?
    private var keepsJournal = false

    /// Starts the broker and waits for its "listening on" line. `journaled`: as shipped
    /// (a journal, `--sync normal` unless `extraArguments` say otherwise); else in memory.
    /// `journalIn`: restart on the journal of a broker that crashed.
    init(
        tools: BenchTools, journaled: Bool, logLevel: String = "warning", arguments: [String] = [],
        journalIn existing: URL? = nil, readyTimeout: Double = 10
    ) throws {
        var all = ["broker", "--endpoint", "tcp://127.0.0.1:*", "--log-level", logLevel]
        if journaled {
            let directory = existing ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("helpline-bench-journal-\(getpid())-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            journalDirectory = directory
            all += ["--journal", directory.appendingPathComponent("helpline.db").path]
        } else {
            journalDirectory = nil
            all += ["--journal", "memory"]
        }
        process = try ChildProcess(tools.helpline, all + arguments + tools.brokerArguments, label: "helpline broker")
        let line = try process.waitForLine(timeout: readyTimeout) { $0.contains("listening on ") }
        endpoint = String(line.split(separator: " ").last ?? "")
        capacityLine = try? process.waitForLine(timeout: 2) { $0.contains("can take") }
    }

    deinit { stop() }

    var pid: Int32 { process.pid }

    /// The journal's files on disk (database and write-ahead log), in bytes.
    var journalBytes: Int { journalDirectory.map(ProcessMemory.directoryBytes) ?? 0 }

    /// The broker's resident memory, in bytes.
    var residentBytes: Int { ProcessMemory.residentBytes(pid) ?? 0 }

    /// `kill -9`, as a crash would; the journal stays for a restart.
    func crash() {
        keepsJournal = true
        process.signal(SIGKILL)
        process.waitForExit(timeout: 5)
    }

    /// Stops the broker (SIGTERM, then SIGKILL) and removes its journal, unless it crashed
    /// for a restart (then the restarted broker owns the folder).
    func stop() {
        process.stop()
        if let journalDirectory, !keepsJournal { try? FileManager.default.removeItem(at: journalDirectory) }
    }
}
