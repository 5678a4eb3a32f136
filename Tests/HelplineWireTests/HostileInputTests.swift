import HelplineWire
import Testing

/// Truncated, random, mutated and hostile headers: always a value or a WireError, never a
/// trap, never an allocation the input does not justify.
@Suite struct HostileInputTests {
    static let seeds: [AnyMessage] = [
        .clientMessage(.ask(Samples.maxAsk)),
        .clientMessage(.ask(Ask(ticket: "t-1182", skills: ["refunds"], options: ["yes", "no"]))),
        .clientReply(.report(Samples.report)),
        .clientReply(.error(ErrorReply(code: .invalid, text: "no", ticket: "t-1", command: 1))),
        .workerMessage(.ready(Ready(name: "ana", role: .hila, skills: ["refunds"], holding: ["t-1", "t-2"]))),
        .workerDirective(Samples.workerDirectives[3]),
    ]

    @Test(arguments: seeds)
    func decode_whenHeaderIsCutAtAnyByte_isMalformed(_ message: AnyMessage) {
        let (command, header) = message.encode()
        let decoder = HeaderDecoder()
        for length in 0..<header.count {
            let code = errorCode { () throws(WireError) in
                try AnyMessage.decode(
                    message.direction, command: command.rawValue, header: Array(header[..<length]), with: decoder)
            }
            #expect(code == .malformed, "cut at \(length) of \(header.count)")
        }
    }

    @Test func decode_whenBytesAreRandom_neverTraps() {
        var random = SplitMix64(seed: 0x484C_5043_3031)
        let decoder = HeaderDecoder()
        let commands = Command.allCases.map(\.rawValue) + [0x00, 0x40, 0xFF]
        var decoded = 0
        for _ in 0..<40_000 {
            let length = Int.random(in: 0...48, using: &random)
            var header = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Most random bytes are not a map; start half of them with one so the walk goes deeper.
            if !header.isEmpty && Bool.random(using: &random) { header[0] = 0x80 | (header[0] & 0x0F) }
            let command = commands.randomElement(using: &random)!
            let direction = Direction.allCases.randomElement(using: &random)!
            if (try? AnyMessage.decode(direction, command: command, header: header, with: decoder)) != nil {
                decoded += 1
            }
        }
        #expect(decoded > 0, "some random maps are valid STATUS/HEARTBEAT headers")
    }

    @Test(arguments: seeds)
    func decode_whenValidHeaderIsMutated_neverTrapsAndWhatDecodesReencodes(_ message: AnyMessage) throws {
        var random = SplitMix64(seed: UInt64(message.encode().1.count))
        let (command, header) = message.encode()
        let decoder = HeaderDecoder()
        let encoder = HeaderEncoder()
        for _ in 0..<5_000 {
            var mutated = header
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<mutated.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: mutated[index] = UInt8.random(in: 0...255, using: &random)
                case 1: mutated[index] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                default: mutated.insert(UInt8.random(in: 0...255, using: &random), at: index)
                }
            }
            guard
                let decoded = try? AnyMessage.decode(
                    message.direction, command: command.rawValue, header: mutated, with: decoder)
            else { continue }
            // Whatever a mutation still decodes to must survive its own round trip.
            let (again, canonical) = decoded.encode(with: encoder)
            #expect(
                try AnyMessage.decode(message.direction, command: again.rawValue, header: canonical, with: decoder)
                    == decoded)
        }
    }

    @Test(
        arguments: [
            [0xDF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00],  // map32 of 4G entries in 9 bytes
            [0x81, 0xA6] + Array("skills".utf8) + [0xDD, 0xFF, 0xFF, 0xFF, 0xFF],  // array32 of 4G skills
            [0x81, 0xA1, 0x78, 0x91, 0x91, 0xDD, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x02, 0x03],  // nested, unknown key
            [0x81, 0xA1, 0x78, 0xDE, 0xFF, 0xFF],  // map16 of 65,535 entries in 6 bytes
            [0x82, 0xA1, 0x78, 0xDC, 0x00, 0x03, 0x01, 0x02],  // array16 claims 3, 2 follow
        ] as [[UInt8]])
    func decode_whenACountLiesAboutTheInputSize_isMalformedAtOnce(_ header: [UInt8]) {
        let decoder = HeaderDecoder()
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<1_000 {
                let code = errorCode { () throws(WireError) in
                    try AnyMessage.decode(.clientToBroker, command: Command.ask.rawValue, header: header, with: decoder)
                }
                #expect(code == .malformed)
            }
        }
        // msgpack-c given these would try to allocate up to 4G × 48 bytes; the walk refuses first.
        #expect(elapsed < .seconds(1))
    }

    @Test func decode_whenNestedExactlyToTheLimit_isAcceptedAndOnePastIsMalformed() throws {
        func header(depth: Int) -> [UInt8] {
            // The header map is level 1; the unknown key's value adds depth - 1 arrays.
            [0x81, 0xA1, 0x78] + Array(repeating: 0x91, count: depth - 1) + [0x01]
        }
        let limit = WireLimits.maxNestingDepth
        #expect(
            try AnyMessage.decode(.clientToBroker, command: Command.status.rawValue, header: header(depth: limit))
                == .clientMessage(.status))
        let code = errorCode { () throws(WireError) in
            try AnyMessage.decode(.clientToBroker, command: Command.status.rawValue, header: header(depth: limit + 1))
        }
        #expect(code == .malformed)
    }

    @Test func decode_whenHeaderIsExactly64KiB_isAcceptedAndOneByteMoreIsTooLarge() throws {
        func cancel(totalBytes: Int) -> [UInt8] {
            // 82 a2 'id' a3 't-1' a1 'x' da <len16> <padding>
            let fixed = 1 + 3 + 4 + 2 + 3
            return [0x82, 0xA2, 0x69, 0x64, 0xA3, 0x74, 0x2D, 0x31, 0xA1, 0x78, 0xDA]
                + [UInt8((totalBytes - fixed) >> 8), UInt8((totalBytes - fixed) & 0xFF)]
                + Array(repeating: 0x70, count: totalBytes - fixed)
        }
        let limit = WireLimits.maxHeaderBytes
        #expect(cancel(totalBytes: limit).count == limit)
        #expect(
            try AnyMessage.decode(.clientToBroker, command: 0x02, header: cancel(totalBytes: limit))
                == .clientMessage(.cancel(ticket: "t-1")))
        let code = errorCode { () throws(WireError) in
            try AnyMessage.decode(.clientToBroker, command: 0x02, header: cancel(totalBytes: limit + 1))
        }
        #expect(code == .tooLarge)
    }
}
