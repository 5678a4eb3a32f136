import CZeroMQ

extension ZMQSocket {
    // MARK: Sending

    /// Sends one frame holding a copy of `bytes`; `more` says another frame of the same
    /// message follows. With `dontWait`, a send that would block throws an error whose
    /// ``ZMQError/isAgain`` is true and sends nothing.
    public func send(_ bytes: UnsafeRawBufferPointer, more: Bool = false, dontWait: Bool = false) throws(ZMQError) {
        if zmq_send(handle, bytes.baseAddress, bytes.count, Self.flags(more, dontWait)) == -1 {
            throw ZMQError.last()
        }
    }

    /// Sends one frame holding a copy of `bytes`.
    public func send(_ bytes: [UInt8], more: Bool = false, dontWait: Bool = false) throws(ZMQError) {
        let flags = Self.flags(more, dontWait)
        let rc = bytes.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
        if rc == -1 { throw ZMQError.last() }
    }

    /// Sends one frame holding the UTF-8 bytes of `string`, no terminator.
    public func send(_ string: String, more: Bool = false, dontWait: Bool = false) throws(ZMQError) {
        let flags = Self.flags(more, dontWait)
        var string = string
        // Native strings are contiguous UTF-8 already: no copy is made here.
        let rc = string.withUTF8 { zmq_send(handle, $0.baseAddress, $0.count, flags) }
        if rc == -1 { throw ZMQError.last() }
    }

    /// Sends `frame`'s content without copying its bytes: libzmq shares a reference-
    /// counted content (frames over 33 bytes), and the frame stays usable for more sends.
    public func send(_ frame: ZMQFrame, more: Bool = false, dontWait: Bool = false) throws(ZMQError) {
        try sendShared(frame.message, Self.flags(more, dontWait))
    }

    /// Sends frame `index` of a received message without copying its bytes: the way to
    /// forward a body, or a routing id, straight from one socket to another.
    public func send(
        _ multipart: ZMQMultipart, frame index: Int, more: Bool = false, dontWait: Bool = false
    ) throws(ZMQError) {
        try sendShared(multipart.message(at: index), Self.flags(more, dontWait))
    }

    /// Sends a whole message of copied frames. With `dontWait`, only the first frame can
    /// fail with `EAGAIN`: once it is queued libzmq takes the rest of the message.
    public func sendMultipart(_ frames: [[UInt8]], dontWait: Bool = false) throws(ZMQError) {
        precondition(!frames.isEmpty, "a message has at least one frame")
        for index in frames.indices {
            try send(frames[index], more: index < frames.count - 1, dontWait: dontWait)
        }
    }

    // MARK: Receiving

    /// Receives all parts of one message into `multipart`, in place. Returns false, and
    /// throws nothing, when `dontWait` is set and no message is waiting. A blocking
    /// receive throws ``ZMQError/isTerminated`` once the context shuts down and
    /// ``ZMQError/isAgain`` when ``ZMQSocketOption/receiveTimeout`` expires.
    public func receive(into multipart: ZMQMultipart, dontWait: Bool = false) throws(ZMQError) -> Bool {
        try multipart.receive(from: handle, dontWait: dontWait)
    }

    /// Receives one whole message as copied frames: a convenience for tests and tools.
    /// The bytes are copied and the part count is unbounded; a broker uses
    /// ``receive(into:dontWait:)``.
    public func receiveMultipart() throws(ZMQError) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        while true {
            if zmq_msg_recv(scratch, handle, 0) == -1 {
                let error = ZMQError.last()
                // After the first part the rest is already here; see ZMQMultipart.
                if frames.isEmpty || !error.isInterrupted { throw error }
                continue
            }
            frames.append(Array(UnsafeRawBufferPointer(start: zmq_msg_data(scratch), count: zmq_msg_size(scratch))))
            if zmq_msg_more(scratch) == 0 { break }
        }
        // Leave the scratch message empty rather than holding the last frame.
        zmq_msg_close(scratch)
        zmq_msg_init(scratch)
        return frames
    }

    // MARK: Plumbing

    private static func flags(_ more: Bool, _ dontWait: Bool) -> Int32 {
        (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
    }

    /// Copies `message` into the scratch message (a reference, not the bytes) and sends
    /// that, so the original stays intact for the caller.
    private func sendShared(_ message: UnsafeMutablePointer<zmq_msg_t>, _ flags: Int32) throws(ZMQError) {
        if zmq_msg_copy(scratch, message) != 0 {
            throw ZMQError.last("zmq_msg_copy")
        }
        if zmq_msg_send(scratch, handle, flags) == -1 {
            let error = ZMQError.last()
            // A failed send leaves the copy in scratch: release our reference.
            zmq_msg_close(scratch)
            zmq_msg_init(scratch)
            throw error
        }
        // A successful send leaves scratch an empty, initialised message.
    }
}
