import HelplineWire
import Testing

/// Frame-level checks: counts, signature, command, direction, body, sizes.
@Suite struct WireEnvelopeTests {
    private let client = Signature.client.bytes
    private let worker = Signature.worker.bytes

    private func code(_ frames: [[UInt8]], receiver: Peer = .broker) -> ErrorCode? {
        errorCode { () throws(WireError) in try WireEnvelope.withFrames(frames, receiver: receiver) { _ in () } }
    }

    @Test func parse_whenFramesAreValid_exposesSignatureDirectionCommandHeaderAndBody() throws {
        let frames = [client, [0x01], [0x81, 0xA2, 0x69, 0x64, 0xA1, 0x74], [0xC0]]
        try WireEnvelope.withFrames(frames, receiver: .broker) { envelope in
            #expect(envelope.signature == .client)
            #expect(envelope.direction == .clientToBroker)
            #expect(envelope.command == .ask)
            #expect(Array(envelope.header) == frames[2])
            #expect(envelope.body.map { Array($0) } == [0xC0])
        }
    }

    @Test func parse_whenBodyFrameIsEmpty_reportsNoBody() throws {
        try WireEnvelope.withFrames([worker, [0x22], [0x80], []], receiver: .broker) { envelope in
            #expect(envelope.body == nil)
        }
    }

    @Test(arguments: [0, 1, 2, 5, 6])
    func parse_whenFrameCountIsNotThreeOrFour_isMalformed(_ count: Int) {
        let frames = Array([client, [0x01], [0x80], [0x01], [0x02], [0x03]].prefix(count))
        #expect(code(frames) == .malformed)
    }

    @Test(arguments: ["HLPC02", "HLPW00", "MDPC01", "HLPC0", "HLPC011", ""])
    func parse_whenSignatureIsUnknown_isUnsupportedVersion(_ signature: String) {
        #expect(code([Array(signature.utf8), [0x01], [0x80]]) == .unsupportedVersion)
        // The signature is judged first: a wrong one earns 505 whatever the frame count.
        #expect(code([Array(signature.utf8)]) == .unsupportedVersion)
    }

    @Test func parse_whenCommandFrameIsNotOneByte_isMalformed() {
        #expect(code([client, [], [0x80]]) == .malformed)
        #expect(code([client, [0x01, 0x01], [0x80]]) == .malformed)
    }

    @Test func parse_whenCommandByteIsInNoTable_isMalformedOnEverySide() {
        for receiver in Peer.allCases {
            for byte: UInt8 in [0x00, 0x08, 0x17, 0x26, 0x33, 0xFF] {
                #expect(
                    code([receiver == .worker ? worker : client, [byte], [0x80]], receiver: receiver) == .malformed)
            }
        }
    }

    /// Every known command on every (signature, receiver): legal exactly where 1-HLP.md §Commands says.
    @Test func parse_whenCommandIsKnown_isForbiddenOutsideItsDirection() {
        for signature in Signature.allCases {
            for receiver in Peer.allCases {
                let direction = Direction(signature: signature, receiver: receiver)
                for command in Command.allCases {
                    // The one exception: the broker's 505 ERROR travels on HLPC01 to workers too.
                    let exception = signature == .client && receiver == .worker && command == .error
                    let expected: ErrorCode? = direction?.allows(command) == true || exception ? nil : .forbidden
                    #expect(
                        code([signature.bytes, [command.rawValue], [0x80]], receiver: receiver) == expected,
                        "\(command) on \(signature.rawValue) to \(receiver)")
                }
            }
        }
    }

    @Test func directions_allowExactlyTheCommandsOfWireMD() {
        func allowed(_ direction: Direction) -> Set<String> {
            Set(Command.allCases.filter(direction.allows).map(\.description))
        }
        #expect(allowed(.clientToBroker) == ["ASK", "CANCEL", "RESUME", "STATUS", "HEARTBEAT"])
        #expect(
            allowed(.brokerToClient)
                == [
                    "QUEUED", "ASSIGNED", "ANSWERED", "TRANSFERRED", "EXPIRED", "CANCELLED", "REPORT", "ERROR",
                    "HEARTBEAT",
                ])
        #expect(
            allowed(.workerToBroker)
                == ["READY", "HEARTBEAT", "ACCEPT", "ANSWER", "TRANSFER", "DECLINE", "EXTEND", "DISCONNECT"])
        #expect(allowed(.brokerToWorker) == ["WELCOME", "ASSIGN", "REVOKE", "HEARTBEAT", "ERROR", "DISCONNECT"])
    }

    @Test func parse_whenAFourthFrameFollowsACommandWithoutBody_isMalformed() {
        for direction in Direction.allCases {
            for command in Command.allCases where direction.allows(command) {
                let frames = [direction.signature.bytes, [command.rawValue], [0x80], [0x01]]
                #expect(
                    code(frames, receiver: direction.receiver) == (command.carriesBody ? nil : .malformed), "\(command)"
                )
            }
        }
    }

    @Test func parse_whenBodyIsOnePastOneMiB_isTooLarge() {
        let atLimit = [UInt8](repeating: 0x61, count: WireLimits.maxBodyBytes)
        #expect(code([client, [0x01], [0x80], atLimit]) == nil)
        #expect(code([client, [0x01], [0x80], atLimit + [0x61]]) == .tooLarge)
    }

    @Test func parse_whenHeaderIsOnePast64KiB_isTooLarge() {
        let atLimit = [UInt8](repeating: 0x61, count: WireLimits.maxHeaderBytes)
        #expect(code([client, [0x04], atLimit]) == nil)  // the envelope only measures the header
        #expect(code([client, [0x04], atLimit + [0x61]]) == .tooLarge)
    }

    @Test func wireError_carriesTheRefusedCommandIntoTheErrorReply() {
        do {
            try WireEnvelope.withFrames([client, [0x20], [0x80]], receiver: .broker) { _ in () }
            Issue.record("READY on HLPC01 was accepted")
        } catch {
            #expect(error.reply == ErrorReply(code: .forbidden, text: error.text, command: 0x20))
            #expect(error.text.contains("READY"))
        }
    }

    @Test func frames_leaveAnEmptyBodyOut() {
        #expect(WireEnvelope.frames(signature: .client, command: .ask, header: [0x80], body: []).count == 3)
        #expect(WireEnvelope.frames(signature: .client, command: .ask, header: [0x80], body: [0x01]).count == 4)
    }
}
