import Glibc
import Testing
import ZeroMQ

@Suite("Poller and EventFD")
struct PollerTests {
    @Test("a poll with nothing to read times out and reports nothing")
    func poll_withNothingToRead_returnsZero() throws {
        let context = try ZMQContext()
        let (router, _) = try makeRouterDealer(context, transport: "inproc")
        let wake = try EventFD()
        let poller = ZMQPoller([.socket(router), .fileDescriptor(wake.fileDescriptor)])
        #expect(try poller.poll(timeoutMilliseconds: 20) == 0)
        #expect(!poller.isReadable(0))
        #expect(!poller.isReadable(1))
    }

    @Test("a socket becomes readable when a message arrives", arguments: ["inproc", "tcp"])
    func poll_whenMessageArrives_isReadable(transport: String) throws {
        let context = try ZMQContext()
        let (router, dealer) = try makeRouterDealer(context, transport: transport)
        let poller = ZMQPoller([.socket(router)])
        #expect(try poller.poll(timeoutMilliseconds: 0) == 0)

        try dealer.send("ping")
        #expect(try poller.poll(timeoutMilliseconds: Int(testTimeoutMilliseconds)) == 1)
        #expect(poller.isReadable(0))
        let message = ZMQMultipart()
        #expect(try router.receive(into: message, dontWait: true))
        #expect(message.frameBytes(1) == bytes("ping"))

        // Drained: the next poll finds nothing.
        #expect(try poller.poll(timeoutMilliseconds: 0) == 0)
        #expect(try router.receive(into: message, dontWait: true) == false)
    }

    @Test("a socket asked for writability reports it")
    func poll_forWritable_reportsWritable() throws {
        let context = try ZMQContext()
        let (router, dealer) = try makeRouterDealer(context, transport: "inproc")
        // A DEALER is writable only while it has a peer: keep the ROUTER alive, since
        // Swift may release an object right after its last use.
        defer { withExtendedLifetime(router) {} }
        let poller = ZMQPoller([.socket(dealer, [])])
        #expect(try poller.poll(timeoutMilliseconds: 0) == 0)
        poller.setEvents(.writable, for: 0)
        #expect(try poller.poll(timeoutMilliseconds: 0) == 1)
        #expect(poller.isWritable(0))
        #expect(!poller.isReadable(0))
        #expect(try dealer.events.contains(.writable))
    }

    @Test("an EventFD signalled from another thread wakes a blocked poll")
    func eventFD_signalFromAnotherThread_wakesPoll() throws {
        let context = try ZMQContext()
        let (router, _) = try makeRouterDealer(context, transport: "inproc")
        let wake = try EventFD()
        let poller = ZMQPoller([.socket(router), .fileDescriptor(wake.fileDescriptor)])

        let thread = spawnThread {
            usleep(20_000)
            wake.signal()
            wake.signal()
        }
        defer { pthread_join(thread, nil) }
        #expect(try poller.poll(timeoutMilliseconds: Int(testTimeoutMilliseconds)) == 1)
        #expect(poller.isReadable(1))
        #expect(!poller.isReadable(0))
        wake.drain()
    }

    @Test("signals coalesce and a drain makes the EventFD quiet again")
    func eventFD_drain_resetsSignals() throws {
        let wake = try EventFD()
        let poller = ZMQPoller([.fileDescriptor(wake.fileDescriptor)])
        wake.drain()  // Draining an unsignalled eventfd is harmless.
        #expect(try poller.poll(timeoutMilliseconds: 0) == 0)
        wake.signal()
        wake.signal()
        #expect(try poller.poll(timeoutMilliseconds: 0) == 1)
        wake.drain()
        #expect(try poller.poll(timeoutMilliseconds: 0) == 0)
    }

    @Test("a context shutdown wakes a receive blocked on another thread with ETERM")
    func contextShutdown_wakesBlockedReceive() throws {
        let context = try ZMQContext()
        let thread = spawnThread {
            do throws(ZMQError) {
                let pair = try ZMQSocket(context: context, type: .pair)
                let message = ZMQMultipart()
                _ = try pair.receive(into: message)
                Issue.record("receive returned after shutdown")
            } catch {
                #expect(error.isTerminated)
            }
        }
        usleep(20_000)
        context.shutdown()
        pthread_join(thread, nil)
    }
}
