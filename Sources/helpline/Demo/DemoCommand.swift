import ArgumentParser
import Dispatch
import Foundation
import HelplineClient
import HelplineWire

#if canImport(Glibc)
import Glibc
#endif

/// `helpline demo`: a minute of a help desk, with a real broker, simulated agents and
/// humans, and two failures to recover from.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch a minute of Helpline: agents ask, humans answer, failures recover.",
        discussion: """
            Starts a broker, three simulated AI agents raising realistic tickets, three \
            simulated HILAs with different skills, capacities and human-like delays (one \
            of them a real `helpline work` process), and a live agent. Partway through, one \
            HILA stops answering and another's console is killed; the log shows their \
            tickets re-offered and transferred. Ends by itself after about a minute with a \
            summary, having stopped every process it started. Exit code 1 if any ticket \
            was lost.
            """)

    @Option(help: "Run this many times faster; the log keeps demo seconds.")
    var speed = 1.0

    @Flag(name: .customLong("no-color"), help: "No colours, even on a terminal.")
    var noColor = false

    @Option(name: .customLong("web-users"), help: ArgumentHelp("Also serve the web console on the demo's broker, with this users file (created with an administrator when missing).", valueName: "file"))
    var webUsers: String?

    @Option(name: .customLong("web-port"), help: "The web console's port (with --web-users; 0: any free port).")
    var webPort = 8081

    @Option(help: "Seconds to wait after the console's URL is printed, before the first ticket (with --web-users: time to log in).")
    var webPause = 0.0

    func validate() throws {
        guard (0.5...20).contains(speed) else { throw ValidationError("--speed must be 0.5 to 20.") }
    }

    func run() async throws {
        let log = DemoLog(style: Style(for: STDOUT_FILENO, disabled: noColor), speed: speed)
        let tally = DemoTally()
        introduce(log)
        let cast = try DemoCast(log: log, tally: tally, speed: speed, web: webUsers.map { DemoWebConsole(users: $0, port: webPort) })
        if webUsers != nil, webPause > 0 {
            log.line(.narrator, "", "the first ticket comes in \(Int(webPause)) s: time to open the console and log in")
            try await Task.sleep(for: .milliseconds(Int64(webPause * 1000)))
            log.restart()
        }
        // A reader that goes away (`helpline demo | head`) must not kill the demo before
        // it stops the processes it started: writes to it fail quietly instead.
        signal(SIGPIPE, SIG_IGN)
        let interrupted = OnceFlag()
        let signals = SignalWatch([SIGINT, SIGTERM, SIGHUP]) { _ in
            interrupted.set()
            cast.cancelOpen(tally.openTickets)
        }
        defer { withExtendedLifetime(signals) {} }
        await play(cast, log: log, tally: tally, interrupted: interrupted)
        await cast.showStatus()
        let lost = summarize(log, tally)
        cast.stop()
        if interrupted.isSet { throw ExitCode(130) }
        if lost > 0 { throw ExitCode.failure }
    }

    /// The timeline: tickets on time, the two failures, and a hard stop.
    private func play(_ cast: DemoCast, log: DemoLog, tally: DemoTally, interrupted: OnceFlag) async {
        let speed = speed
        let start = log.start
        @Sendable func at(_ seconds: Double) async throws {
            try await Task.sleep(until: start + .milliseconds(Int64(seconds * 1000 / speed)))
        }
        await withTaskGroup(of: Bool.self) { group in
            for ticket in DemoScript.tickets {
                group.addTask {
                    guard (try? await at(ticket.at)) != nil, !interrupted.isSet else { return true }
                    await cast.agent(ticket.agent).ask(ticket)
                    return true
                }
            }
            group.addTask {
                guard (try? await at(DemoScript.bobWalksAway)) != nil else { return false }
                log.line(.narrator, "", "bob walks away from his desk without saying so: his console stays up, nobody answers")
                guard (try? await at(DemoScript.carolCrashes)) != nil else { return false }
                cast.crashCarol()
                guard (try? await at(DemoScript.hardStop)) != nil else { return false }
                log.line(.narrator, "", "time is up: the agents cancel what is still open")
                cast.cancelOpen(tally.openTickets)
                return false
            }
            var ticketsDone = 0
            for await isTicket in group where isTicket {
                ticketsDone += 1
                if ticketsDone == DemoScript.tickets.count { group.cancelAll() }
            }
        }
    }

    private func introduce(_ log: DemoLog) {
        let style = log.style
        log.emit(style.bold("Helpline demo") + " — a minute of a help desk where AI agents ask humans for help.")
        log.emit("""

              Three AI agents (shop-bot, bank-bot, telco-bot) raise tickets they cannot settle alone.
              The broker offers each to a human with the right skills: a HILA answers and hands the
              conversation back to the agent; a live agent takes the conversation over.

              \(style.green("ana  ")) HILA  refunds, billing   holds 3 at once
              \(style.green("bob  ")) HILA  refunds, accounts  holds 2       walks away at 25 s
              \(style.green("carol")) HILA  billing, policy    holds 3       a real `helpline work`; crashes at 35 s
              \(style.magenta("lee  ")) live agent, any skill   holds 2

            """)
    }

    /// Prints the summary; returns how many tickets were lost.
    private func summarize(_ log: DemoLog, _ tally: DemoTally) -> Int {
        let asked = tally["asked"]
        let outcomes = ["answered", "taken over", "expired", "cancelled", "failed"].map { ($0, tally[$0]) }
        let lost = asked - outcomes.reduce(0) { $0 + $1.1 }
        let style = log.style
        log.emit()
        log.emit(style.bold("Summary"))
        log.emit(
            "  \(asked) tickets asked: \(tally["answered"]) answered by HILAs, \(tally["taken over"]) taken over by a live agent, "
                + "\(tally["expired"]) expired, \(tally["cancelled"]) cancelled" + (tally["failed"] > 0 ? ", \(tally["failed"]) failed" : "") + ".")
        log.emit("  On the way: \(tally["transferred"]) transferred to live agents, \(tally["re-offered"]) re-offered to another HILA.")
        log.emit("  " + (lost == 0 ? style.green("lost=0") : style.red("lost=\(lost)")) + ": every ticket ended in exactly one outcome.")
        return lost
    }
}
