import HelplineWire

/// What the core asks the broker loop to do, in order. The loop performs them and nothing else.
///
/// `Body` is the opaque ticket or answer body (a ZeroMQ frame in the loop, a `String` in
/// tests): the core stores and forwards it and never looks inside.
/// With journaling on, `.journal` records come too: the loop commits every record of one
/// wake-up before it performs that wake-up's sends.
public enum BrokerAction<Body> {
    /// Send a reply on the client sub-protocol (`HLPC01`), with a body frame when present.
    case sendToClient(ConnectionID, ClientReply, body: Body?)
    /// Send a directive on the worker sub-protocol (`HLPW01`), with a body frame when present.
    case sendToWorker(ConnectionID, WorkerDirective, body: Body?)
    /// Persist a durable fact (see `JournalRecord`); `body` is the ASK body of `asked` and
    /// the answer body of an answered `finished`.
    case journal(JournalRecord, body: Body?)
}

extension BrokerAction: Sendable where Body: Sendable {}
extension BrokerAction: Equatable where Body: Equatable {}
