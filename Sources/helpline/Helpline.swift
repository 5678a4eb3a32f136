import ArgumentParser

/// The `helpline` tool: broker, clients and consoles in one binary.
struct Helpline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Helpline: route help requests from AI agents to the humans who unblock them.",
        subcommands: [
            BrokerCommand.self, AskCommand.self, WorkCommand.self, StatusCommand.self, ConsoleCommand.self,
            DemoCommand.self, AuditCommand.self, KeygenCommand.self, WebCommand.self,
        ])
}

/// The entry point. `helpline broker` blocks its thread in `zmq_poll` for its whole life,
/// so it runs on the main thread, never on a thread of Swift's cooperative pool (which
/// must not block, and has only as many threads as cores); the other commands are async.
/// A synchronous start also lets valgrind's callgrind profile the broker (it crashes on
/// async entry points).
@main
enum HelplineMain {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == BrokerCommand.configuration.commandName {
            do {
                // The broker, or the help about it: both synchronous.
                var command = try Helpline.parseAsRoot(arguments)
                if command is AsyncParsableCommand { AsyncEntry.start() }
                try command.run()
                Helpline.exit()
            } catch {
                Helpline.exit(withError: error)
            }
        }
        AsyncEntry.start()
    }
}
