import HelplineWire

/// What an echo worker process was asked to be (see `EchoWorkerCommand` for the flags).
struct EchoWorkerPlan: Sendable {
    var wire: BenchWire
    var endpoint: String
    var sockets: Int
    /// Worker names are `name-0`, `name-1`, ...: stable, so a reconnect re-attaches.
    var name: String
    var role: Role
    var capacity: Int
    /// 0: answer each ASSIGN at once (implicit accept). > 0: hold it this long first.
    var holdMilliseconds: Int
    /// An absent human: never accept or answer, keep heartbeating, report `away` after
    /// a REVOKE `accept-timeout` as the spec asks of a console.
    var absent: Bool
    var heartbeatMilliseconds: Int
    /// Report ready, assign, revoke, answer and welcome as event lines.
    var reportEvents: Bool
}
