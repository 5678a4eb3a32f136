/// A vocabulary of HLP/1 (spec §"Vocabulary") that the decoder reads by comparing the
/// header's bytes with each word's, without building a `String`: `init?(rawValue:)` on a
/// String builds the String, then runs a string switch, on every ANSWER's `decision` and
/// every ASK's `role`.
protocol WireWord: RawRepresentable, CaseIterable where RawValue == String {
    /// Every word with its UTF-8 spelling, in declaration order. Each conformance stores it
    /// (`static let`), so it is built once.
    static var spellings: [(word: Self, utf8: [UInt8])] { get }
}

extension WireWord {
    /// The table `spellings` is made from.
    static func makeSpellings() -> [(word: Self, utf8: [UInt8])] {
        allCases.map { ($0, Array($0.rawValue.utf8)) }
    }

    /// The word spelled by `bytes`; nil for any other bytes.
    static func word(spelledBy bytes: UnsafeRawBufferPointer) -> Self? {
        for entry in spellings where entry.utf8.withUnsafeBytes({ sameBytes($0, bytes) }) { return entry.word }
        return nil
    }
}

extension Role: WireWord { static let spellings = makeSpellings() }
extension Presence: WireWord { static let spellings = makeSpellings() }
extension Decision: WireWord { static let spellings = makeSpellings() }
extension TransferReason: WireWord { static let spellings = makeSpellings() }
extension RevokeReason: WireWord { static let spellings = makeSpellings() }
extension TicketStage: WireWord { static let spellings = makeSpellings() }
