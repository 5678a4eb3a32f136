import CZeroMQ
import Glibc
import Synchronization

/// A socket monitor: a PAIR socket receiving the connection events of another socket.
///
/// Poll ``socket`` with the monitored socket and read events with
/// ``receiveEvent(dontWait:)``. The monitor keeps the monitored socket alive and stops
/// monitoring when it is released.
public final class ZMQMonitor {
    /// The PAIR socket events arrive on; poll it for reading.
    public let socket: ZMQSocket
    /// The `inproc://` endpoint libzmq publishes the events on.
    public let endpoint: String
    private let target: ZMQSocket
    private let event = ZMQMultipart(capacity: 2)

    /// Makes each monitor endpoint unique within the process: libzmq refuses to bind an
    /// inproc name twice, and two monitors of one context must not share one.
    private static let serial = Atomic<Int>(0)

    init(monitoring target: ZMQSocket, events: ZMQMonitorEvent.Mask) throws(ZMQError) {
        let number = Self.serial.add(1, ordering: .relaxed).newValue
        let endpoint = "inproc://zeromq-swift-monitor-\(number)"
        if zmq_socket_monitor(target.handle, endpoint, events.rawValue) != 0 {
            throw ZMQError.last("zmq_socket_monitor \(endpoint)")
        }
        do {
            let socket = try ZMQSocket(context: target.context, type: .pair)
            try socket.connect(endpoint)
            self.socket = socket
        } catch {
            zmq_socket_monitor(target.handle, nil, 0)
            throw error
        }
        self.endpoint = endpoint
        self.target = target
    }

    deinit {
        // Closes libzmq's end of the pair; ours is closed when `socket` is released.
        zmq_socket_monitor(target.handle, nil, 0)
    }

    /// The next event, or nil when `dontWait` is set and none is waiting. Blocks
    /// otherwise (bounded by ``ZMQSocketOption/receiveTimeout`` on ``socket``).
    public func receiveEvent(dontWait: Bool = false) throws(ZMQError) -> ZMQMonitorEvent? {
        guard try socket.receive(into: event, dontWait: dontWait) else { return nil }
        // Frame 1 is a uint16 event number then a uint32 value, copied by libzmq from
        // its variables: host byte order, unaligned. Frame 2 is the endpoint.
        guard event.count == 2, !event.overflowed, event.frameSize(0) == 6 else {
            throw ZMQError(code: EPROTO, context: "monitor event with unexpected frames")
        }
        let (number, value) = event.withFrame(0) {
            ($0.loadUnaligned(fromByteOffset: 0, as: UInt16.self),
             $0.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        }
        let endpoint = event.withFrame(1) { String(decoding: $0, as: UTF8.self) }
        return ZMQMonitorEvent(kind: .init(rawValue: number), value: value, endpoint: endpoint)
    }
}

@available(*, unavailable)
extension ZMQMonitor: Sendable {}

extension ZMQSocket {
    /// Starts reporting this socket's connection events on a new monitor.
    ///
    /// libzmq gives a socket one monitor at a time: starting a second one silences the
    /// first, and releasing either stops monitoring altogether. Keep one per socket.
    public func startMonitor(events: ZMQMonitorEvent.Mask = .all) throws(ZMQError) -> ZMQMonitor {
        try ZMQMonitor(monitoring: self, events: events)
    }
}
