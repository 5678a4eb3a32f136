import ArgumentParser
import Foundation
import HelplineWeb

/// `helpline web user add NAME --role hila --skill refunds`: adds (or replaces) a person in
/// the users file, asking for the password without echoing it.
struct WebUserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a person, or change one.")

    @Argument(help: "The login name, also the worker name at the broker.")
    var name: String

    @Option(help: "hila, live or supervisor; repeat for several.")
    var role: [String] = ["hila"]

    @Option(name: .customLong("skill"), help: ArgumentHelp("A skill; repeat for several.", valueName: "skill"))
    var skills: [String] = []

    @Option(help: "Tickets held at once (1–100).")
    var capacity = 3

    @Option(help: ArgumentHelp("The users file.", valueName: "file"))
    var users = "data/users.jsonl"

    @Flag(help: "Read the password from the first line of stdin (for scripts).")
    var passwordStdin = false

    func run() async throws {
        let password: String
        if passwordStdin {
            password = readLine(strippingNewline: true) ?? ""
        } else {
            guard let first = PasswordPrompt.read("Password for \(name): "), let again = PasswordPrompt.read("Again: ") else {
                throw ValidationError("no password given")
            }
            guard first == again else { throw ValidationError("the two passwords differ") }
            password = first
        }
        do {
            let user = try UserFile(path: users).add(name: name, password: password, roles: role, skills: skills, capacity: capacity)
            print("\(user.name): \(user.roles.joined(separator: ", ")); skills \(user.skills.isEmpty ? "none" : user.skills.joined(separator: ", ")); capacity \(user.capacity) → \(users)")
        } catch {
            throw ValidationError(error.description)
        }
    }
}
