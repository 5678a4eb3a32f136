import ArgumentParser
import HelplineWire
import HelplineWorker

/// Who a worker is: the READY fields, shared by `helpline work` and `helpline console`.
struct WorkerOptions: ParsableArguments {
    @Option(help: "The worker's stable name (1–64 bytes); the broker knows it by it across reconnects.")
    var name: String

    @Option(help: "hila (answers tickets) or live (takes conversations over).")
    var role = Role.hila

    @Option(name: .customLong("skill"), help: ArgumentHelp("A skill the worker has; repeat for several.", valueName: "skill"))
    var skills: [String] = []

    @Option(help: "Tickets held at once (1–100).")
    var capacity = WireDefaults.capacity

    func validate() throws {
        guard (1...WireLimits.maxCapacity).contains(capacity) else {
            throw ValidationError("--capacity must be 1 to \(WireLimits.maxCapacity).")
        }
    }

    var registration: WorkerRegistration {
        WorkerRegistration(name: name, role: role, skills: skills, capacity: capacity)
    }

    /// Connects and registers (in the background); a refusal before sending (an invalid
    /// name, too many skills) is a usage error.
    func connect(to connection: ConnectionOptions) throws -> HelplineWorker {
        let options = HelplineWorker.Options(curve: try connection.keys.curve())
        do {
            return try HelplineWorker(endpoint: connection.endpoint, registration: registration, options: options)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
