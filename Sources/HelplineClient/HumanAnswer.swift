import HelplineWire

/// A HILA's answer: the ANSWERED header and the worker's body, byte for byte.
public struct HumanAnswer: Sendable, Equatable {
    /// What the human decided.
    public var decision: Decision
    /// The chosen option when `decision` is `.option`.
    public var option: String?
    /// The answer body as the worker sent it (empty when none); see ``answerBody``.
    public var body: [UInt8]
    /// The worker's stable name.
    public var worker: String
    /// From the broker's receipt of the ASK to the answer, as the broker measured.
    public var elapsed: Duration

    /// Creates an answer.
    public init(decision: Decision, option: String? = nil, body: [UInt8] = [], worker: String, elapsed: Duration) {
        self.decision = decision
        self.option = option
        self.body = body
        self.worker = worker
        self.elapsed = elapsed
    }

    /// The body read as the recommended answer map (`text`, `edited`); nil when the body is
    /// empty or is not such a map.
    public var answerBody: AnswerBody? { AnswerBody(decoding: body) }

    /// The free-text answer, or the reason for a rejection, from the body's `text`.
    public var text: String? { answerBody?.text }

    /// The human's edited version of the proposal, from the body's `edited`.
    public var edited: BodyValue? { answerBody?.edited }
}
