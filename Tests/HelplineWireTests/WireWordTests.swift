import Testing

@testable import HelplineWire

/// The decoder reads vocabulary words by their bytes: each word is found by its exact
/// spelling and by nothing else.
@Suite struct WireWordTests {
    private func word<V: WireWord>(_ type: V.Type, _ text: String) -> V? {
        Array(text.utf8).withUnsafeBytes { V.word(spelledBy: $0) }
    }

    private func everyWordIsFoundBySpelling<V: WireWord & Equatable>(_ type: V.Type) {
        for value in V.allCases {
            #expect(word(type, value.rawValue) == value, "\(value.rawValue)")
        }
    }

    @Test func everyWordOfEveryVocabulary_isFoundByItsSpelling() {
        everyWordIsFoundBySpelling(Role.self)
        everyWordIsFoundBySpelling(Presence.self)
        everyWordIsFoundBySpelling(Decision.self)
        everyWordIsFoundBySpelling(TransferReason.self)
        everyWordIsFoundBySpelling(RevokeReason.self)
        everyWordIsFoundBySpelling(TicketStage.self)
    }

    @Test(arguments: ["", "approv", "approve ", " approve", "Approve", "approvE", "approvee", "rejec\u{0}", "option\u{1F}"])
    func nearMisses_areNoWord(_ text: String) {
        #expect(word(Decision.self, text) == nil)
    }

    @Test func wordsWithHyphens_andWordsOfAnotherVocabulary() {
        #expect(word(RevokeReason.self, "lease-expired") == .leaseExpired)
        #expect(word(RevokeReason.self, "lease_expired") == nil)
        #expect(word(TransferReason.self, "no-hila") == .noHILA)
        #expect(word(TransferReason.self, "hila") == .hila)
        #expect(word(Role.self, "hila") == .hila)
        #expect(word(Role.self, "approve") == nil)
    }
}
