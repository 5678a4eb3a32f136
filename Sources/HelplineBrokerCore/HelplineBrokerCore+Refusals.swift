import HelplineWire

extension HelplineBrokerCore {
    /// The loop refused a worker's command for who sent it (spec §"Authorization": a READY
    /// whose role, name or skills the peer's key does not grant): ERROR to that connection,
    /// then DISCONNECT; a worker registered on it is forgotten and its tickets re-offered.
    /// Counted in REPORT like every ERROR. The core never sees keys: the loop decides.
    @inlinable
    public mutating func refuseAndDisconnect(_ error: ErrorReply, from connection: ConnectionID, now: Timestamp) {
        state.refuseAndDisconnect(error, from: connection, now: now)
        resolveEmissions()
    }

    /// Adds `amount` to a count REPORT shows under `key`: for what the loop sees and the
    /// core does not (CURVE handshakes admitted and refused).
    @inlinable
    public mutating func addToCount(_ key: String, _ amount: Int = 1) {
        state.addToCount(key, amount)
    }
}
