import Foundation
import HelplineTestSupport
import Testing

@testable import helpline

/// A broker and the `helpline work` processes a test starts against it, all stopped by
/// PID when the test ends.
final class Desk {
    let broker: BrokerProcess
    private var workers: [ToolProcess] = []

    init(brokerArguments: [String] = []) throws {
        broker = try BrokerProcess(arguments: brokerArguments)
    }

    var endpoint: String { broker.endpoint }

    /// Starts `helpline work` and waits until the broker has welcomed it.
    @discardableResult
    func work(name: String, skills: [String], role: String = "hila", capacity: Int = 1, exec: String) async throws -> ToolProcess {
        let arguments =
            ["work", "--endpoint", endpoint, "--name", name, "--role", role, "--capacity", "\(capacity)", "--exec", exec]
            + skills.flatMap { ["--skill", $0] }
        let worker = try ToolProcess(arguments)
        workers.append(worker)
        #expect(await worker.waitFor("\(name): registered"), "worker \(name) did not register: \(worker.errorOutput)")
        return worker
    }

    /// `helpline ask` to its end, with the endpoint filled in.
    func ask(_ arguments: [String], timeout: Duration = .seconds(20)) async throws -> (status: Int32, json: JSONValue, errors: String) {
        let result = try await ToolProcess.run(["ask", "--endpoint", endpoint] + arguments, timeout: timeout)
        let json = (try? JSONParser.parse(result.output)) ?? .null
        return (result.status, json, result.errors)
    }

    deinit {
        for worker in workers { worker.stop() }
        broker.stop()
    }
}
