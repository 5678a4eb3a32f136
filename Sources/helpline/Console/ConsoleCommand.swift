import ArgumentParser
import Dispatch
import Foundation
import HelplinePeer
import HelplineWire
import HelplineWorker

#if canImport(Glibc)
import Glibc
#endif

/// `helpline console`: a human's terminal console (HILA, or live agent with --role live).
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The human's terminal console: see tickets, accept, answer, hand over.",
        discussion: """
            Registers as a worker and shows the tickets offered to you, each with its timer \
            (time left to accept, or time held), priority and skills, and the selected \
            ticket's prompt, context, customer, proposal, transcript and options.

            Keys (HILA): ↑↓ choose · a accept · 1-9 pick an option · y approve · n reject · \
            t answer in your words · e edit the proposal · l hand over to a live agent · \
            d decline · p step away · ? help · q quit.
            Keys (--role live): ↑↓ choose · a take the conversation over · d decline.

            With no key for --idle seconds your presence turns away (no new tickets); the \
            next key brings you back. Needs a terminal of at least 30×8; 80×24 shows the \
            list beside the ticket.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var identity: WorkerOptions

    @Option(help: ArgumentHelp("Seconds without a key press before you are away.", valueName: "seconds"))
    var idle = 120.0

    @Flag(name: .customLong("no-bell"), help: "Do not ring the terminal bell for new tickets.")
    var noBell = false

    @Flag(name: .customLong("no-color"), help: "Draw without colours.")
    var noColor = false

    func validate() throws {
        guard idle > 0 else { throw ValidationError("--idle must be > 0.") }
    }

    func run() async throws {
        let worker = try identity.connect(to: connection)
        let terminal: TerminalMode
        do {
            terminal = try TerminalMode()
        } catch {
            worker.close()
            throw ValidationError(error.description)
        }
        let settings = ConsoleState.Settings(
            name: identity.name, role: identity.role, skills: identity.skills, capacity: identity.capacity,
            idleTimeout: Int64(idle * 1000))
        let driver = ConsoleDriver(
            worker: worker, terminal: terminal, settings: settings, bell: !noBell,
            colors: !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        await driver.run()
        terminal.restore()
        worker.close()
    }
}
