/// The recommended ANSWER (and ANSWERED) body (spec §"Body conventions"): the human's
/// words and edits, as a MessagePack map.
public struct AnswerBody: Sendable, Equatable {
    /// The free-text answer (decision `answer`) or the reason (decision `reject`): `text`.
    public var text: String?
    /// The edited version of the agent's proposal (decision `edit`): `edited`.
    public var edited: BodyValue?

    /// Creates an answer body.
    public init(text: String? = nil, edited: BodyValue? = nil) {
        self.text = text
        self.edited = edited
    }

    /// Reads an answer body: nil unless it is a MessagePack map; other keys are ignored.
    public init?(decoding body: [UInt8]) {
        guard let map = BodyValue(messagePack: body)?.mapValue else { return nil }
        text = map["text"]?.stringValue
        edited = map["edited"]
    }

    /// The body's bytes: a map holding the fields that are set.
    public func encoded() -> [UInt8] {
        var map: [String: BodyValue] = [:]
        if let text { map["text"] = .string(text) }
        if let edited { map["edited"] = edited }
        return BodyValue.map(map).messagePack()
    }
}
