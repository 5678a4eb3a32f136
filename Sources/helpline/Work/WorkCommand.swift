import ArgumentParser
import Dispatch
import Foundation
import HelplinePeer
import HelplineWire
import HelplineWorker

#if canImport(Glibc)
import Glibc
#endif

/// `helpline work`: a worker for any language; each ticket goes to a command.
struct WorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work",
        abstract: "Serve tickets with a command: ticket JSON on its stdin, its answer JSON on stdout.",
        discussion: """
            Registers as a worker and runs the command (with /bin/sh -c) for each ticket \
            offered, up to --capacity at once. Heartbeats, reconnects and re-registration \
            are handled here; the command only decides.

            stdin, one JSON object:
              {"id":"…","role":"hila","skills":["refunds"],"priority":5,
               "options":["approve","reject"],"attempt":1,"age_ms":12,
               "accept_timeout_ms":30000,"deadline_ms":3599988,
               "body":{"prompt":"…","context":…,"transcript":[…],
                       "customer":{…},"proposed":…}}
            (live tickets add "transfer" and "note"; HELPLINE_TICKET_ID and HELPLINE_WORKER
            are set in its environment.)

            stdout, one JSON object:
              {"decision":"approve"}              {"decision":"reject","text":"why"}
              {"decision":"option","option":"…"}  {"decision":"answer","text":"…"}
              {"decision":"edit","edited":…}      {"transfer":"note for the live agent"}
              {"decline":"reason"}
            A live worker (--role live) takes the conversation over unless the command \
            prints {"decline":…}.

            A command that exits non-zero, times out or prints something else declines \
            the ticket (its stderr is the reason), and the broker offers it to someone else.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var identity: WorkerOptions

    @Option(help: ArgumentHelp("The command deciding each ticket, run with /bin/sh -c.", valueName: "command"))
    var exec: String

    @Option(help: ArgumentHelp("Seconds a command may run before it is killed and the ticket declined (0: until the ticket's deadline).", valueName: "seconds"))
    var timeout = 0.0

    @Option(help: ArgumentHelp("Accept each HILA ticket with this lease in seconds (0: none); the broker revokes it if the command outlives it.", valueName: "seconds"))
    var lease = 0.0

    func validate() throws {
        guard timeout >= 0, lease >= 0 else { throw ValidationError("--timeout and --lease must be ≥ 0.") }
    }

    func run() async throws {
        // A command may exit without reading its input: a write to it must fail, not kill us.
        signal(SIGPIPE, SIG_IGN)
        let worker = try identity.connect(to: connection)
        let runner = CommandRunner()
        let log = WorkLog(name: identity.name)
        let signals = SignalWatch([SIGINT, SIGTERM]) { _ in
            runner.cancelAll()
            worker.close()
        }
        defer { withExtendedLifetime(signals) {} }
        let events = Task { await Self.follow(worker.events, worker: worker, runner: runner, log: log) }
        let handler = TicketHandler(
            worker: worker, runner: runner, log: log, command: exec,
            timeout: timeout > 0 ? .milliseconds(Int64(timeout * 1000)) : nil, lease: .milliseconds(Int64(lease * 1000)))
        // The handler accepts, once it has logged the offer.
        await worker.serve(accepting: nil) { ticket in await handler.handle(ticket) }
        let refusedRegistration = await events.value
        log.line("stopped")
        // A key that does not grant this registration will not grant it on a retry either:
        // say so in the exit status, so a supervisor does not restart us in a loop.
        if refusedRegistration { throw ExitCode(Self.refusedExitStatus) }
    }

    /// Exit status when the broker refuses the registration (401): EX_NOPERM of sysexits.
    static let refusedExitStatus: Int32 = 77

    /// Logs what happens to the connection, and stops the command of a ticket taken back.
    /// Returns whether the broker refused or revoked the registration itself (401).
    private static func follow(
        _ events: AsyncStream<WorkerEvent>, worker: HelplineWorker, runner: CommandRunner, log: WorkLog
    ) async -> Bool {
        var refusedRegistration = false
        for await event in events {
            switch event {
            case .connected: break
            case .registered(let welcome):
                log.line("registered (heartbeat \(welcome.heartbeatMilliseconds) ms, accept timeout \(TimeFormat.span(milliseconds: Int64(welcome.acceptTimeoutMilliseconds))))")
            case .revoked(let ticket, let reason):
                runner.cancel(ticket)
                log.line("\(ticket) revoked: \(reason.rawValue)")
            case .dropped(let ticket):
                runner.cancel(ticket)
                log.line("\(ticket) dropped by the broker after a reconnect")
            case .refused(let error):
                log.line("broker refused \(error.ticket ?? "a command"): \(error.code.rawValue) \(error.text)")
                if error.endsRegistration { refusedRegistration = true }
            case .presenceChanged(let presence):
                // A command is not a human who walked away: it is back at once.
                log.line("set \(presence.rawValue) by the broker; active again")
                try? worker.setPresence(.active)
            case .disconnected(let reason):
                log.line("disconnected: \(reason)")
            case .reconnecting(let delay):
                log.line("reconnecting in \(TimeFormat.span(milliseconds: Int64(delay.wholeMilliseconds)))")
            case .replyRecorded, .replyUncertain:
                break  // only with `confirmReplies`, which `work` does not set
            }
        }
        return refusedRegistration
    }
}
