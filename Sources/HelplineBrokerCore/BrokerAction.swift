import HelplineWire

/// What the core asks the broker loop to do, in order. The loop performs them and nothing else.
///
/// `Body` is the opaque ticket or answer body (a ZeroMQ frame in the loop, a `String` in
/// tests): the core stores and forwards it and never looks inside.
/// The journal will add cases here; switch over it with that in mind.
public enum BrokerAction<Body> {
    /// Send a reply on the client sub-protocol (`HLPC01`), with a body frame when present.
    case sendToClient(ConnectionID, ClientReply, body: Body?)
    /// Send a directive on the worker sub-protocol (`HLPW01`), with a body frame when present.
    case sendToWorker(ConnectionID, WorkerDirective, body: Body?)
}

extension BrokerAction: Sendable where Body: Sendable {}
extension BrokerAction: Equatable where Body: Equatable {}
