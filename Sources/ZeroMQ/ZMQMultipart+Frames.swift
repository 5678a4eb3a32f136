import CZeroMQ

extension ZMQMultipart {
    /// The frames from `start` on, as buffers pointing into libzmq's messages: a view for
    /// validators that take a collection of frames (no copy, no allocation).
    ///
    /// The buffers are valid until the next receive, `reset()` or `takeFrame` on this
    /// multipart; use them inside `body` only.
    public func withFrames<Result, Failure: Error>(
        from start: Int, _ body: (Frames) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        precondition(start >= 0 && start <= count, "frames from \(start) of \(count)")
        return try body(Frames(multipart: self, start: start))
    }

    /// A random-access view of some of a multipart's frames.
    public struct Frames: RandomAccessCollection {
        let multipart: ZMQMultipart
        let start: Int

        /// 0.
        public var startIndex: Int { 0 }
        /// The number of frames in the view.
        public var endIndex: Int { multipart.count - start }

        /// Frame `position` of the view, where libzmq holds it.
        public subscript(position: Int) -> UnsafeRawBufferPointer {
            let message = multipart.message(at: start + position)
            return UnsafeRawBufferPointer(start: zmq_msg_data(message), count: zmq_msg_size(message))
        }
    }
}
