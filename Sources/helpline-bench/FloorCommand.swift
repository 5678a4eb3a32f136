import ArgumentParser
import Foundation
import ZeroMQ

/// `helpline-bench floor <kind>`: one floor scenario at full size (a million tickets waiting,
/// twenty thousand consoles, a 30-minute soak), too big for `make bench`. See bench/README.md.
struct FloorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floor",
        abstract: "One big-floor scenario: finished, waiting, consoles or soak (defaults: the issue's sizes).")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case finished, waiting, consoles, soak
    }

    @Argument(help: "finished, waiting, consoles or soak.") var kind: Kind
    @Option(help: "finished/waiting: tickets in all.") var tickets: Int?
    @Option(help: "finished/waiting: tickets per load-client batch.") var batch: Int?
    @Option(help: "Body bytes per ticket.") var body = 200
    @Option(help: "consoles: consoles connected at once.") var consoles: Int?
    @Option(help: "consoles: consoles per echo-worker process.") var perProcess = 1_000
    @Option(name: .customLong("heartbeat-ms"), help: "consoles: heartbeat interval.") var heartbeatMilliseconds = 1_000
    @Option(name: .customLong("idle-ms"), help: "consoles: how long the idle broker's CPU is measured.") var idleMilliseconds = 10_000
    @Option(help: "soak: how long it runs.") var minutes = 30.0
    @Option(help: "soak: seconds per sample.") var sampleSeconds = 60
    @Option(help: "soak: tickets/s (default: half of Helpline's journaled maximum, measured first).") var rate: Int?
    @Option(name: .customLong("retention-ms"), help: "soak: the broker's --retention-ms.") var retentionMilliseconds = 60_000
    @Option(
        name: .customLong("broker-arg"), parsing: .unconditionalSingleValue,
        help: "An argument for every helpline broker the bench starts.")
    var brokerArguments: [String] = []
    @Option(help: "Where to write the JSON (default: bench/results/ in the checkout).") var resultsDir: String?
    @Flag(help: "Write no JSON file.") var noJSON = false

    func run() throws {
        var plan = SuitePlan.smoke
        plan.name = "floor-\(kind.rawValue)"
        plan.finished = []
        plan.waiting = []
        plan.consoles = []
        plan.soak = []
        switch kind {
        case .finished:
            plan.finished = [FinishedSpec(tickets: tickets ?? 60_000, batch: batch ?? 10_000, bodyBytes: body)]
        case .waiting:
            plan.waiting = [WaitingSpec(tickets: tickets ?? 1_000_000, batch: batch ?? 50_000, bodyBytes: body)]
        case .consoles:
            plan.consoles = [
                ConsolesSpec(
                    consoles: consoles ?? 20_000, perProcess: max(1, perProcess), heartbeatMilliseconds: heartbeatMilliseconds,
                    idleMilliseconds: idleMilliseconds)
            ]
        case .soak:
            plan.soak = [
                SoakSpec(
                    minutes: minutes, sampleSeconds: max(1, sampleSeconds), rate: rate, retentionMilliseconds: retentionMilliseconds,
                    bodyBytes: body)
            ]
        }
        var tools = try BenchTools.locate(forwarder: nil)
        tools.brokerArguments = brokerArguments
        let version = ZMQ.version
        var report = SuiteReport(
            suite: plan.name, date: RunCommand.timestamp(), command: RunCommand.commandLine(),
            machine: MachineInfo.current(libzmq: "\(version.major).\(version.minor).\(version.patch)"), plan: plan)
        FileHandle.standardError.write(Data("helpline-bench \(plan.name): running…\n".utf8))
        let started = BenchClock.now()
        SuiteRunner(
            plan: plan, tools: tools, mdpEndpoint: nil, mdpPID: nil, brokerLogLevel: "warning", only: [kind.rawValue]
        ).run(into: &report)
        report.notes.append("run took \(Table.fixed(Double(BenchClock.now() - started) / 1e9, 0)) s")
        print(Table.render(report), terminator: "")
        if !noJSON {
            print("json: \(try RunCommand.write(report, root: tools.root, resultsDir: resultsDir))")
        }
    }
}
