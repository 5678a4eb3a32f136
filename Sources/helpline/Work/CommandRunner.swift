import Dispatch
import Foundation
import HelplinePeer

#if canImport(Glibc)
import Glibc
#endif

/// Runs `/bin/sh -c <command>` with bytes on its stdin and collects its stdout and stderr,
/// many at once, each under a key (the ticket id) by which it can be killed.
///
/// Each command leads a process group of its own, so that killing it (timeout, revoked
/// ticket, `helpline work` stopping) kills whatever it started too: a `sleep` left behind
/// would hold its output open and the ticket would wait for it.
final class CommandRunner: @unchecked Sendable {
    /// How a command ended.
    struct Completion: Sendable {
        /// The exit status, or nil when a signal ended it.
        var exitStatus: Int32?
        /// The signal that ended it, if one did.
        var signal: Int32?
        var stdout: [UInt8]
        var stderr: [UInt8]

        var succeeded: Bool { exitStatus == 0 }
    }

    /// Why a command could not start.
    struct SpawnFailure: Error, CustomStringConvertible {
        let errno: Int32
        var description: String { "cannot start /bin/sh: \(String(cString: strerror(errno)))" }
    }

    /// An answer body is at most 1 MiB (spec §"Limits"); JSON around it, twice that.
    static let maxStdoutBytes = 2 << 20
    /// Enough of stderr to say why a command failed; DECLINE keeps 1,024 bytes of it.
    static let maxStderrBytes = 64 << 10

    private let lock = NSLock()
    private var running: [String: pid_t] = [:]

    /// Runs `command`, feeding it `input`; kills it after `timeout` if given. The process
    /// gets this process's environment plus `environment`.
    func run(
        _ command: String, input: [UInt8], environment: [String: String], key: String, timeout: Duration?
    ) async throws(SpawnFailure) -> Completion {
        let child = try spawn(command, environment: environment)
        lock.withLock { running[key] = child.pid }
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(timeout.wholeMilliseconds)) {
                self.kill(key, pid: child.pid)
            }
        }
        let completion = await withCheckedContinuation { continuation in
            // A thread of its own, not a dispatch queue: it blocks in poll and waitid, and
            // blocked dispatch threads starve Swift's cooperative pool on a small machine.
            Thread {
                continuation.resume(returning: Self.collect(child, input: input) {
                    // Exited, not yet reaped: its pid cannot be reused before this.
                    self.lock.withLock { if self.running[key] == child.pid { self.running[key] = nil } }
                })
            }.start()
        }
        return completion
    }

    /// Kills the command running under `key` and everything it started, if it still runs
    /// (SIGKILL: it has no say).
    func cancel(_ key: String) {
        guard let pid = lock.withLock({ running[key] }) else { return }
        kill(key, pid: pid)
    }

    /// Kills every running command.
    func cancelAll() {
        for (key, pid) in lock.withLock({ running }) { kill(key, pid: pid) }
    }

    private func kill(_ key: String, pid: pid_t) {
        // Only while it is still ours: a pid is reused once reaped. The whole group: the
        // shell and whatever it started.
        lock.withLock {
            guard running[key] == pid else { return }
            _ = Glibc.kill(-pid, SIGKILL)
        }
    }

    private struct Child {
        let pid: pid_t
        let stdin: Int32
        let stdout: Int32
        let stderr: Int32
    }

    /// Held from creating a command's pipes until they are close-on-exec and it is
    /// spawned: another command spawned between pipe() and fcntl() would inherit them,
    /// and this command's output would never reach its end.
    private static let spawnLock = NSLock()

    private func spawn(_ command: String, environment: [String: String]) throws(SpawnFailure) -> Child {
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        var pipes: [[Int32]] = []
        for _ in 0..<3 {
            var fds: [Int32] = [0, 0]
            // Close-on-exec: only the dup2'd ends reach the command, no other command's.
            guard pipe(&fds) == 0 else {
                let error = errno
                pipes.flatMap { $0 }.forEach { close($0) }
                throw SpawnFailure(errno: error)
            }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            pipes.append(fds)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes[0][0], 0)
        posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipes[2][1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // This process ignores SIGPIPE (a command may exit without reading its input) and
        // may block signals; the command starts with the defaults.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let arguments: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        // The command's ends are its own now (or nobody's, if it failed to start).
        close(pipes[0][0])
        close(pipes[1][1])
        close(pipes[2][1])
        guard result == 0 else {
            close(pipes[0][1])
            close(pipes[1][0])
            close(pipes[2][0])
            throw SpawnFailure(errno: result)
        }
        // Our end of its stdin never blocks: collect() writes only what the pipe takes.
        _ = fcntl(pipes[0][1], F_SETFL, fcntl(pipes[0][1], F_GETFL) | O_NONBLOCK)
        return Child(pid: pid, stdin: pipes[0][1], stdout: pipes[1][0], stderr: pipes[2][0])
    }

    /// Writes the input and reads both outputs to their end, multiplexed with poll so a
    /// command that writes before it reads cannot deadlock us; then reaps the process.
    private static func collect(_ child: Child, input: [UInt8], beforeReaping: () -> Void) -> Completion {
        let stdout = Collected(fd: child.stdout, limit: maxStdoutBytes)
        let stderr = Collected(fd: child.stderr, limit: maxStderrBytes)
        var stdin: Int32? = child.stdin
        var written = 0
        if input.isEmpty { closeInput(&stdin) }
        while stdin != nil || !stdout.finished || !stderr.finished {
            var items = [
                pollfd(fd: stdin ?? -1, events: Int16(POLLOUT), revents: 0),
                pollfd(fd: stdout.finished ? -1 : stdout.fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stderr.finished ? -1 : stderr.fd, events: Int16(POLLIN), revents: 0),
            ]
            guard poll(&items, 3, -1) >= 0 || errno == EINTR else { break }
            if let fd = stdin, items[0].revents != 0 {
                let count = input.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
                if count > 0 { written += count }
                // Done, or it stopped reading (EPIPE): either way, no more input.
                if written == input.count || (count < 0 && errno != EINTR && errno != EAGAIN) { closeInput(&stdin) }
            }
            if items[1].revents != 0 { stdout.readAvailable() }
            if items[2].revents != 0 { stderr.readAvailable() }
        }
        if stdin != nil { closeInput(&stdin) }
        var info = siginfo_t()
        while waitid(P_PID, id_t(child.pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        beforeReaping()
        var status: Int32 = 0
        while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (macros).
        let signal = status & 0x7f
        return Completion(
            exitStatus: signal == 0 ? (status >> 8) & 0xff : nil, signal: signal == 0 ? nil : signal,
            stdout: stdout.bytes, stderr: stderr.bytes)
    }

    private static func closeInput(_ fd: inout Int32?) {
        if let open = fd { close(open) }
        fd = nil
    }
}

/// One output of a command, read as poll says it is ready, keeping at most a limit.
private final class Collected {
    let fd: Int32
    private let limit: Int
    private(set) var bytes: [UInt8] = []
    private(set) var finished = false
    private var buffer = [UInt8](repeating: 0, count: 16 << 10)

    init(fd: Int32, limit: Int) {
        self.fd = fd
        self.limit = limit
    }

    /// One read: data, or the end (then the pipe is closed).
    func readAvailable() {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && (errno == EINTR || errno == EAGAIN) { return }
        guard count > 0 else {
            finished = true
            close(fd)
            return
        }
        // Keep reading past the limit, so the command is not blocked on a full pipe.
        if bytes.count < limit { bytes += buffer[0..<min(count, limit - bytes.count)] }
    }
}
