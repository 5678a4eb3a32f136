import HelplineWire

/// The figures `helpline audit --summary` prints: how tickets ended, how humans answered,
/// how long it took. Fed one history at a time, so a long journal is summarised in
/// constant memory apart from the answer times (kept for exact percentiles).
public struct AuditSummary: Sendable, Equatable {
    /// Tickets seen.
    public private(set) var tickets = 0
    /// Tickets still open.
    public private(set) var open = 0
    /// Tickets by outcome (`answered`, `taken_over`, `cancelled`, `expired`).
    public private(set) var outcomes: [String: Int] = [:]
    /// Answers by decision.
    public private(set) var decisions: [Decision: Int] = [:]
    /// Transfers to live agents by reason.
    public private(set) var transfers: [String: Int] = [:]
    /// Releases without an outcome (declines, revokes, lost holders) by reason.
    public private(set) var releases: [String: Int] = [:]
    /// Offers made, over all tickets.
    public private(set) var offers = 0
    private var answerTimes: [Int] = []

    /// An empty summary.
    public init() {}

    /// Counts one ticket.
    public mutating func add(_ history: TicketHistory) {
        tickets += 1
        for event in history.events {
            switch event.kind {
            case "offered": offers += 1
            case "transferred": transfers[event.reason ?? "?", default: 0] += 1
            case "released": releases[event.reason ?? "?", default: 0] += 1
            default: break
            }
        }
        guard let outcome = history.outcome else {
            open += 1
            return
        }
        outcomes[outcome.kind, default: 0] += 1
        if let decision = outcome.decision { decisions[decision, default: 0] += 1 }
        if outcome.kind == "answered", let elapsed = outcome.elapsedMilliseconds { answerTimes.append(elapsed) }
    }

    /// Answered tickets.
    public var answered: Int { outcomes["answered"] ?? 0 }

    /// Share of answers that approved what the agent proposed; nil without answers.
    public var approvalRate: Double? { rate(of: .approve) }

    /// Share of answers that edited what the agent proposed; nil without answers.
    public var editRate: Double? { rate(of: .edit) }

    /// Median milliseconds from ASK to ANSWER; nil without answers.
    public var medianTimeToAnswer: Int? { percentile(50) }

    /// 90th percentile of milliseconds from ASK to ANSWER; nil without answers.
    public var p90TimeToAnswer: Int? { percentile(90) }

    private func rate(of decision: Decision) -> Double? {
        answered == 0 ? nil : Double(decisions[decision] ?? 0) / Double(answered)
    }

    /// Nearest-rank percentile of the answer times.
    private func percentile(_ percent: Int) -> Int? {
        guard !answerTimes.isEmpty else { return nil }
        let sorted = answerTimes.sorted()
        let rank = max(1, (percent * sorted.count + 99) / 100)
        return sorted[min(sorted.count, rank) - 1]
    }
}
