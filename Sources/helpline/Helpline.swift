import ArgumentParser

/// The `helpline` tool: broker, clients and consoles in one binary.
@main
struct Helpline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Helpline: route help requests from AI agents to the humans who unblock them.",
        subcommands: [BrokerCommand.self, KeygenCommand.self])
}
