import HelplineBrokerCore
import HelplineWire
import Testing

/// Journal helpers for the scenario tests: a harness that journals, splitting a step's
/// actions into records and sends, and driving the failure path like the loop does.
extension Harness {
    /// A harness whose core emits journal records. The restore grace (2 s) ends before
    /// consoles registered at the restart miss their third heartbeat.
    static func journaling(_ configure: (inout BrokerConfiguration) -> Void = { _ in }, start: Int64 = 0) -> Harness {
        var configuration = BrokerConfiguration(journaling: true, restoreGraceMilliseconds: 2_000)
        configure(&configuration)
        return Harness(configuration: configuration, start: start)
    }

    /// The loop's failure path: the batch did not commit. Returns what the core then sends.
    mutating func commitFails(_ batch: [Action], sourceLocation: SourceLocation = #_sourceLocation) -> [Action] {
        core.journalFailed(batch, now: now)
        #expect(BrokerInvariants.violations(of: core) == [], sourceLocation: sourceLocation)
        return core.takeActions()
    }

    /// The loop's success path after a batch committed.
    mutating func commitSucceeds(sourceLocation: SourceLocation = #_sourceLocation) -> [Action] {
        core.journalCommitted(now: now)
        #expect(BrokerInvariants.violations(of: core) == [], sourceLocation: sourceLocation)
        return core.takeActions()
    }

    /// Restores `tickets` into this (fresh) harness's core.
    @discardableResult
    mutating func restore(_ tickets: [RestoredTicket<String>], sourceLocation: SourceLocation = #_sourceLocation) -> RestoreSummary {
        let summary = core.restore(tickets, now: now)
        #expect(BrokerInvariants.violations(of: core) == [], sourceLocation: sourceLocation)
        return summary
    }

    /// ANSWER from console `number`.
    @discardableResult
    mutating func answer(_ id: String, from number: UInt64, decision: Decision = .approve, body: String? = nil) -> [Action] {
        send(.answer(Answer(ticket: id, decision: decision)), body: body, from: Harness.console(number))
    }
}

/// The journal records among `actions`, in order.
func records(_ actions: [Action]) -> [JournalRecord] {
    actions.compactMap { if case .journal(let record, _) = $0 { record } else { nil } }
}

/// The sends among `actions`, in order.
func sends(_ actions: [Action]) -> [Action] {
    actions.filter { if case .journal = $0 { false } else { true } }
}

/// A restored ticket with plain defaults, asked `age` ms before `now`.
func restored(
    _ id: String, sequence: UInt64, askedAt: Int64, stage: RestoredStage, skills: [String] = [], role: Role = .hila,
    priority: Int = 0, attempts: Int = 0, acceptedByHILA: Bool = false, answerBody: String? = nil,
    deadline: Int = WireDefaults.deadlineMilliseconds, maxWait: Int = WireDefaults.maxWaitMilliseconds
) -> RestoredTicket<String> {
    let ask = Ask(ticket: id, skills: skills, role: role, priority: priority, maxWaitMilliseconds: maxWait, deadlineMilliseconds: deadline)
    return RestoredTicket(
        ask: ask, bodyDigest: 7, askBody: "body-\(id)", sequence: sequence, askedAt: Timestamp(milliseconds: askedAt),
        stage: stage, attempts: attempts, acceptedByHILA: acceptedByHILA, answerBody: answerBody)
}
