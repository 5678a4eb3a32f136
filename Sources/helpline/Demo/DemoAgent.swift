import Foundation
import HelplineClient
import HelplinePeer
import HelplineWire

/// A simulated AI agent: raises its script's tickets on time and reports what the humans
/// did with each.
struct DemoAgent: Sendable {
    let name: String
    let client: HelplineClient
    let log: DemoLog
    let tally: DemoTally
    let speed: Double

    init(name: String, endpoint: String, log: DemoLog, tally: DemoTally, speed: Double) throws {
        self.name = name
        self.log = log
        self.tally = tally
        self.speed = speed
        client = try HelplineClient(endpoint: endpoint)
    }

    /// Asks `ticket` and follows it to its outcome.
    func ask(_ ticket: DemoTicket) async {
        let request = TicketRequest(
            id: ticket.id, skills: ticket.skills, role: ticket.role, priority: ticket.priority, options: ticket.options,
            maxWait: .milliseconds(Int64(DemoScript.maxWait / speed)),
            deadline: .milliseconds(Int64(DemoScript.deadline / speed)), body: ticket.body)
        let wants = ticket.role == .live ? "a live agent" : "a HILA with " + ticket.skills.joined(separator: "+")
        log.line(.agent(name), ticket.id, "asks \(wants)\(ticket.priority > 0 ? " (P\(ticket.priority))" : ""): “\(ticket.body.prompt)”")
        let handle: TicketHandle
        do {
            handle = try client.submit(request)
        } catch {
            log.line(.agent(name), ticket.id, "could not ask: \(error)")
            return
        }
        tally.asked(ticket.id)
        let events = Task {
            for await event in handle.events {
                switch event {
                case .assigned(let worker, _):
                    log.line(.agent(name), ticket.id, "accepted by \(worker)")
                case .transferred(let reason, _):
                    tally.count("transferred")
                    log.line(.agent(name), ticket.id, "→ live agents: \(Self.explain(reason))")
                case .queued:
                    break
                }
            }
        }
        let outcome: String
        do throws(HelplineClientError) {
            outcome = report(try await handle.outcome(), ticket: ticket.id)
        } catch {
            outcome = "failed"
            log.line(.agent(name), ticket.id, "failed: \(error)")
        }
        await events.value
        tally.finished(ticket.id, outcome)
    }

    /// Cancels a ticket still open at the end of the demo.
    func cancel(_ id: String) {
        client.cancel(ticket: id)
    }

    private func report(_ outcome: Outcome, ticket: String) -> String {
        switch outcome {
        case .answered(let answer):
            let what: String
            switch answer.decision {
            case .option: what = "picked “\(answer.option ?? "")”"
            case .approve: what = "approved"
            case .reject: what = "rejected"
            case .answer: what = "answered “\((answer.text ?? "").truncated(toWidth: 48))”"
            case .edit: what = "edited it: “\(answer.edited.map { DemoAgent.text($0) }?.truncated(toWidth: 44) ?? "")”"
            }
            log.line(.agent(name), ticket, "✓ \(answer.worker) \(what) in \(TimeFormat.span(milliseconds: Int64(Double(answer.elapsed.wholeMilliseconds) * speed)))")
            return "answered"
        case .takenOver(let worker):
            log.line(.agent(name), ticket, "✓ \(worker) took the conversation over")
            return "taken over"
        case .expired:
            log.line(.agent(name), ticket, "✕ expired: nobody took it in time")
            return "expired"
        case .cancelled:
            log.line(.agent(name), ticket, "cancelled")
            return "cancelled"
        }
    }

    private static func text(_ value: BodyValue) -> String {
        value.stringValue ?? JSONValue(value).rendered
    }

    private static func explain(_ reason: TransferReason) -> String {
        switch reason {
        case .requested: "asked for"
        case .noHILA: "no HILA has these skills (no-hila)"
        case .maxWait: "no HILA took it in time (max-wait)"
        case .hila: "a HILA handed it over (hila)"
        case .hilaLost: "its HILA is gone and no other can take it (hila-lost)"
        }
    }
}
