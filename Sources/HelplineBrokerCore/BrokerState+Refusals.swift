import HelplineWire

extension BrokerState {
    /// The loop refused a worker's command for who sent it (a READY whose role, name or
    /// skills the key does not grant): ERROR, then DISCONNECT, to that connection; a worker
    /// registered on it is gone, as after any DISCONNECT the broker sends, and its tickets
    /// are re-offered at once.
    @usableFromInline
    mutating func refuseAndDisconnect(_ error: ErrorReply, from connection: ConnectionID, now: Timestamp) {
        let now = advance(to: now)
        defer { flushDirtyWorkers() }
        counters.countError(error.code)
        send(WorkerDirective.error(error), to: connection)
        send(.disconnect(reason: error.text), to: connection)
        if let worker = workersByConnection[connection] { unregister(worker, now: now) }
    }

    /// Adds to a count the loop keeps; REPORT shows it under `key` in `counts`.
    @usableFromInline
    mutating func addToCount(_ key: String, _ amount: Int) {
        counters.external[key, default: 0] += amount
    }
}
