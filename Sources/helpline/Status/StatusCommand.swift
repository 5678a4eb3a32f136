import ArgumentParser
import Foundation
import HelplineClient
import HelplineWire

#if canImport(Glibc)
import Glibc
#endif

/// `helpline status`: the broker's REPORT as a table for people, or JSON for machines.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the broker's queues, workers and counts.",
        discussion: """
            Sends STATUS and prints the REPORT: waiting tickets per queue, each worker's \
            load, capacity and presence, and the broker's counters. Without CURVE the \
            broker answers only peers on loopback. Exit code 1 when the broker does not \
            answer in time.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the report as one line of JSON.")
    var json = false

    @Option(help: ArgumentHelp("Seconds to wait for the broker.", valueName: "seconds"))
    var timeout = 3.0

    @Flag(name: .customLong("no-color"), help: "No colours, even on a terminal.")
    var noColor = false

    func run() async throws {
        let report: Report
        let options = HelplineClient.Options(curve: try connection.keys.curve())
        do throws(HelplineClientError) {
            let client = try HelplineClient(endpoint: connection.endpoint, options: options)
            defer { client.close() }
            report = try await client.status(timeout: .milliseconds(Int64(timeout * 1000)))
        } catch {
            let message = error.kind == .timeout ? "no answer from a broker at \(connection.endpoint)" : error.description
            FileHandle.standardError.write(Data("helpline status: \(message)\n".utf8))
            throw ExitCode.failure
        }
        if json {
            print(StatusReport(report).json.rendered)
        } else {
            let style = Style(for: STDOUT_FILENO, disabled: noColor)
            print(StatusReport(report).table(endpoint: connection.endpoint, style: style), terminator: "")
        }
    }
}
