import ArgumentParser

/// The `helpline` tool: broker, clients and consoles in one binary.
@main
struct Helpline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Helpline: route help requests from AI agents to the humans who unblock them.",
        subcommands: [
            BrokerCommand.self, AskCommand.self, WorkCommand.self, StatusCommand.self, ConsoleCommand.self,
            DemoCommand.self, AuditCommand.self, KeygenCommand.self,
        ])
}
