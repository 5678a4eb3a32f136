import CZeroMQ
import Glibc

/// A reusable receive buffer for one multipart message: a fixed pool of `zmq_msg_t`
/// slots, allocated once, that ``ZMQSocket/receive(into:dontWait:)`` fills in place.
///
/// Frames are read where libzmq put them (``withFrame(_:_:)``), or moved out without a
/// copy (``takeFrame(_:)``). Receiving allocates nothing on the Swift side.
///
/// A message with more parts than ``capacity`` is still received whole, so the next
/// message starts where it should, but the extra parts are dropped one by one and
/// ``overflowed`` is set: a hostile peer cannot make us hold more than `capacity` frames.
public final class ZMQMultipart {
    /// Frames a Helpline message has at most (routing id, signature, command, header,
    /// body) with room to spare.
    public static let defaultCapacity = 8

    /// Most frames kept from one message.
    public let capacity: Int
    /// Frames kept from the last message received, at most ``capacity``.
    public var count: Int { state.pointee.count }
    /// All parts the last message had, kept or dropped.
    public var partCount: Int { state.pointee.partCount }
    /// The last message had more parts than ``capacity``: the caller should reject it.
    public var overflowed: Bool { state.pointee.overflowed }

    private struct State {
        var count = 0
        var partCount = 0
        var overflowed = false
    }

    /// The counters, in memory allocated once rather than stored `var`s: every access
    /// to a class's stored `var` pays a dynamic exclusivity check (`swift_beginAccess`),
    /// and these are read on every frame access.
    private let state: UnsafeMutablePointer<State>
    /// `capacity + 1` messages, every one always initialised; the last one receives
    /// the parts beyond capacity and is emptied again at once.
    private let slots: UnsafeMutablePointer<zmq_msg_t>

    /// A buffer keeping up to `capacity` frames of a message.
    public init(capacity: Int = ZMQMultipart.defaultCapacity) {
        precondition(capacity >= 1, "a multipart keeps at least one frame")
        self.capacity = capacity
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        slots = .allocate(capacity: capacity + 1)
        for index in 0...capacity {
            zmq_msg_init(slots + index)
        }
    }

    deinit {
        for index in 0...capacity {
            zmq_msg_close(slots + index)
        }
        slots.deallocate()
        state.deallocate()
    }

    /// Releases the frames kept, so large bodies are not held until the next receive.
    /// Called at the start of every receive.
    public func reset() {
        for index in 0..<state.pointee.count {
            zmq_msg_close(slots + index)
            zmq_msg_init(slots + index)
        }
        state.pointee = State()
    }

    /// Receives every part of one message from `socket` into the slots. Returns false
    /// only when `dontWait` is set and no message is waiting.
    func receive(from socket: UnsafeMutableRawPointer, dontWait: Bool) throws(ZMQError) -> Bool {
        reset()
        if zmq_msg_recv(slots, socket, dontWait ? ZMQ_DONTWAIT : 0) == -1 {
            let error = ZMQError.last()
            if dontWait && error.isAgain { return false }
            throw error
        }
        var received = State(count: 1, partCount: 1, overflowed: false)
        // Publish what is held even if a later part fails, so reset() releases it.
        defer { state.pointee = received }
        var last = slots
        while zmq_msg_more(last) != 0 {
            let target = received.count < capacity ? slots + received.count : slots + capacity
            // The rest of a message arrives atomically with its first part, so these
            // never wait; EINTR can still surface, and a half-read message would be
            // taken for the next one, so retry it.
            while zmq_msg_recv(target, socket, 0) == -1 {
                let error = ZMQError.last()
                if !error.isInterrupted { throw error }
            }
            received.partCount += 1
            if received.count < capacity {
                received.count += 1
            } else {
                received.overflowed = true
            }
            last = target
        }
        if received.overflowed {
            zmq_msg_close(slots + capacity)
            zmq_msg_init(slots + capacity)
        }
        return true
    }

    /// The message in slot `index`, for sends that share it.
    func message(at index: Int) -> UnsafeMutablePointer<zmq_msg_t> {
        let count = state.pointee.count
        precondition(index >= 0 && index < count, "frame \(index) of \(count)")
        return slots + index
    }

    /// Calls `body` with frame `index`'s bytes where libzmq holds them, no copy. The
    /// buffer is valid only inside `body`.
    public func withFrame<Result, Failure: Error>(
        _ index: Int, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let message = message(at: index)
        return try body(UnsafeRawBufferPointer(start: zmq_msg_data(message), count: zmq_msg_size(message)))
    }

    /// The size of frame `index` in bytes.
    public func frameSize(_ index: Int) -> Int {
        zmq_msg_size(message(at: index))
    }

    /// A copy of frame `index`'s bytes.
    public func frameBytes(_ index: Int) -> [UInt8] {
        withFrame(index) { Array($0) }
    }

    /// Moves frame `index` into a frame object the caller keeps, without copying its
    /// bytes; the slot is left empty (zero bytes) until the next receive.
    public func takeFrame(_ index: Int) -> ZMQFrame {
        let frame = ZMQFrame()
        zmq_msg_move(frame.message, message(at: index))
        return frame
    }

    /// The file descriptor of the TCP or IPC connection frame `index` arrived on, to
    /// match with ``ZMQMonitorEvent/fileDescriptor``; nil for `inproc://`. A ROUTER
    /// stamps the routing id frame it prepends with the same fd as the frames after it.
    public func sourceFileDescriptor(_ index: Int) -> Int32? {
        // ZMQ_SRCFD is deprecated in favour of metadata, but metadata carries no fd and
        // it is the only link from a message to the monitor's DISCONNECTED event.
        let fd = zmq_msg_get(message(at: index), ZMQ_SRCFD)
        return fd >= 0 ? fd : nil
    }

    /// A metadata property libzmq attached to frame `index`'s connection: `"Peer-Address"`,
    /// `"Socket-Type"`, `"Routing-Id"`, or `"User-Id"` set by ZAP authentication.
    public func metadata(_ index: Int, _ property: String) -> String? {
        guard let value = zmq_msg_gets(message(at: index), property) else { return nil }
        return String(cString: value)
    }
}

@available(*, unavailable)
extension ZMQMultipart: Sendable {}
