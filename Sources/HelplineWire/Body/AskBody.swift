/// The recommended ASK body (spec §"Body conventions"): a MessagePack map that any
/// console knows how to show. The broker never reads it.
public struct AskBody: Sendable, Equatable {
    /// One turn of the conversation so far.
    public struct TranscriptEntry: Sendable, Equatable {
        /// Who spoke: "customer", "agent", ...
        public var role: String
        /// What they said.
        public var text: String

        /// Creates a transcript entry.
        public init(role: String, text: String) {
            self.role = role
            self.text = text
        }
    }

    /// What the agent asks the human (`prompt`).
    public var prompt: String
    /// Why it asks and what it knows (`context`): a map or a string.
    public var context: BodyValue?
    /// The conversation so far (`transcript`).
    public var transcript: [TranscriptEntry]
    /// Who the customer is (`customer`): name, id, tier, ...
    public var customer: [String: BodyValue]?
    /// What the agent proposes to do or say (`proposed`), which the human may approve,
    /// reject or edit.
    public var proposed: BodyValue?

    /// Creates an ASK body; only the prompt is needed.
    public init(
        prompt: String, context: BodyValue? = nil, transcript: [TranscriptEntry] = [],
        customer: [String: BodyValue]? = nil, proposed: BodyValue? = nil
    ) {
        self.prompt = prompt
        self.context = context
        self.transcript = transcript
        self.customer = customer
        self.proposed = proposed
    }

    /// Reads a body written by any agent that follows the convention: nil unless it is a
    /// MessagePack map; keys it does not know, or of the wrong type, are ignored.
    public init?(decoding body: [UInt8]) {
        guard let map = BodyValue(messagePack: body)?.mapValue else { return nil }
        prompt = map["prompt"]?.stringValue ?? ""
        context = map["context"]
        transcript = (map["transcript"]?.arrayValue ?? []).compactMap { entry in
            guard let role = entry["role"]?.stringValue, let text = entry["text"]?.stringValue else { return nil }
            return TranscriptEntry(role: role, text: text)
        }
        customer = map["customer"]?.mapValue
        proposed = map["proposed"]
    }

    /// The body's bytes: a map holding the fields that are set.
    public func encoded() -> [UInt8] {
        var map: [String: BodyValue] = ["prompt": .string(prompt)]
        if let context { map["context"] = context }
        if !transcript.isEmpty {
            map["transcript"] = .array(transcript.map { ["role": .string($0.role), "text": .string($0.text)] })
        }
        if let customer { map["customer"] = .map(customer) }
        if let proposed { map["proposed"] = proposed }
        return BodyValue.map(map).messagePack()
    }
}
