import HelplineBrokerCore
import HelplineWire
import Testing

/// Who gets a ticket: eligibility, least-loaded, longest idle, priorities.
@Suite struct DispatchTests {
    @Test("[R23], [R56] ask_whenAHILAIsFree_acknowledgesThenAssigns") func ask_whenAHILAIsFree_acknowledgesThenAssigns() {
        var h = Harness()
        #expect(h.ready("ann", console: 1) == [Harness.welcome(to: 1)])
        #expect(h.ask("t1", options: ["yes", "no"]) == [Harness.offeredAck("t1"), h.assign("t1", to: 1, options: ["yes", "no"])])
        #expect(h.core.ticket("t1")?.stage == "offered")
        #expect(h.core.worker("ann")?.load == 1)
    }

    @Test("[R20] eligibility_needsRoleSkillsActivePresenceAndRoom") func eligibility_needsRoleSkillsActivePresenceAndRoom() {
        var h = Harness()
        h.ready("es", console: 1, skills: ["es"])
        h.ready("en", console: 2, skills: ["en", "billing"])
        h.ready("live", console: 3, role: .live, skills: ["es", "billing"])
        h.ready("away", console: 4, skills: ["es", "billing"], presence: .away)
        // Only "en" has billing, is a HILA, active and free.
        #expect(h.ask("t1", skills: ["billing"]) == [Harness.offeredAck("t1"), h.assign("t1", to: 2, skills: ["billing"])])
        // "en" is full, "away" is away, "live" is the wrong role: it waits (a HILA could serve it).
        #expect(h.ask("t2", skills: ["billing"]) == [Harness.queued("t2", position: 0)])
        #expect(h.ask("t3", skills: ["es"]) == [Harness.offeredAck("t3"), h.assign("t3", to: 1, skills: ["es"])])
        // Back at the console, "away" takes the ticket it is eligible for.
        #expect(h.send(.heartbeat(presence: .active), from: Harness.console(4)) == [h.assign("t2", to: 4, skills: ["billing"])])
    }

    @Test("[R20] eligibility_duplicateSkillsMeanTheSame") func eligibility_duplicateSkillsMeanTheSame() {
        var h = Harness()
        h.ready("ann", console: 1, skills: ["es", "es"])
        #expect(h.ask("t1", skills: ["es", "es"]) == [Harness.offeredAck("t1"), h.assign("t1", to: 1, skills: ["es", "es"])])
    }

    @Test("[R21] dispatch_picksLeastLoadedThenLongestIdle") func dispatch_picksLeastLoadedThenLongestIdle() {
        var h = Harness()
        h.ready("a", console: 1, capacity: 2)
        h.ready("b", console: 2, capacity: 4)
        h.ready("c", console: 3, capacity: 2)
        // All idle and never assigned: the earliest registered.
        #expect(h.ask("t1").last == h.assign("t1", to: 1))
        // a is at 1/2; b and c at 0: tie, both never assigned, b registered first.
        #expect(h.ask("t2").last == h.assign("t2", to: 2))
        // a 1/2, b 1/4, c 0.
        #expect(h.ask("t3").last == h.assign("t3", to: 3))
        // a 1/2, b 1/4, c 1/2: b is least loaded.
        #expect(h.ask("t4").last == h.assign("t4", to: 2))
        // All at 1/2: the one idle longest (least recently assigned) is a.
        #expect(h.ask("t5").last == h.assign("t5", to: 1))
        // a answers t1: a at 1/2 again, assigned at t5; b (t4) and c (t3) also 1/2: c idle longest.
        h.send(.answer(Answer(ticket: "t1", decision: .approve)), from: Harness.console(1))
        #expect(h.ask("t6").last == h.assign("t6", to: 3))
    }

    @Test("[R22] priorities_higherFirst_fifoWithinAPriority") func priorities_higherFirst_fifoWithinAPriority() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("busy")
        #expect(h.ask("p0-first", priority: 0) == [Harness.queued("p0-first", position: 0)])
        #expect(h.ask("p5-first", priority: 5) == [Harness.queued("p5-first", position: 0)])
        #expect(h.ask("p5-second", priority: 5) == [Harness.queued("p5-second", position: 1)])
        #expect(h.ask("p9", priority: 9) == [Harness.queued("p9", position: 0)])
        #expect(h.ask("p0-second", priority: 0) == [Harness.queued("p0-second", position: 4)])
        var served: [String] = []
        var current = "busy"
        for _ in 0..<5 {
            let actions = h.send(.answer(Answer(ticket: current, decision: .approve)), from: Harness.console(1))
            guard case .sendToWorker(_, .assign(let assign), _)? = actions.last else {
                Issue.record("no ASSIGN after ANSWER")
                return
            }
            served.append(assign.ticket)
            current = assign.ticket
        }
        #expect(served == ["p9", "p5-first", "p5-second", "p0-first", "p0-second"])
    }

    @Test("[R24] freedWorker_takesHighestPriorityOldestTicketItIsEligibleFor") func freedWorker_takesHighestPriorityOldestTicketItIsEligibleFor() {
        var h = Harness()
        h.ready("xy", console: 1, skills: ["x", "y"])
        h.ready("z", console: 2, skills: ["z"])
        h.ask("busy-xy", skills: ["x"])
        h.ask("busy-z", skills: ["z"])
        h.ask("x-old", skills: ["x"], priority: 1)
        h.ask("z-urgent", skills: ["z"], priority: 9)
        h.ask("y-new", skills: ["y"], priority: 1)
        h.ask("any-newest", priority: 1)
        let actions = h.send(.answer(Answer(ticket: "busy-xy", decision: .approve)), from: Harness.console(1))
        #expect(actions.last == h.assign("x-old", to: 1, skills: ["x"], priority: 1))
        let next = h.send(.answer(Answer(ticket: "x-old", decision: .approve)), from: Harness.console(1))
        #expect(next.last == h.assign("y-new", to: 1, skills: ["y"], priority: 1))
        #expect(h.core.ticket("z-urgent")?.stage == "waiting")
    }

    @Test("[R24] newWorker_takesWaitingTicketsUpToItsCapacity") func newWorker_takesWaitingTicketsUpToItsCapacity() {
        var h = Harness()
        h.ready("a", console: 1)
        h.ask("busy")
        h.ask("w1")
        h.ask("w2", priority: 3)
        h.ask("w3")
        let actions = h.ready("b", console: 2, capacity: 2)
        #expect(actions == [Harness.welcome(to: 2), h.assign("w2", to: 2, priority: 3), h.assign("w1", to: 2)])
        #expect(h.core.ticket("w3")?.stage == "waiting")
    }
}
