import CZeroMQ

/// One frame owned outside any socket: a `zmq_msg_t` a broker can keep (a request body
/// waiting for a worker) and send any number of times without copying its bytes.
///
/// libzmq reference-counts frames over 33 bytes, so sending a frame with
/// `socket.send(frame)` shares the content instead of copying it. The content never changes after creation.
///
/// Not `Sendable`: the first `zmq_msg_copy` of a message flips a flag in the source
/// `zmq_msg_t` without a lock, so two threads sending the same frame at once would race.
/// Keep a frame on the thread that owns the sockets.
public final class ZMQFrame {
    /// Always an initialised message; closed and freed in `deinit`. Allocated so its
    /// address is stable: small frames keep their bytes inside the `zmq_msg_t`.
    let message: UnsafeMutablePointer<zmq_msg_t>

    /// An empty frame, ready to receive a message moved into it.
    init() {
        message = .allocate(capacity: 1)
        zmq_msg_init(message)
    }

    /// A frame holding a copy of `bytes`.
    public convenience init(_ bytes: UnsafeRawBufferPointer) {
        self.init()
        fill(with: bytes)
    }

    /// A frame holding a copy of `bytes`.
    public convenience init(bytes: [UInt8]) {
        self.init()
        bytes.withUnsafeBytes { fill(with: $0) }
    }

    private func fill(with bytes: UnsafeRawBufferPointer) {
        // Only ENOMEM can fail here, and libzmq itself aborts on that.
        let rc = zmq_msg_init_size(message, bytes.count)
        precondition(rc == 0, "zmq_msg_init_size failed: out of memory")
        if let source = bytes.baseAddress, bytes.count > 0 {
            zmq_msg_data(message).copyMemory(from: source, byteCount: bytes.count)
        }
    }

    deinit {
        zmq_msg_close(message)
        message.deallocate()
    }

    /// The frame's size in bytes.
    public var count: Int {
        zmq_msg_size(message)
    }

    /// Calls `body` with the frame's bytes in place. The buffer is valid only inside `body`.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: zmq_msg_data(message), count: zmq_msg_size(message)))
    }

    /// A copy of the frame's bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }
}

@available(*, unavailable)
extension ZMQFrame: Sendable {}
