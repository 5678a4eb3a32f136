import CZeroMQ
import Glibc

/// Waits on a fixed set of sockets and file descriptors with `zmq_poll`.
///
/// The `zmq_pollitem_t` array is built once and reused by every ``poll(timeoutMilliseconds:)``,
/// so a poll loop allocates nothing per turn. Items keep their index: ask
/// ``isReadable(_:)`` with the position the item had in the list given to `init`.
public final class ZMQPoller {
    /// Something to wait on, and what to wait for.
    public enum Item {
        /// A libzmq socket; the poller keeps it alive.
        case socket(ZMQSocket, ZMQEvents = .readable)
        /// A plain file descriptor, such as an ``EventFD``'s. The caller keeps it open.
        case fileDescriptor(Int32, ZMQEvents = .readable)
    }

    /// How many items the poller watches.
    public let count: Int
    private let items: UnsafeMutablePointer<zmq_pollitem_t>
    /// The sockets whose handles sit in `items`, kept alive as long as the poller.
    private let sockets: [ZMQSocket]

    /// A poller over `items`, in that order.
    public init(_ items: [Item]) {
        count = items.count
        self.items = .allocate(capacity: max(items.count, 1))
        var sockets: [ZMQSocket] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .socket(let socket, let events):
                sockets.append(socket)
                (self.items + index).initialize(
                    to: zmq_pollitem_t(socket: socket.handle, fd: -1, events: Int16(events.rawValue), revents: 0))
            case .fileDescriptor(let fd, let events):
                (self.items + index).initialize(
                    to: zmq_pollitem_t(socket: nil, fd: fd, events: Int16(events.rawValue), revents: 0))
            }
        }
        self.sockets = sockets
    }

    deinit {
        items.deinitialize(count: count)
        items.deallocate()
    }

    /// Waits until an item is ready or `timeoutMilliseconds` pass (0 returns at once, -1
    /// waits forever). Returns how many items are ready; 0 on timeout, and on a signal
    /// (`EINTR`), so a loop simply turns again. Throws ``ZMQError/isTerminated`` once the
    /// context of a polled socket shuts down.
    public func poll(timeoutMilliseconds: Int) throws(ZMQError) -> Int {
        let ready = zmq_poll(items, Int32(count), timeoutMilliseconds)
        if ready >= 0 { return Int(ready) }
        let error = ZMQError.last("zmq_poll")
        guard error.isInterrupted else { throw error }
        // Results from an interrupted poll mean nothing: clear them.
        for index in 0..<count {
            items[index].revents = 0
        }
        return 0
    }

    /// What item `index` was found ready for by the last poll.
    public func readyEvents(_ index: Int) -> ZMQEvents {
        precondition(index >= 0 && index < count, "poll item \(index) of \(count)")
        return ZMQEvents(rawValue: Int32(items[index].revents))
    }

    /// Item `index` had something to read at the last poll. For a socket, drain it with
    /// non-blocking receives until `EAGAIN` or until a fair share is read.
    public func isReadable(_ index: Int) -> Bool {
        readyEvents(index).contains(.readable)
    }

    /// Item `index` could take a send without blocking at the last poll.
    public func isWritable(_ index: Int) -> Bool {
        readyEvents(index).contains(.writable)
    }

    /// Changes what item `index` is polled for, from the next poll on: ask for
    /// `.writable` only while messages wait for a peer that had no room.
    public func setEvents(_ events: ZMQEvents, for index: Int) {
        precondition(index >= 0 && index < count, "poll item \(index) of \(count)")
        items[index].events = Int16(events.rawValue)
    }
}

@available(*, unavailable)
extension ZMQPoller: Sendable {}
