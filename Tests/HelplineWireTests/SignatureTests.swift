import Testing

@testable import HelplineWire

/// Frame 0: exactly the six bytes of a signature, or nothing.
@Suite struct SignatureTests {
    @Test(arguments: Signature.allCases)
    func eachSignature_isRecognisedFromItsBytes(_ signature: Signature) {
        #expect(signature.bytes.withUnsafeBytes { Signature(bytes: $0) } == signature)
    }

    @Test(arguments: ["HLPX01", "HLPC02", "HLPW00", "hlpc01", "XLPC01", "HXPW01", "HLXC01", "HLPC0", "HLPC011", "", "MDPC01"])
    func nearMisses_areNotSignatures(_ text: String) {
        #expect(Array(text.utf8).withUnsafeBytes { Signature(bytes: $0) } == nil)
    }
}
