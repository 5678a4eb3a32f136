import CZeroMQ
import Glibc

/// A libzmq context: the I/O threads and the `inproc://` namespace its sockets share.
///
/// Sockets hold a strong reference to their context, so the context is terminated only
/// after the last of them is closed: `zmq_ctx_term` blocks until every socket is closed,
/// and a context that died first would hang its owner in `deinit`.
///
/// Sendable because libzmq contexts are thread-safe; that is what lets another thread call
/// ``shutdown()`` to wake a loop blocked in a receive.
public final class ZMQContext: @unchecked Sendable {
    /// The `void *` libzmq hands out.
    let handle: UnsafeMutableRawPointer

    /// Creates a context with `ioThreads` background I/O threads.
    ///
    /// One I/O thread moves about a gigabyte a second; more only help with many
    /// TCP connections at high rates. `maxSockets`: the most sockets the context may open
    /// (libzmq's default is 1,023; a process with one socket per peer needs more).
    public init(ioThreads: Int = 1, maxSockets: Int? = nil) throws(ZMQError) {
        precondition(ioThreads >= 0 && ioThreads <= Int(Int32.max), "ioThreads out of range")
        guard let handle = zmq_ctx_new() else {
            throw ZMQError.last("zmq_ctx_new")
        }
        if zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(ioThreads)) != 0 {
            let error = ZMQError.last("zmq_ctx_set ZMQ_IO_THREADS \(ioThreads)")
            zmq_ctx_term(handle)
            throw error
        }
        if let maxSockets, zmq_ctx_set(handle, ZMQ_MAX_SOCKETS, Int32(clamping: maxSockets)) != 0 {
            let error = ZMQError.last("zmq_ctx_set ZMQ_MAX_SOCKETS \(maxSockets)")
            zmq_ctx_term(handle)
            throw error
        }
        self.handle = handle
    }

    /// Makes every blocking call on this context's sockets, now and later, fail with
    /// `ETERM` (``ZMQError/isTerminated``), so their owners close them and the context can
    /// be terminated. Safe from any thread; does not close anything itself.
    public func shutdown() {
        _ = zmq_ctx_shutdown(handle)
    }

    deinit {
        // EINTR only means a signal arrived while waiting for sockets to close; wait again.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}
