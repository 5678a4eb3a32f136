import HelplineWire
import HelplineWorker

/// What a `helpline work --exec` command printed, read as a reply (README "helpline work"):
///
/// - `{"decision":"approve"}`, `{"decision":"reject","text":"why"}`
/// - `{"decision":"option","option":"partial"}`
/// - `{"decision":"answer","text":"The address on file is …"}`
/// - `{"decision":"edit","edited":{"amount":200}}` (any JSON, or text)
/// - `{"transfer":"note for the live agent"}` (or `null` for no note)
/// - `{"decline":"reason"}` (or `null`)
///
/// For a live ticket, `{"decline":…}` declines it and any other object takes the
/// conversation over.
enum ExecReply: Equatable {
    /// Send this reply.
    case reply(WorkerReply)
    /// Take the live conversation over (ACCEPT a live ticket).
    case takeOver

    /// Why the output is not a reply.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(parsing output: [UInt8], role: Role) throws(Invalid) {
        let text = String(decoding: output, as: UTF8.self)
        guard !text.allSatisfy(\.isWhitespace) else { throw Invalid(description: "the command printed nothing") }
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw Invalid(description: "the command's output is not JSON: \(error)")
        }
        guard case .object = json else { throw Invalid(description: "the command's output is not a JSON object") }
        if let reason = json["decline"] {
            self = .reply(.decline(reason: reason.stringValue))
            return
        }
        if role == .live {
            self = .takeOver
            return
        }
        if let note = json["transfer"] {
            self = .reply(.transfer(note: note.stringValue))
            return
        }
        guard let name = json["decision"]?.stringValue else {
            throw Invalid(description: "the reply holds none of decision, transfer, decline")
        }
        guard let decision = Decision(rawValue: name) else {
            throw Invalid(description: "decision \"\(name)\" is not one of approve, reject, edit, answer, option")
        }
        let answer = AnswerBody(text: json["text"]?.stringValue, edited: json["edited"]?.bodyValue)
        let body = answer.text == nil && answer.edited == nil ? [] : answer.encoded()
        self = .reply(.answer(decision, option: json["option"]?.stringValue, body: body))
    }
}
