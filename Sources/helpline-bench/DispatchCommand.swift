import ArgumentParser
import Foundation

/// `helpline-bench dispatch`: one dispatch setting on its own, for profiling
/// (`valgrind --tool=callgrind helpline-bench dispatch --workers 10000 --waiting 100000`).
struct DispatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch", abstract: "Measure the routing core in-process for one setting.")

    @Option(help: "Registered workers.") var workers = 10_000
    @Option(help: "Tickets waiting while every worker is full (0: workers idle).") var waiting = 100_000
    @Option(help: "Distinct skills.") var skills = 200
    @Option(help: "Operations timed per kind.") var operations = 20_000

    func run() throws {
        let row = DispatchScenario.run(DispatchSpec(workers: workers, waiting: waiting, skills: skills, operations: operations))
        print("\(row.scenario): \(SuiteRunner.describe(row)), setup \(Table.fixed(row.setupSeconds, 2)) s")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(row), as: UTF8.self))
    }
}
