import ArgumentParser
import Dispatch
import Foundation
import HelplineClient
import HelplineWire

#if canImport(Glibc)
import Glibc
#endif

/// `helpline ask`: one ticket from the shell; the outcome as JSON, the exit code says which.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Ask a human one question and print the outcome as JSON.",
        discussion: """
            Raises one ticket, waits for its outcome and prints it as one line of JSON on \
            stdout, for scripts and agents in any language, such as
              {"id":"t-1","outcome":"answered","decision":"approve","worker":"ana"}
            where outcome is answered, taken_over (a live agent took the conversation \
            over), transferred (--no-wait-live), expired, cancelled or error. Ctrl-C \
            cancels the ticket at the broker.

            Exit codes:
              0  answered by a HILA
              1  error (refused, no broker, bad arguments)
              2  transferred to live agents / taken over by a live agent
              3  expired: nobody took it before its deadline
              4  cancelled
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var body: AskBodyOptions

    @Option(name: .customLong("skill"), help: ArgumentHelp("A skill the human must have; repeat for several.", valueName: "skill"))
    var skills: [String] = []

    @Option(name: .customLong("option"), help: ArgumentHelp("A response option offered as a button; repeat in order.", valueName: "option"))
    var options: [String] = []

    @Option(help: "0 (lowest) to 9 (highest).")
    var priority = WireDefaults.priority

    @Option(help: "hila (answers, the agent keeps the conversation) or live (takes it over).")
    var role = WireDefaults.role

    @Option(name: .customLong("max-wait"), help: ArgumentHelp("Seconds to wait for a HILA before going to live agents.", valueName: "seconds"))
    var maxWait = Double(WireDefaults.maxWaitMilliseconds) / 1000

    @Option(help: ArgumentHelp("Seconds until the ticket expires.", valueName: "seconds"))
    var deadline = Double(WireDefaults.deadlineMilliseconds) / 1000

    @Option(help: "The ticket id, the idempotency key (default: a random UUID). Asking again with the same id and content returns the same ticket's outcome.")
    var id: String?

    @Flag(name: .customLong("no-wait-live"), help: "Stop waiting when the ticket moves to live agents (exit 2); it stays in their queue.")
    var noWaitLive = false

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds to wait for the broker to acknowledge the ticket.", valueName: "seconds"))
    var connectTimeout = 5.0

    @Flag(name: .shortAndLong, help: "Print the ticket's progress (queued, assigned, transferred) on stderr.")
    var verbose = false

    func validate() throws {
        guard maxWait >= 0, deadline > 0, connectTimeout > 0 else {
            throw ValidationError("--max-wait must be ≥ 0; --deadline and --connect-timeout > 0.")
        }
    }

    func run() async throws {
        let request: TicketRequest
        do {
            request = TicketRequest(
                id: id ?? UUID().uuidString.lowercased(), skills: skills, role: role, priority: priority,
                options: options, maxWait: .milliseconds(Int64(maxWait * 1000)),
                deadline: .milliseconds(Int64(deadline * 1000)), body: try body.encodedBody())
        } catch let error as JSONParser.Failure {
            throw ValidationError("--body: \(error)")
        }
        let result = await AskSession(
            endpoint: connection.endpoint, request: request, noWaitLive: noWaitLive,
            connectTimeout: .milliseconds(Int64(connectTimeout * 1000)), verbose: verbose,
            curve: try connection.keys.curve()
        ).run()
        print(result.json(ticket: request.id).rendered)
        fflush(nil)  // all streams: `stdout` itself is not concurrency-safe to name in Swift 6
        if case .failure(let message) = result {
            FileHandle.standardError.write(Data("helpline ask: \(message)\n".utf8))
        }
        let status = result.exitStatus
        if status != .answered { throw ExitCode(status.rawValue) }
    }
}
