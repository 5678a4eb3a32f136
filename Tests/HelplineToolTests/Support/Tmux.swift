import Foundation

@testable import helpline

/// A tmux server of the test's own (`tmux -L <unique socket>`), with one window of a given
/// size running a command: keys go in with send-keys, the screen comes out with
/// capture-pane, as a person would type and see. Killed by its socket at the end.
///
/// tmux runs through the tool's CommandRunner, which reaps on a thread of its own: a
/// test must not block Swift's cooperative threads waiting for a process.
final class Tmux: Sendable {
    let socket = "helpline-test-\(UUID().uuidString.prefix(8))"
    private let runner = CommandRunner()

    /// Starts `command` in a detached window of `columns`×`rows`.
    init(columns: Int, rows: Int, command: [String]) async throws {
        let shellCommand = command.map(Self.quote).joined(separator: " ")
        try await tmux("new-session -d -x \(columns) -y \(rows) -s test \(Self.quote(shellCommand))")
    }

    /// The screen as text, one line per row.
    func screen() async throws -> String {
        try await tmux("capture-pane -p -t test")
    }

    /// Presses keys (tmux key names: "a", "Enter", "Escape", "Down").
    func send(_ keys: String...) async throws {
        try await tmux("send-keys -t test " + keys.map(Self.quote).joined(separator: " "))
    }

    /// Types `text` literally.
    func type(_ text: String) async throws {
        try await tmux("send-keys -t test -l " + Self.quote(text))
    }

    /// Waits until the screen shows every one of `texts`; returns the screen then (or the
    /// last one). Wait for everything a check reads, not one string of it: the console
    /// writes a frame in one write(2), but tmux may read it from the pty in pieces, so a
    /// capture can catch a frame half drawn (its header new, its message bar still old).
    @discardableResult
    func waitFor(_ texts: String..., timeout: Duration = .seconds(20)) async throws -> String {
        try await waitFor(texts, timeout: timeout)
    }

    /// Waits until the screen shows every one of `texts` (see the variadic form).
    @discardableResult
    func waitFor(_ texts: [String], timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await screen()
            if texts.allSatisfy(last.contains) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Once more: a busy machine may have kept this task from running all along.
        return try await screen()
    }

    /// Kills this test's tmux server (and with it the console it runs) by its socket,
    /// however the test ended. system() reaps its own child, blocking only briefly.
    deinit {
        _ = system("tmux -L \(socket) kill-server </dev/null >/dev/null 2>&1")
        try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
    }

    /// One tmux command; its output when it has one. The server that new-session starts
    /// gets no pipe of ours to keep open.
    @discardableResult
    private func tmux(_ arguments: String) async throws -> String {
        let completion = try await runner.run(
            "tmux -L \(socket) \(arguments) </dev/null 2>/dev/null", input: [], environment: [:], key: UUID().uuidString,
            timeout: .seconds(20))
        return String(decoding: completion.stdout, as: UTF8.self)
    }

    private static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
