import ArgumentParser

/// `helpline web`: the HILA and live-agent console in the browser (module HelplineWeb).
struct WebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "The console in the browser: people log in and answer tickets.",
        subcommands: [WebServeCommand.self, WebUserCommand.self],
        defaultSubcommand: WebServeCommand.self)
}

/// `helpline web user`: manage the users file.
struct WebUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage the people who may log in.", subcommands: [WebUserAddCommand.self])
}
