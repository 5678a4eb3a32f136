import HelplineWire
import Testing

/// encode → decode gives back the same message, for every type at ordinary and edge values.
@Suite struct RoundTripTests {
    @Test(arguments: Samples.all)
    func encodeThenDecode_givesTheSameMessage(_ message: AnyMessage) throws {
        let (command, header) = message.encode()
        #expect(header.count <= WireLimits.maxHeaderBytes)
        let decoded = try AnyMessage.decode(message.direction, command: command.rawValue, header: header)
        #expect(decoded == message)
    }

    @Test(arguments: Samples.all)
    func encodeThenFramesThenDecode_givesTheSameMessageAndBody(_ message: AnyMessage) throws {
        let (command, header) = message.encode()
        let body: [UInt8]? = command.carriesBody ? [0x81, 0xA1, 0x78, 0x01] : nil
        let frames = WireEnvelope.frames(
            signature: message.direction.signature, command: command, header: header, body: body)
        let decoded = try AnyMessage.decode(frames: frames, receiver: message.direction.receiver)
        #expect(decoded.message == message)
        #expect(decoded.body == body)
    }

    @Test func oneEncoderAndOneDecoder_serveManyMessagesInARow() throws {
        let encoder = HeaderEncoder()
        let decoder = HeaderDecoder()
        for _ in 0..<3 {
            for message in Samples.all {
                let (command, header) = message.encode(with: encoder)
                let decoded = try AnyMessage.decode(
                    message.direction, command: command.rawValue, header: header, with: decoder)
                #expect(decoded == message)
            }
        }
    }

    @Test func withEncoded_lendsTheSameBytesEncodeReturns() {
        let encoder = HeaderEncoder()
        let ask = ClientMessage.ask(Samples.maxAsk)
        let (_, copied) = encoder.encode(ask)
        // A small message in between: the lent bytes must not keep the big one's tail.
        _ = encoder.encode(ClientMessage.status)
        let lent = encoder.withEncoded(ask) { command, header in (command, Array(header)) }
        #expect(lent.0 == .ask)
        #expect(lent.1 == copied)
        let status = encoder.withEncoded(ClientMessage.status) { _, header in Array(header) }
        #expect(status == [0x80])
    }

    @Test func encodeReport_writesCountsSortedByKey() {
        let report = Report(uptimeMilliseconds: 0, counts: ["b": 2, "a": 1, "c": 3], queues: [], workers: [])
        let (_, header) = HeaderEncoder().encode(ClientReply.report(report))
        // 84, "uptime" 00, "counts" 83 a1 'a' 01 a1 'b' 02 a1 'c' 03, ...
        let counts: [UInt8] = [0x83, 0xA1, 0x61, 0x01, 0xA1, 0x62, 0x02, 0xA1, 0x63, 0x03]
        #expect(header.indices.contains { header[$0...].starts(with: counts) })
    }

    @Test func encodeNegativeInteger_isWrittenSignedAndRefusedAsInvalid() {
        let (command, header) = HeaderEncoder().encode(ClientMessage.ask(Ask(ticket: "t-1", priority: -1)))
        let code = errorCode { () throws(WireError) in
            try AnyMessage.decode(.clientToBroker, command: command.rawValue, header: header)
        }
        #expect(code == .invalid)
    }
}
