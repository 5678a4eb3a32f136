import HelplineWire
import HelplineWorker

/// Every person's ``Desk``, by name, and the tabs that show each. The first tab opens the
/// desk (one worker registration); the last tab to close starts the reconnect grace, after
/// which the desk closes and the broker re-offers its tickets. A tab that comes back within
/// the grace (a reload, a short network blip) finds everything as it was.
actor DeskRegistry {
    private let endpoint: String
    private let options: HelplineWorker.Options
    private let grace: Duration
    private var desks: [String: Desk] = [:]
    private var tabCounts: [String: Int] = [:]
    /// Bumped on every attach, so a grace timer started before it does nothing.
    private var generations: [String: Int] = [:]
    private var nextTab = 0

    init(endpoint: String, options: HelplineWorker.Options, grace: Duration) {
        self.endpoint = endpoint
        self.options = options
        self.grace = grace
    }

    /// A new tab for `user`: its id and the person's desk (opened if this is their first).
    func attach(_ user: WebUser) throws(WebSetupError) -> (tab: Int, desk: Desk) {
        guard let role = user.workerRole else { throw WebSetupError("\(user.name) has no role that works tickets (hila or live).") }
        nextTab += 1
        generations[user.name, default: 0] += 1
        tabCounts[user.name, default: 0] += 1
        if let desk = desks[user.name] { return (nextTab, desk) }
        let desk: Desk
        do throws(HelplineWorkerError) {
            desk = try Desk(user: user, role: role, endpoint: endpoint, options: options)
        } catch {
            tabCounts[user.name, default: 1] -= 1
            throw WebSetupError("cannot register \(user.name) at the broker: \(error.message)")
        }
        desks[user.name] = desk
        Task { await desk.start() }
        return (nextTab, desk)
    }

    /// A tab closed; the last one starts the grace.
    func detach(_ name: String, tab: Int) async {
        await desks[name]?.detach(tab)
        tabCounts[name, default: 1] -= 1
        guard tabCounts[name] == 0 else { return }
        let generation = generations[name, default: 0]
        let grace = grace
        Task {
            try? await Task.sleep(for: grace)
            await self.expire(name, generation: generation)
        }
    }

    private func expire(_ name: String, generation: Int) async {
        guard tabCounts[name] == 0, generations[name] == generation, let desk = desks.removeValue(forKey: name) else { return }
        tabCounts[name] = nil
        await desk.close()
    }

    /// Closes every desk (the server is stopping).
    func closeAll() async {
        let all = desks.values
        desks = [:]
        for desk in all { await desk.close() }
    }

    /// How many people have a desk open (for tests and the log).
    var openDesks: Int { desks.count }
}
