import HelplineWire

/// 1-HLP.md §Heartbeating: the broker's HEARTBEAT to each worker once per interval, and a
/// worker's death after `liveness` silent intervals (then `+AbsentHumans` takes over).
extension BrokerState {
    /// 1-HLP.md [R36].
    /// Arms a worker's one timer at its next heartbeat or its death, whichever comes first.
    mutating func armHeartbeat(of worker: WorkerHandle) {
        let schedule = workers[worker].heartbeat
        let death = schedule.lastSeen.advanced(by: schedule.intervalMilliseconds * Int64(configuration.effectiveLiveness))
        workers[worker].heartbeat.timer = arm(.heartbeat, target: worker.slot, due: min(schedule.nextSend, death))
    }

    /// 1-HLP.md [R36], [R38].
    /// Silent for liveness × interval: dead, its tickets re-dispatched. Otherwise send the
    /// HEARTBEAT that is due and re-arm: messages only moved `lastSeen`, never the heap.
    mutating func heartbeatDue(_ worker: WorkerHandle, now: Timestamp) {
        let schedule = workers[worker].heartbeat
        let death = schedule.lastSeen.advanced(by: schedule.intervalMilliseconds * Int64(configuration.effectiveLiveness))
        if now >= death {
            counters.deadWorkers += 1
            unregister(worker, now: now)
            return
        }
        if now >= schedule.nextSend {
            send(WorkerDirective.heartbeat, to: workers[worker].connection)
            workers[worker].heartbeat.nextSend = now.advanced(by: schedule.intervalMilliseconds)
        }
        armHeartbeat(of: worker)
    }
}
