import Foundation
import HelplinePeer
import HelplineWire
import HelplineWorker

/// A simulated human at a console, in this process: reads each ticket for a moment,
/// accepts, thinks, and decides as the script says; a live agent takes conversations over.
/// One can be told to walk away: its console keeps heartbeating, nobody answers.
struct DemoHuman: Sendable {
    let name: String
    let role: Role
    let worker: HelplineWorker
    let log: DemoLog
    let tally: DemoTally
    let speed: Double
    /// Demo seconds after which nobody answers at this console.
    let walksAwayAt: Double?

    private var actor: DemoLog.Actor { role == .live ? .live(name) : .hila(name) }

    init(
        name: String, role: Role, skills: [String], capacity: Int, endpoint: String, log: DemoLog, tally: DemoTally,
        speed: Double, walksAwayAt: Double? = nil
    ) throws {
        self.name = name
        self.role = role
        self.log = log
        self.tally = tally
        self.speed = speed
        self.walksAwayAt = walksAwayAt
        worker = try HelplineWorker(
            endpoint: endpoint, registration: WorkerRegistration(name: name, role: role, skills: skills, capacity: capacity))
    }

    private var present: Bool { walksAwayAt.map { log.elapsed < $0 } ?? true }

    /// Serves until the worker closes.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await follow() }
            for await ticket in worker.tickets {
                group.addTask { await handle(ticket) }
            }
        }
    }

    private func handle(_ ticket: OfferedTicket) async {
        if ticket.attempt > 1, role == .hila {
            tally.count("re-offered")
            log.line(actor, ticket.id, "re-offered to \(name) (attempt \(ticket.attempt))")
        } else {
            log.line(actor, ticket.id, role == .live ? "handed to \(name)" : "offered to \(name)")
        }
        // Reading the ticket: a second or two, as a person would.
        await pause(1.0...2.5, for: ticket.id)
        guard present else { return }
        if role == .live {
            try? worker.accept(ticket.id)
            return
        }
        try? worker.accept(ticket.id, lease: .milliseconds(Int64(DemoScript.lease / speed)))
        await pause(2.0...4.0, for: ticket.id)
        guard present else { return }
        let decision = DemoScript.tickets.first { $0.id == ticket.id }?.decision ?? .approve
        switch decision {
        case .option(let option): try? worker.answer(ticket.id, decision: .option, option: option)
        case .approve: try? worker.answer(ticket.id, decision: .approve)
        case .answer(let text): try? worker.answer(ticket.id, decision: .answer, body: AnswerBody(text: text).encoded())
        case .edit(let edited): try? worker.answer(ticket.id, decision: .edit, body: AnswerBody(edited: edited).encoded())
        case .transfer(let note):
            log.line(actor, ticket.id, "\(name) hands it to live agents: “\(note)”")
            try? worker.transfer(ticket.id, note: note)
        }
    }

    /// Revocations and presence, as the broker reports them to this console.
    private func follow() async {
        for await event in worker.events {
            switch event {
            case .revoked(let ticket, let reason):
                log.line(actor, ticket, "taken back from \(name): \(reason.rawValue)")
            case .presenceChanged(.away):
                log.line(actor, "", "the broker set \(name) away: a ticket waited past the accept timeout")
            default:
                break
            }
        }
    }

    /// A human-like wait, in demo seconds, the same for a ticket every run.
    private func pause(_ range: ClosedRange<Double>, for ticket: String) async {
        var hash: UInt64 = 1469598103934665603
        for byte in (name + ticket + "\(range.lowerBound)").utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        let fraction = Double(hash % 1000) / 1000
        let seconds = range.lowerBound + (range.upperBound - range.lowerBound) * fraction
        try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000 / speed)))
    }
}
