import Testing

@testable import HelplineWire

/// The pre-scan on its own: what it lets through, where it stops, and why.
@Suite struct MessagePackBoundsCheckTests {
    private func check(_ bytes: [UInt8]) -> MessagePackBoundsCheck.Failure? {
        bytes.withUnsafeBytes { MessagePackBoundsCheck.check($0) }
    }

    @Test func check_whenHeaderIsOneCompleteMap_passes() {
        #expect(check([0x80]) == nil)
        #expect(check([0x81, 0xA1, 0x61, 0x92, 0x01, 0x80]) == nil)
        #expect(check([0xDE, 0x00, 0x00]) == nil)
        #expect(check([0xDF, 0x00, 0x00, 0x00, 0x00]) == nil)
    }

    @Test func check_whenTopLevelIsNotAMap_failsAsNotAMap() {
        #expect(check([]) == .empty)
        for first: UInt8 in [0x90, 0xA0, 0x00, 0xC0, 0xDC, 0xDD, 0xC1] {
            #expect(check([first]) == .notAMap)
        }
    }

    @Test func check_whenMapCountExceedsTheBytesLeft_failsBeforeReadingOn() {
        #expect(
            check([0xDF, 0xFF, 0xFF, 0xFF, 0xFF]) == .countExceedsInput(offset: 0, pending: 8_589_934_590, remaining: 0)
        )
        #expect(
            check([0x81, 0xA1, 0x61, 0xDD, 0x00, 0x00, 0x00, 0x02, 0x01])
                == .countExceedsInput(offset: 3, pending: 2, remaining: 1))
    }

    @Test func check_whenEmptyContainerSitsOnePastTheDepthLimit_failsAsTooDeep() {
        let limit = WireLimits.maxNestingDepth
        let atLimit: [UInt8] = [0x81, 0xA1, 0x61] + Array(repeating: 0x91, count: limit - 2) + [0x90]
        #expect(check(atLimit) == nil)
        let pastLimit: [UInt8] = [0x81, 0xA1, 0x61] + Array(repeating: 0x91, count: limit - 1) + [0x90]
        #expect(check(pastLimit) == .tooDeep(offset: 3 + limit - 1))
    }

    @Test func check_whenSiblingsFollowADeepBranch_tracksDepthPerBranch() {
        // Two branches each 8 deep side by side are fine: depth is not cumulative.
        let branch: [UInt8] = Array(repeating: 0x91, count: 6) + [0x01]
        let header: [UInt8] = [0x82, 0xA1, 0x61, 0x91] + branch + [0xA1, 0x62, 0x91] + branch
        #expect(check(header) == nil)
    }

    @Test func check_whenBytesFollowTheMap_failsAsTrailing() {
        #expect(check([0x80, 0x80]) == .trailingBytes(offset: 1, count: 1))
        #expect(check([0x81, 0xA1, 0x61, 0x01, 0xC0, 0xC0]) == .trailingBytes(offset: 4, count: 2))
    }

    @Test func check_whenALengthOrPayloadIsCut_failsAsTruncated() {
        #expect(check([0x81, 0xA1, 0x61, 0xD9]) == .truncated(offset: 4))
        #expect(check([0x81, 0xA1, 0x61, 0xDA, 0x00]) == .truncated(offset: 5))
        #expect(check([0x81, 0xA1, 0x61, 0xA3, 0x61]) == .truncated(offset: 5))
        #expect(check([0x81, 0xA1, 0x61, 0xCB, 0x00]) == .truncated(offset: 5))
        #expect(check([0x81, 0xA1, 0x61]) == .truncated(offset: 3))
    }

    @Test func check_whenReservedByteAppears_failsAtItsOffset() {
        #expect(check([0x81, 0xA1, 0x61, 0xC1]) == .reservedByte(offset: 3))
    }
}
