import CZeroMQ
import Glibc

/// An error reported by libzmq, or by a system call this module makes, as its errno code.
///
/// The text is looked up only when someone reads it, so the hot paths (an `EAGAIN` from a
/// non-blocking send or receive) build the error without allocating.
public struct ZMQError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The errno value: a POSIX code such as `EAGAIN`, or one of libzmq's own (`ETERM`).
    public let code: Int32
    /// What was being done, for humans: `"connect not-an-endpoint"`. Empty on hot paths.
    public let context: String

    /// Wraps an errno code.
    public init(code: Int32, context: String = "") {
        self.code = code
        self.context = context
    }

    /// The error libzmq (or the last system call) just reported on this thread.
    static func last(_ context: String = "") -> ZMQError {
        ZMQError(code: zmq_errno(), context: context)
    }

    /// `zmq_strerror` text for the code ("Resource temporarily unavailable").
    public var message: String {
        String(cString: zmq_strerror(code))
    }

    /// A non-blocking call found nothing to do (`EAGAIN`): not a failure, try again later.
    public var isAgain: Bool { code == EAGAIN }

    /// A blocking call was interrupted by a signal (`EINTR`).
    public var isInterrupted: Bool { code == EINTR }

    /// The context is shutting down (`ETERM`): the owner should close its sockets and stop.
    public var isTerminated: Bool { code == ETERM }

    /// `"connect not-an-endpoint: Invalid argument (errno 22)"`.
    public var description: String {
        let text = "\(message) (errno \(code))"
        return context.isEmpty ? text : "\(context): \(text)"
    }

    /// Two errors are equal when their codes are: the context is for humans, so
    /// `error == ZMQError(code: EAGAIN)` asks the question a caller means.
    public static func == (lhs: ZMQError, rhs: ZMQError) -> Bool {
        lhs.code == rhs.code
    }
}
