import Testing

@testable import helpline

/// The console's key decoder, fed bytes as a terminal sends them, in any split.
@Suite("Key decoder")
struct KeyDecoderTests {
    private func keys(_ chunks: [[UInt8]]) -> [Key] {
        var decoder = KeyDecoder()
        return chunks.flatMap { decoder.feed($0) }
    }

    @Test func arrowsPagingAndControlKeys_decode() {
        #expect(keys([[0x1B, 0x5B, 0x41], [0x1B, 0x5B, 0x42]]) == [.up, .down])
        #expect(keys([[0x1B, 0x4F, 0x43]]) == [.right], "SS3 form, application cursor mode")
        #expect(keys([Array("\u{1B}[5~\u{1B}[6~\u{1B}[3~".utf8)]) == [.pageUp, .pageDown, .delete])
        #expect(keys([[0x0D, 0x7F, 0x03, 0x15]]) == [.enter, .backspace, .control("c"), .control("u")])
    }

    @Test func sequenceSplitAcrossReads_completesOnTheNext() {
        #expect(keys([[0x1B], [0x5B], [0x41]]) == [.up])
        #expect(keys([[0xC3], [0xA9]]) == [.character("é")])
        #expect(keys([[0xF0, 0x9F], [0x98, 0x80]]) == [.character("😀")])
    }

    @Test func loneEscape_isTheEscapeKeyOnlyOnceNothingFollows() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]).isEmpty)
        #expect(decoder.awaitsEscape)
        #expect(decoder.flushEscape() == [.escape])
        #expect(decoder.feed(Array("a".utf8)) == [.character("a")])
    }

    @Test func unknownOrOverlongSequences_areDropped_notTyped() {
        #expect(keys([Array("\u{1B}[15~x".utf8)]) == [.unknown, .character("x")])
        #expect(keys([[0x1B, 0x5B] + Array(repeating: 0x31, count: 40) + [0x41, 0x62]]).last == .character("b"))
        #expect(keys([[0xC3, 0x41]]) == [.character("A")], "a broken UTF-8 lead is dropped")
    }
}
