import ArgumentParser
import Foundation
import ZeroMQ

/// `helpline-bench`: proves Helpline fast and lossless, every figure beside a baseline
/// measured in the same invocation. See bench/README.md.
///
/// A synchronous `@main` on purpose: valgrind's callgrind crashes on async mains, and the
/// dispatch scenario is meant to be run under it.
@main
struct HelplineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "helpline-bench",
        abstract: "Benchmark Helpline against a C forwarder and Majordomo; check failover and presence.",
        subcommands: [RunCommand.self, FloorCommand.self, DispatchCommand.self, TableCommand.self, LoadClientCommand.self, EchoWorkerCommand.self],
        defaultSubcommand: RunCommand.self)
}

/// The default subcommand: run a suite, print the tables, write the JSON.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the default suite (or --quick, --smoke).")

    @Flag(help: "A ~30 s run: one of each scenario, short.") var quick = false
    @Flag(help: "A tiny roundtrip and dispatch run, for the test suite.") var smoke = false
    @Option(
        parsing: .upToNextOption,
        help: "Only these scenario kinds: roundtrip, dispatch, failover, presence, finished, waiting, consoles, soak.") var only: [String] = []
    @Option(help: "A Majordomo (7/MDP v0.1) broker to compare with, e.g. tcp://127.0.0.1:5555.") var mdpEndpoint: String?
    @Option(help: "Its PID, to measure its CPU per ticket.") var mdpPid: Int32?
    @Option(help: "Runs per headline figure (default: 5; --quick: 1).") var repeats: Int?
    @Option(name: .customLong("measure-ms"), help: "Measurement window of each roundtrip run.") var measureMilliseconds: Int?
    @Option(help: "Load-client processes the agents are spread over.") var clientProcesses: Int?
    @Option(help: "Echo-worker processes the consoles are spread over.") var workerProcesses: Int?
    @Option(help: "The broker's --log-level during roundtrip runs (info logs every ticket).") var brokerLogLevel = "warning"
    @Option(
        name: .customLong("broker-arg"), parsing: .unconditionalSingleValue,
        help: "An argument for every helpline broker the bench starts (repeat: --broker-arg --sync --broker-arg full).")
    var brokerArguments: [String] = []
    @Option(help: "A prebuilt forwarder (default: .build/bench-forwarder, built from bench/forwarder.c).") var forwarder: String?
    @Option(help: "Where to write the JSON (default: bench/results/ in the checkout).") var resultsDir: String?
    @Flag(help: "Write no JSON file.") var noJSON = false

    func run() throws {
        var plan = smoke ? SuitePlan.smoke : quick ? SuitePlan.quick : SuitePlan.standard
        if let repeats { plan.repeats = max(1, repeats) }
        if let measureMilliseconds { plan.timing.measureMilliseconds = measureMilliseconds }
        if let clientProcesses { plan.timing.clientProcesses = max(1, clientProcesses) }
        if let workerProcesses { plan.timing.workerProcesses = max(1, workerProcesses) }
        var tools = try BenchTools.locate(forwarder: forwarder)
        tools.brokerArguments = brokerArguments
        let version = ZMQ.version
        var report = SuiteReport(
            suite: plan.name, date: Self.timestamp(), command: Self.commandLine(),
            machine: MachineInfo.current(libzmq: "\(version.major).\(version.minor).\(version.patch)"), plan: plan)
        if mdpEndpoint == nil && !smoke {
            report.notes.append("no --mdp-endpoint: the Majordomo comparison was not run (see bench/README.md)")
        }
        FileHandle.standardError.write(Data("helpline-bench \(plan.name): running…\n".utf8))
        let started = BenchClock.now()
        SuiteRunner(
            plan: plan, tools: tools, mdpEndpoint: mdpEndpoint, mdpPID: mdpPid, brokerLogLevel: brokerLogLevel,
            only: Set(only)
        ).run(into: &report)
        report.notes.append("suite took \(Table.fixed(Double(BenchClock.now() - started) / 1e9, 0)) s")
        print(Table.render(report), terminator: "")
        if !noJSON {
            let path = try Self.write(report, root: tools.root, resultsDir: resultsDir)
            print("json: \(path)")
        }
    }

    static func write(_ report: SuiteReport, root: URL, resultsDir: String?) throws -> String {
        let directory = resultsDir.map { URL(fileURLWithPath: $0) } ?? root.appendingPathComponent("bench/results")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("\(report.suite)-\(Self.timestamp(format: "yyyyMMdd-HHmmss")).json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: file)
        return file.path
    }

    static func timestamp(format: String = "yyyy-MM-dd HH:mm:ss 'UTC'") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: Date())
    }

    static func commandLine() -> String {
        (["helpline-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }
}
