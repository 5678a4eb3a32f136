import Foundation

/// A throw-away PostgreSQL server (Debian's), for tests: `initdb` in a temporary folder, a
/// unix socket in that folder and no TCP port (`listen_addresses=''`), run as a non-root
/// user (the `postgres` account when the tests run as root), stopped by PID.
public final class PostgresServer {
    /// The folder holding the data directory and the socket.
    public let directory: URL
    /// A libpq URI for the `postgres` database over the unix socket.
    public let conninfo: String
    /// The postmaster's PID while it runs.
    public private(set) var pid: Int32?
    private let account: String?

    /// Debian's server binaries (the newest installed major), or nil without `postgresql`.
    public static let binaries: URL? = {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let majors = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return majors.compactMap(Int.init).max().map { root.appendingPathComponent("\($0)/bin") }.flatMap {
            FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("initdb").path) ? $0 : nil
        }
    }()

    /// Creates and starts a server; `settings` are extra `-c` options.
    public init(settings: [String] = []) throws {
        guard let binaries = Self.binaries else { throw PostgresServerError.notInstalled }
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("helpline-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // PostgreSQL refuses to run as root: as root, hand the folder to `postgres`.
        account = getuid() == 0 ? "postgres" : nil
        conninfo = "postgresql:///postgres?host=\(directory.path)&user=postgres"
        if let account {
            try Self.run("/bin/chown", [account, directory.path])
        }
        let data = directory.appendingPathComponent("data").path
        try run(binaries.appendingPathComponent("initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-N"])
        var options = "-k \(directory.path) -c listen_addresses='' -c fsync=off"
        for setting in settings { options += " -c \(setting)" }
        try run(
            binaries.appendingPathComponent("pg_ctl"),
            ["-D", data, "-o", options, "-l", directory.appendingPathComponent("server.log").path, "-w", "start"])
        let pidFile = try String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8)
        pid = pidFile.split(separator: "\n").first.flatMap { Int32($0) }
    }

    deinit {
        stop()
    }

    /// Stops the server (SIGINT: fast shutdown) and waits for it, then removes the folder.
    public func stop() {
        guard let pid else { return }
        self.pid = nil
        kill(pid, SIGINT)
        for _ in 0..<600 where kill(pid, 0) == 0 { usleep(10_000) }
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            for _ in 0..<100 where kill(pid, 0) == 0 { usleep(10_000) }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Creates database `name` and returns a libpq URI for it: one server, a fresh
    /// database per test.
    public func database(_ name: String) throws -> String {
        guard let binaries = Self.binaries else { throw PostgresServerError.notInstalled }
        try run(binaries.appendingPathComponent("createdb"), ["-h", directory.path, "-U", "postgres", name])
        return "postgresql:///\(name)?host=\(directory.path)&user=postgres"
    }

    /// The server's log, for a failing test's message.
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    private func run(_ tool: URL, _ arguments: [String]) throws {
        // Output to a file, not a pipe: the server pg_ctl starts would keep a pipe open
        // and reading it to its end would never return.
        let output = directory.appendingPathComponent("tool.log")
        if let account {
            try Self.run("/sbin/runuser", ["-u", account, "--", tool.path] + arguments, output: output)
        } else {
            try Self.run(tool.path, arguments, output: output)
        }
    }

    /// posix_spawn and waitpid, not Foundation's Process: its wait missed the exit of
    /// `runuser` here (the child stayed a zombie and the test hung).
    private static func run(_ path: String, _ arguments: [String], output: URL? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let target = output?.path ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw PostgresServerError.failed("\(path): posix_spawn error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFEXITED and WEXITSTATUS are macros Swift cannot import.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            let text = output.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
            throw PostgresServerError.failed("\(path) \(arguments.joined(separator: " ")) (status \(status)): \(text)")
        }
    }
}

/// Why a test server did not start.
public enum PostgresServerError: Error {
    case notInstalled
    case failed(String)
}
