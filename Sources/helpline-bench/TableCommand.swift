import ArgumentParser
import Foundation

/// `helpline-bench table <results.json>`: prints the tables of a saved run again (the
/// README's Figures section is pasted from this).
struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table", abstract: "Print the tables of a bench/results JSON file.")

    @Argument(help: "A file written by a run, under bench/results/.") var file: String

    func run() throws {
        let report = try JSONDecoder().decode(SuiteReport.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        print(Table.render(report), terminator: "")
    }
}
