/// The core's invariants, checked from the outside: the scenario tests run it after every
/// step and the fuzzer will too. Returns what is wrong, empty when all holds. O(everything):
/// never call it on a production path.
///
/// - every ticket is in exactly one state, and that state is mirrored exactly once (a
///   waiting ticket in one queue, a held one in its worker's list, a finished one in the
///   retention list), with the timers its state implies;
/// - no worker holds more than its capacity; load equals the tickets that name it holder;
///   no ticket is held by an unknown (dead) worker;
/// - every finished ticket produced exactly one final outcome;
/// - the indexes agree with the records: requirement heaps hold every available covering
///   worker (and no stranger), in heap order, at a rank no worse than its own (see
///   `BrokerState+Membership`); capability counts, queue heads, stage
///   counters, quotas and timer counts are exact;
/// - dispatch is complete: no ticket waits while a worker that may take it is free, and no
///   HILA ticket waits that no alive HILA could ever serve.
package enum BrokerInvariants {
    /// Everything that is wrong with `core`'s state; empty when every invariant holds.
    package static func violations<Body>(of core: HelplineBrokerCore<Body>) -> [String] {
        var problems = core.state.ticketViolations()
        problems += core.state.workerViolations()
        problems += core.state.indexViolations()
        problems += core.state.dispatchViolations()
        if !core.state.emissions.isEmpty { problems.append("emissions left unresolved") }
        return problems
    }
}
