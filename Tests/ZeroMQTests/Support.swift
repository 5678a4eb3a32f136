import Glibc
import ZeroMQ

/// Every blocking receive in these tests gives up after this long, so a bug fails the
/// test with EAGAIN instead of hanging the run.
let testTimeoutMilliseconds: Int32 = 5_000

/// Opens a socket whose receives time out after ``testTimeoutMilliseconds``.
func makeSocket(_ context: ZMQContext, _ type: ZMQSocket.SocketType) throws -> ZMQSocket {
    let socket = try ZMQSocket(context: context, type: type)
    try socket.setOption(.receiveTimeout, testTimeoutMilliseconds)
    return socket
}

/// A bound ROUTER and a DEALER named `dealerID` connected to it over `transport`
/// (`"inproc"` or `"tcp"`, the latter on an ephemeral loopback port).
func makeRouterDealer(
    _ context: ZMQContext, transport: String, dealerID: String = "dealer-1"
) throws -> (router: ZMQSocket, dealer: ZMQSocket) {
    let router = try makeSocket(context, .router)
    let dealer = try makeSocket(context, .dealer)
    try dealer.setOption(.routingID, Array(dealerID.utf8))
    try router.bind(transport == "tcp" ? "tcp://127.0.0.1:*" : "inproc://router")
    try dealer.connect(try router.lastEndpoint)
    return (router, dealer)
}

func bytes(_ string: String) -> [UInt8] {
    Array(string.utf8)
}

/// A pattern that shows any misplaced or truncated byte.
func pattern(count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
}

/// Runs `body` on a new POSIX thread, outside Swift's cooperative pool: tests block
/// pool threads in polls, so a task might never get to run. Join with `pthread_join`.
func spawnThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { argument in
        Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
        return nil
    }, box)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    return thread
}
