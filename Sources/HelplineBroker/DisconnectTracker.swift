import HelplineBrokerCore

/// Matches the socket monitor's DISCONNECTED events (which name only a file descriptor)
/// to worker connections, so a console whose TCP connection drops is noticed at once
/// instead of after liveness × heartbeat.
///
/// Messages and monitor events travel on different pipes, so a worker's READY may be read
/// before the ACCEPTED event of its own connection, and a new connection may reuse the fd
/// of one whose DISCONNECTED is still queued. The tracker keeps, per fd, how many
/// ACCEPTED and DISCONNECTED events it has seen: a READY read while the fd looks closed
/// belongs to an accept not yet seen, and a DISCONNECTED that arrives before that accept
/// is the previous connection's, not this worker's. The one case it cannot tell apart —
/// the fd reused while both the old DISCONNECTED and the new ACCEPTED are still queued —
/// costs a false alarm that heals itself: the worker is told DISCONNECT and re-registers
/// with the tickets it holds.
struct DisconnectTracker {
    private struct Descriptor {
        var accepted = 0
        var disconnected = 0
        var worker: ConnectionID?
        /// ACCEPTED events still to come before `worker`'s own connection is the open one.
        var pendingAccepts = 0
        var isOpen: Bool { accepted > disconnected }
    }

    private var descriptors: [Int32: Descriptor] = [:]
    private var descriptorOfWorker: [ConnectionID: Int32] = [:]

    /// A worker's READY arrived on `fd`.
    mutating func workerRegistered(_ worker: ConnectionID, fd: Int32) {
        if let previous = descriptorOfWorker[worker], previous != fd {
            descriptors[previous]?.worker = nil
        }
        var descriptor = descriptors[fd] ?? Descriptor()
        descriptor.worker = worker
        descriptor.pendingAccepts = descriptor.isOpen ? 0 : 1
        descriptors[fd] = descriptor
        descriptorOfWorker[worker] = fd
    }

    /// The monitor saw a connection accepted on `fd`.
    mutating func accepted(fd: Int32) {
        var descriptor = descriptors[fd] ?? Descriptor()
        descriptor.accepted += 1
        if descriptor.pendingAccepts > 0 { descriptor.pendingAccepts -= 1 }
        descriptors[fd] = descriptor
    }

    /// The monitor saw the connection on `fd` drop; returns the worker that was on it, if any.
    mutating func disconnected(fd: Int32) -> ConnectionID? {
        guard var descriptor = descriptors[fd] else { return nil }
        descriptor.disconnected += 1
        var lost: ConnectionID?
        if let worker = descriptor.worker, descriptor.pendingAccepts == 0 {
            lost = worker
            descriptor.worker = nil
            descriptorOfWorker[worker] = nil
        }
        if descriptor.worker == nil && !descriptor.isOpen {
            descriptors[fd] = nil  // nothing left to remember: keeps the table as small as the open set
        } else {
            descriptors[fd] = descriptor
        }
        return lost
    }
}
