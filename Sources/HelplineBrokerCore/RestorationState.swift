/// What restoring tickets from the journal leaves behind for a while: the grace during which
/// consoles re-register, and the tickets reserved for the workers that held them.
struct RestorationState: Sendable {
    /// End of the restore grace: reservations lapse, and HILA tickets may again be rerouted
    /// for lack of HILAs (until then consoles are re-registering).
    var graceUntil: Timestamp?
    /// Restored tickets reserved for each worker name that held them.
    var reservations: [String: [TicketHandle]] = [:]
}
