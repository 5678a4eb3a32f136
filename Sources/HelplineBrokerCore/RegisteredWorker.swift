import HelplineWire

/// A registered worker as its READY declared it, for the loop's checks that depend on
/// things the core never sees (the key a connection authenticated with).
public struct RegisteredWorker: Equatable, Sendable {
    /// The name it registered under.
    public var name: String
    /// The connection it is registered on.
    public var connection: ConnectionID
    public var role: Role
    /// Its distinct skills, as declared.
    public var skills: [String]
}

extension HelplineBrokerCore {
    /// Every registered worker, in registration-slot order (deterministic).
    public var registeredWorkers: [RegisteredWorker] {
        state.workers.handles.map { handle in
            let record = state.workers[handle]
            return RegisteredWorker(name: record.name, connection: record.connection, role: record.role, skills: record.skills)
        }
    }

    /// How many workers are registered.
    public var registeredWorkerCount: Int { state.workers.count }

    /// Whether a worker is registered on `connection`.
    public func hasWorker(on connection: ConnectionID) -> Bool {
        state.workersByConnection[connection] != nil
    }
}
