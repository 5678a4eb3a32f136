import ArgumentParser
import Foundation
import HelplineWire

/// The question: the ASK body's conventional fields (spec §"Body conventions"), from
/// flags or from a JSON file.
struct AskBodyOptions: ParsableArguments {
    @Argument(help: "What to ask the human (the body's `prompt`).")
    var prompt: String?

    @Option(help: ArgumentHelp("Why the agent asks and what it knows: text, or a JSON object.", valueName: "text|json"))
    var context: String?

    @Option(help: ArgumentHelp("Who the customer is, as a JSON object (name, id, tier, ...).", valueName: "json"))
    var customer: String?

    @Option(help: ArgumentHelp("What the agent proposes, which the human may approve, reject or edit: text or JSON.", valueName: "text|json"))
    var proposed: String?

    @Option(
        name: .customLong("transcript"),
        help: ArgumentHelp("A turn of the conversation so far, \"role: text\"; repeat in order.", valueName: "role: text"))
    var transcript: [String] = []

    @Option(
        name: .customLong("body"),
        help: ArgumentHelp("The whole body as a JSON object from a file, or - for stdin; the flags above add to it.", valueName: "file"))
    var bodyFile: String?

    func validate() throws {
        guard prompt != nil || bodyFile != nil else {
            throw ValidationError("Say what to ask: a prompt, or --body with a JSON object.")
        }
        if let customer {
            guard case .object? = try? JSONParser.parse(customer) else {
                throw ValidationError("--customer must be a JSON object, like '{\"name\":\"Ada\",\"tier\":\"gold\"}'.")
            }
        }
        for turn in transcript where !turn.contains(":") {
            throw ValidationError("--transcript takes \"role: text\", like \"customer: where is my order?\"; got \"\(turn)\".")
        }
    }

    /// The body's bytes: the file's map (if any) with the flags' fields set over it.
    func encodedBody() throws -> [UInt8] {
        var map: [String: BodyValue] = [:]
        if let bodyFile {
            let text: String
            if bodyFile == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                text = try String(contentsOfFile: bodyFile, encoding: .utf8)
            }
            guard case .map(let entries) = try JSONParser.parse(text).bodyValue else {
                throw ValidationError("--body must hold a JSON object.")
            }
            map = entries
        }
        if let prompt { map["prompt"] = .string(prompt) }
        if let context { map["context"] = BodyValue(commandLine: context) }
        if let customer { map["customer"] = BodyValue(commandLine: customer) }
        if let proposed { map["proposed"] = BodyValue(commandLine: proposed) }
        if !transcript.isEmpty {
            map["transcript"] = .array(transcript.map { turn in
                let (role, text) = Self.split(turn)
                return ["role": .string(role), "text": .string(text)]
            })
        }
        return BodyValue.map(map).messagePack()
    }

    private static func split(_ turn: String) -> (String, String) {
        let colon = turn.firstIndex(of: ":")!
        let role = turn[..<colon].trimmingCharacters(in: .whitespaces)
        let text = turn[turn.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        return (role, text)
    }
}
