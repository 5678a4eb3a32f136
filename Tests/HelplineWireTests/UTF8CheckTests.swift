import Testing

@testable import HelplineWire

/// The hand-written UTF-8 check agrees with the standard library's validating decoder.
@Suite struct UTF8CheckTests {
    @Test func isValid_agreesWithTheStandardLibraryOnRandomBytes() {
        var random = SplitMix64(seed: 8)
        // Bytes drawn mostly from the interesting edges of the UTF-8 tables.
        let interesting: [UInt8] = [
            0x00, 0x1F, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
            0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        for _ in 0..<200_000 {
            let length = Int.random(in: 0...12, using: &random)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &random)
                    ? interesting.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            let actual = bytes.withUnsafeBytes { UTF8Check.isValid($0) }
            #expect(actual == expected, "\(bytes)")
            if actual != expected { return }
        }
    }

    @Test func isValid_acceptsLongASCIIAndMixedText() {
        let text = String(repeating: "plain ascii text, ", count: 20) + "ü€🙂" + String(repeating: "z", count: 13)
        #expect(Array(text.utf8).withUnsafeBytes { UTF8Check.isValid($0) })
        let broken = Array(text.utf8.dropLast(14))  // cut inside 🙂
        #expect(!broken.withUnsafeBytes { UTF8Check.isValid($0) })
    }

    @Test func hasControlCharacter_findsC0AndDeleteButNotC1() {
        for byte: UInt8 in [0x00, 0x09, 0x0A, 0x1F, 0x7F] {
            #expect([0x61, byte].withUnsafeBytes { UTF8Check.hasControlCharacter($0) })
        }
        #expect(!Array("a\u{85}é".utf8).withUnsafeBytes { UTF8Check.hasControlCharacter($0) })
    }
}
