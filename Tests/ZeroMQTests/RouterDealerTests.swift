import Glibc
import Testing
import ZeroMQ

@Suite("ROUTER/DEALER round trips")
struct RouterDealerTests {
    @Test("a multipart message arrives whole, routing id first, frames read in place",
          arguments: ["inproc", "tcp"])
    func multipartRoundTrip_prependsRoutingID(transport: String) throws {
        let context = try ZMQContext()
        let (router, dealer) = try makeRouterDealer(context, transport: transport)

        try dealer.sendMultipart([bytes("HLP1"), bytes("ASK"), bytes("body")])
        let message = ZMQMultipart()
        #expect(try router.receive(into: message))
        #expect(message.count == 4)
        #expect(message.partCount == 4)
        #expect(!message.overflowed)
        #expect(message.frameBytes(0) == bytes("dealer-1"))
        #expect(message.withFrame(1) { $0.elementsEqual(bytes("HLP1")) })
        #expect(message.withFrame(2) { $0.count } == 3)
        #expect(message.frameBytes(3) == bytes("body"))

        // Reply by routing id: forward the received id frame itself.
        try router.send(message, frame: 0, more: true)
        try router.send("REPLY", more: true)
        try router.send(bytes("done"))
        #expect(try dealer.receiveMultipart() == [bytes("REPLY"), bytes("done")])
    }

    @Test("a taken frame outlives the next receive and is forwarded without a copy",
          arguments: ["inproc", "tcp"])
    func takeFrame_survivesReset_andSendsOn(transport: String) throws {
        let context = try ZMQContext()
        let (router, dealer) = try makeRouterDealer(context, transport: transport)
        let body = pattern(count: 1 << 20)

        try dealer.send(bytes("header"), more: true)
        try dealer.send(body)
        let message = ZMQMultipart()
        #expect(try router.receive(into: message))
        #expect(message.count == 3)
        let kept = message.takeFrame(2)
        #expect(message.frameSize(2) == 0)

        try dealer.send("next")
        #expect(try router.receive(into: message))
        #expect(message.count == 2)
        #expect(message.frameBytes(1) == bytes("next"))

        #expect(kept.count == 1 << 20)
        #expect(kept.bytes == body)
        // Sent twice: sharing must leave the frame intact for the second send.
        for _ in 0..<2 {
            try router.send(bytes("dealer-1"), more: true)
            try router.send(kept)
            #expect(try dealer.receive(into: message))
            #expect(message.count == 1)
            #expect(message.withFrame(0) { $0.elementsEqual(body) })
        }
        #expect(kept.bytes == body)
    }

    @Test("empty frames keep their place", arguments: ["inproc", "tcp"])
    func emptyFrames_roundTrip(transport: String) throws {
        let context = try ZMQContext()
        let (router, dealer) = try makeRouterDealer(context, transport: transport)

        try dealer.sendMultipart([[], bytes("x"), []])
        let message = ZMQMultipart()
        #expect(try router.receive(into: message))
        #expect(message.count == 4)
        #expect(message.frameSize(1) == 0)
        #expect(message.frameBytes(2) == bytes("x"))
        #expect(message.withFrame(3) { $0.isEmpty })

        try router.send(message, frame: 0, more: true)
        try router.send(ZMQFrame(bytes: []))
        #expect(try dealer.receiveMultipart() == [[]])
    }

    @Test("a message over capacity is received whole and flagged; the next one is intact")
    func overflow_isFlagged_andNextMessageIsIntact() throws {
        let context = try ZMQContext()
        let (router, dealer) = try makeRouterDealer(context, transport: "inproc")

        try dealer.sendMultipart((0..<10).map { [UInt8($0)] })
        try dealer.sendMultipart([bytes("a"), bytes("b")])
        let message = ZMQMultipart(capacity: 4)
        #expect(try router.receive(into: message))
        #expect(message.overflowed)
        #expect(message.count == 4)
        #expect(message.partCount == 11)
        #expect(message.frameBytes(3) == [2])

        #expect(try router.receive(into: message))
        #expect(!message.overflowed)
        #expect(message.count == 3)
        #expect(message.partCount == 3)
        #expect(message.frameBytes(1) == bytes("a"))
        #expect(message.frameBytes(2) == bytes("b"))
    }

    @Test("a non-blocking receive on an empty socket returns false, no error")
    func receiveDontWait_onEmptySocket_returnsFalse() throws {
        let context = try ZMQContext()
        let (router, _) = try makeRouterDealer(context, transport: "inproc")
        let message = ZMQMultipart()
        #expect(try router.receive(into: message, dontWait: true) == false)
        #expect(message.count == 0)
    }

    @Test("a non-blocking send with no peer throws EAGAIN; an unknown id throws EHOSTUNREACH")
    func sendDontWait_withNoPeer_throwsAgain() throws {
        let context = try ZMQContext()
        let lonely = try makeSocket(context, .dealer)
        do throws(ZMQError) {
            try lonely.send("nobody", dontWait: true)
            Issue.record("send to no peer succeeded")
        } catch {
            #expect(error.isAgain)
        }

        let router = try makeSocket(context, .router)
        try router.setOption(.routerMandatory, true)
        do throws(ZMQError) {
            try router.send(bytes("ghost"), more: true)
            Issue.record("send to an unknown routing id succeeded")
        } catch {
            #expect(error.code == EHOSTUNREACH)
        }
    }

    @Test("a blocking receive times out with EAGAIN")
    func receive_afterTimeout_throwsAgain() throws {
        let context = try ZMQContext()
        let pair = try ZMQSocket(context: context, type: .pair)
        try pair.setOption(.receiveTimeout, 10)
        let message = ZMQMultipart()
        #expect(throws: ZMQError(code: EAGAIN)) { try pair.receive(into: message) }
    }
}
