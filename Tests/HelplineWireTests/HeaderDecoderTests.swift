import HelplineWire
import Testing

/// Decoding rules of 1-HLP.md §Header Encoding, one behaviour per test, on hand-made bytes.
@Suite struct HeaderDecoderTests {
    private func decodeAsk(_ header: [UInt8]) throws(WireError) -> Ask {
        guard case .clientMessage(.ask(let ask)) = try AnyMessage.decode(.clientToBroker, command: 0x01, header: header)
        else {
            preconditionFailure("ASK decoded to another message")
        }
        return ask
    }

    private func askError(_ header: [UInt8]) -> WireError? {
        do {
            _ = try decodeAsk(header)
            return nil
        } catch {
            return error
        }
    }

    /// `{"id": "t-1", ...extra}` with the extra entries already packed.
    private func askHeader(entries: Int = 0, _ extra: [UInt8] = []) -> [UInt8] {
        [0x81 + UInt8(entries), 0xA2, 0x69, 0x64, 0xA3, 0x74, 0x2D, 0x31] + extra
    }

    private func str(_ text: String) -> [UInt8] { [0xA0 | UInt8(text.utf8.count)] + Array(text.utf8) }

    @Test func decodeAsk_whenOnlyIdIsGiven_takesEveryDefault() throws {
        #expect(try decodeAsk(askHeader()) == Ask(ticket: "t-1"))
    }

    @Test func decodeAsk_whenPriorityIsTwelve_isInvalidAndSaysWhatAndWhere() {
        let error = askError(askHeader(entries: 1, str("priority") + [0x0C]))
        #expect(error?.code == .invalid)
        #expect(error?.text == "ASK: 'priority' is 12; must be 0...9")
        #expect(error?.ticket == "t-1")
        #expect(error?.command == 0x01)
    }

    @Test(
        arguments: [
            [0xCC, 0x07], [0xCD, 0x00, 0x07], [0xCE, 0x00, 0x00, 0x00, 0x07], [0xCF, 0, 0, 0, 0, 0, 0, 0, 0x07],
            [0xD0, 0x07], [0xD1, 0x00, 0x07], [0xD2, 0x00, 0x00, 0x00, 0x07], [0xD3, 0, 0, 0, 0, 0, 0, 0, 0x07],
        ] as [[UInt8]])
    func decodeAsk_whenPriorityUsesAnyIntegerForm_acceptsItsValue(_ seven: [UInt8]) throws {
        #expect(try decodeAsk(askHeader(entries: 1, str("priority") + seven)).priority == 7)
    }

    @Test(arguments: [[0xFF], [0xD0, 0xFF], [0xD3, 0x80, 0, 0, 0, 0, 0, 0, 0]] as [[UInt8]])
    func decodeAsk_whenPriorityIsNegative_isInvalid(_ negative: [UInt8]) {
        #expect(askError(askHeader(entries: 1, str("priority") + negative))?.code == .invalid)
    }

    @Test(
        arguments: [
            [0xC0], [0xC2], [0xC3], [0xCA, 0, 0, 0, 0], [0xCB, 0, 0, 0, 0, 0, 0, 0, 0], [0xC4, 0x01, 0x07],
            [0xD4, 0x01, 0x07], [0xA1, 0x37], [0x91, 0x07], [0x80],
        ] as [[UInt8]])
    func decodeAsk_whenPriorityIsNotAnInteger_isMalformed(_ value: [UInt8]) {
        #expect(askError(askHeader(entries: 1, str("priority") + value))?.code == .malformed)
    }

    @Test func decodeAsk_whenKeysComeInAnyOrder_decodesTheSameAsk() throws {
        let reversed: [UInt8] = [0x83] + str("priority") + [0x03] + str("role") + str("live") + str("id") + str("t-1")
        #expect(try decodeAsk(reversed) == Ask(ticket: "t-1", role: .live, priority: 3))
    }

    /// Forward compatibility: an unknown key of any MessagePack type is skipped, and the
    /// bounds check must walk each type exactly as msgpack-c does.
    @Test(
        arguments: [
            [0xC0], [0xC2], [0xC3], [0x7F], [0xE0], [0xCC, 1], [0xCD, 1, 2], [0xCE, 1, 2, 3, 4],
            [0xCF, 1, 2, 3, 4, 5, 6, 7, 8],
            [0xD0, 1], [0xD1, 1, 2], [0xD2, 1, 2, 3, 4], [0xD3, 1, 2, 3, 4, 5, 6, 7, 8], [0xCA, 1, 2, 3, 4],
            [0xCB, 1, 2, 3, 4, 5, 6, 7, 8], [0xA3, 0x61, 0x62, 0x63], [0xD9, 2, 0x61, 0x62], [0xDA, 0, 1, 0x61],
            [0xDB, 0, 0, 0, 1, 0x61], [0xC4, 1, 0xFF], [0xC5, 0, 1, 0xFF], [0xC6, 0, 0, 0, 1, 0xFF],
            [0xD4, 1, 1], [0xD5, 1, 1, 2], [0xD6, 1, 1, 2, 3, 4], [0xD7, 1] + Array(repeating: 0, count: 8),
            [0xD8, 1] + Array(repeating: 0, count: 16), [0xC7, 2, 1, 0xAA, 0xBB], [0xC8, 0, 2, 1, 0xAA, 0xBB],
            [0xC9, 0, 0, 0, 2, 1, 0xAA, 0xBB], [0x92, 0x01, 0xA1, 0x61], [0xDC, 0, 2, 0x01, 0x02],
            [0xDD, 0, 0, 0, 2, 0x01, 0x02], [0x81, 0x01, 0x02], [0xDE, 0, 1, 0xC0, 0xC0],
            [0xDF, 0, 0, 0, 1, 0xC3, 0x80],
            [0x90], [0x80], [0xA0],
        ] as [[UInt8]])
    func decodeAsk_whenAnUnknownKeyHoldsAnyType_ignoresIt(_ value: [UInt8]) throws {
        // The unknown entry sits between two known ones so a mis-walk shows.
        let header: [UInt8] = [0x83] + str("id") + str("t-1") + str("x-future") + value + str("priority") + [0x04]
        #expect(try decodeAsk(header) == Ask(ticket: "t-1", priority: 4))
    }

    @Test func decodeAsk_whenAKeyAppearsTwice_isMalformed() {
        #expect(
            askError(askHeader(entries: 2, str("role") + str("hila") + str("role") + str("live")))?.code == .malformed)
        #expect(askError(askHeader(entries: 1, str("id") + str("t-2")))?.code == .malformed)
    }

    @Test func decodeAsk_whenManyUnknownKeysAreDistinct_decodesAndOneRepeat_isMalformed() throws {
        var entries: [UInt8] = []
        for index in 0..<300 { entries += str("k\(index)") + [0x01] }
        let header: [UInt8] = [0xDE, 0x01, 0x2D] + str("id") + str("t-1") + entries  // map16 of 301 entries
        #expect(try decodeAsk(header) == Ask(ticket: "t-1"))
        let repeated: [UInt8] = [0xDE, 0x01, 0x2E] + str("id") + str("t-1") + entries + str("k150") + [0x02]
        #expect(askError(repeated)?.code == .malformed)
    }

    @Test func decodeAsk_whenAKeyIsNotAString_isMalformed() {
        #expect(askError(askHeader(entries: 1, [0x01, 0x01]))?.code == .malformed)
        #expect(askError(askHeader(entries: 1, [0xC4, 0x01, 0x61, 0x01]))?.code == .malformed)  // bin key
    }

    @Test func decodeAsk_whenAnUnknownKeyIsInvalidUTF8_isMalformed() {
        #expect(askError(askHeader(entries: 1, [0xA2, 0xC3, 0x28, 0x01]))?.code == .malformed)
    }

    @Test func decodeAsk_whenOptionsRepeat_isInvalidButRepeatedSkillsAreAllowed() throws {
        let options = str("options") + [0x92] + str("yes") + str("yes")
        #expect(askError(askHeader(entries: 1, options))?.code == .invalid)
        let skills = str("skills") + [0x92] + str("refunds") + str("refunds")
        #expect(try decodeAsk(askHeader(entries: 1, skills)).skills == ["refunds", "refunds"])
    }

    @Test func decodeAsk_whenIdHoldsNonASCIIPrintableText_decodes() throws {
        let header: [UInt8] = [0x81] + str("id") + str("ticket-ü-€-🙂")
        #expect(try decodeAsk(header).ticket == "ticket-ü-€-🙂")
    }

    @Test func decodeAsk_whenIdHoldsAC1ControlCharacter_decodes() throws {
        // 1-HLP.md §Names and text forbids U+0000–U+001F and U+007F only; U+0085 is allowed.
        #expect(try decodeAsk([0x81] + str("id") + str("a\u{85}b")).ticket == "a\u{85}b")
    }

    @Test func decodeTransfer_whenNoteHoldsNewlines_keepsThem() throws {
        let header: [UInt8] = [0x82] + str("id") + str("t-1") + str("note") + str("a\nb\tc")
        let message = try AnyMessage.decode(.workerToBroker, command: 0x23, header: header)
        #expect(message == .workerMessage(.transfer(ticket: "t-1", note: "a\nb\tc")))
    }

    @Test func decodeAnswer_whenDecisionIsOptionWithoutOption_isInvalid() {
        let header: [UInt8] = [0x82] + str("id") + str("t-1") + str("decision") + str("option")
        let code = errorCode { () throws(WireError) in
            try AnyMessage.decode(.workerToBroker, command: 0x22, header: header)
        }
        #expect(code == .invalid)
    }

    @Test func decodeReport_whenACounterAppearsTwice_isMalformed() {
        let counts: [UInt8] = str("counts") + [0x82] + str("a") + [0x01] + str("a") + [0x02]
        let header: [UInt8] =
            [0x84] + str("uptime") + [0x00] + counts + str("queues") + [0x90] + str("workers") + [0x90]
        let code = errorCode { () throws(WireError) in
            try AnyMessage.decode(.brokerToClient, command: 0x16, header: header)
        }
        #expect(code == .malformed)
    }

    @Test func decodeReport_whenAnEntryHasAnUnknownKey_ignoresIt() throws {
        let queue: [UInt8] =
            [0x85] + str("role") + str("hila") + str("x") + [0xC0] + str("skills") + [0x90] + str("waiting") + [0x01]
            + str("oldest") + [0x02]
        let header: [UInt8] =
            [0x84] + str("uptime") + [0x00] + str("counts") + [0x80] + str("queues") + [0x91] + queue + str("workers")
            + [0x90]
        let expected = Report(
            uptimeMilliseconds: 0, counts: [:],
            queues: [Report.Queue(role: .hila, skills: [], waiting: 1, oldestMilliseconds: 2)], workers: [])
        #expect(
            try AnyMessage.decode(.brokerToClient, command: 0x16, header: header) == .clientReply(.report(expected)))
    }

    @Test func decodeClientMessage_whenCommandIsForAnotherDirection_isForbidden() {
        let code = errorCode { () throws(WireError) in
            try HeaderDecoder().decodeWorkerMessage(command: 0x01, header: UnsafeRawBufferPointer(start: nil, count: 0))
        }
        #expect(code == .forbidden)
    }

    @Test func decode_afterAnError_theSameDecoderKeepsWorking() throws {
        let decoder = HeaderDecoder()
        for _ in 0..<100 {
            let bad = askHeader(entries: 1, str("priority") + [0x0C])
            #expect(throws: WireError.self) {
                try AnyMessage.decode(.clientToBroker, command: 0x01, header: bad, with: decoder)
            }
            let good = try AnyMessage.decode(.clientToBroker, command: 0x01, header: askHeader(), with: decoder)
            #expect(good == .clientMessage(.ask(Ask(ticket: "t-1"))))
        }
    }
}
