import Glibc
import ZeroMQ

/// Waits on many DEALER sockets (and plain descriptors) with one poll(2) on their
/// `ZMQ_FD`s, for loops that read a socket until `EAGAIN` before waiting again.
///
/// `zmq_poll` asks every socket for `ZMQ_EVENTS` before and after its poll(2), and each
/// ask costs a getpid(2) and a poll(2) of the socket's mailbox: with 5 sockets, about 12
/// system calls per wake-up, more than a ticket's own messages cost. A socket's `ZMQ_FD`
/// becomes readable when libzmq signals it while its mailbox is idle, and a receive that
/// ends in `EAGAIN` has just emptied that mailbox; so a socket read to `EAGAIN` since its
/// last send can be waited on by its descriptor alone. Such a socket is *settled*; any
/// other is *pending* and is read before the next wait blocks. A send makes its socket
/// pending: libzmq may process (and so swallow the signal of) arriving messages inside it.
final class DrainPoller {
    /// The sockets' descriptors first, in socket order, then the plain descriptors.
    private let items: UnsafeMutablePointer<pollfd>
    /// Per socket: read it before blocking.
    private let pending: UnsafeMutablePointer<Bool>
    let socketCount: Int
    private let count: Int

    /// Every socket starts pending: connecting queued commands no descriptor announced.
    init(sockets: [ZMQSocket], fileDescriptors: [Int32] = []) throws(ZMQError) {
        socketCount = sockets.count
        count = sockets.count + fileDescriptors.count
        items = .allocate(capacity: max(count, 1))
        pending = .allocate(capacity: max(socketCount, 1))
        for (index, socket) in sockets.enumerated() {
            (items + index).initialize(to: pollfd(fd: try socket.fileDescriptor, events: Int16(POLLIN), revents: 0))
        }
        for (offset, fd) in fileDescriptors.enumerated() {
            (items + socketCount + offset).initialize(to: pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
        }
        pending.initialize(repeating: true, count: max(socketCount, 1))
    }

    deinit {
        items.deallocate()
        pending.deallocate()
    }

    /// Socket `index` was replaced (a reconnect): watch the new one, read it first.
    func replace(_ index: Int, with socket: ZMQSocket) throws(ZMQError) {
        items[index].fd = try socket.fileDescriptor
        pending[index] = true
    }

    /// Socket `index` must be read before the next wait: it was sent on.
    func markPending(_ index: Int) { pending[index] = true }

    /// Socket `index` was read to `EAGAIN` after its last send.
    func markSettled(_ index: Int) { pending[index] = false }

    func isPending(_ index: Int) -> Bool { pending[index] }

    /// Blocks until a socket's descriptor or a plain descriptor is readable, or for
    /// `timeoutMilliseconds`; returns at once, without a system call, while a socket is
    /// pending. Sockets found readable become pending.
    func wait(timeoutMilliseconds: Int) {
        for index in 0..<count { items[index].revents = 0 }
        for index in 0..<socketCount where pending[index] { return }
        // EINTR leaves every revents 0: the loop simply turns again.
        guard poll(items, nfds_t(count), Int32(clamping: timeoutMilliseconds)) > 0 else { return }
        for index in 0..<socketCount where items[index].revents != 0 { pending[index] = true }
    }

    /// Plain descriptor `offset` (in the order given to `init`) was readable at the last wait.
    func isReadable(fileDescriptor offset: Int) -> Bool {
        items[socketCount + offset].revents != 0
    }
}
