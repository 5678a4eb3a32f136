import ZeroMQ

/// How many peers (consoles and agent clients) the broker can have connected at once.
///
/// Each TCP or IPC peer holds one file descriptor in the broker (libzmq's I/O thread owns
/// it); its sockets are few (the ROUTER, its monitor pair, ZAP), so libzmq's own socket
/// limit (ZMQ_MAX_SOCKETS, 1,023 by default) does not cap peers: the open-file limit does.
/// The broker raises its soft limit to the hard one at start-up and reports what it got.
public struct PeerCapacity: Sendable, Equatable {
    /// Peers the broker can accept on top of what it already has open.
    public var peers: Int
    /// The open-file limit it runs with, the one it started with, and the hard limit.
    public var limit: OpenFileLimit.Report

    /// Descriptors kept back for the journal (database, write-ahead log, shared memory),
    /// a connection being accepted, and libzmq's own eventfds.
    static let reserved = 32

    /// Raises the soft open-file limit as far as allowed and works out the peers it leaves
    /// room for, given the descriptors open now.
    static func raise() -> PeerCapacity {
        let limit = OpenFileLimit.raise()
        let available = limit.soft == Int.max ? Int(Int32.max) : limit.soft
        return PeerCapacity(peers: max(0, available - OpenFileLimit.inUse() - reserved), limit: limit)
    }

    /// One line for the operator: what the broker can take, and why.
    public var summary: String {
        let raised = limit.before < limit.soft ? ", raised from \(Self.count(limit.before))" : ""
        return "helpline broker can take \(Self.count(peers)) peers (open-file limit \(Self.count(limit.soft))\(raised); hard limit \(Self.count(limit.hard)))"
    }

    private static func count(_ value: Int) -> String {
        value == Int.max ? "unlimited" : String(value)
    }
}
