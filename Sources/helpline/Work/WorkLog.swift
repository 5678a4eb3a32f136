import Foundation

/// What `helpline work` did, one line per event on stderr, prefixed with the worker's
/// name: "bot-1: t-1182 answered: approve".
struct WorkLog: Sendable {
    let name: String

    func line(_ text: String) {
        FileHandle.standardError.write(Data("\(name): \(text.sanitizedForTerminal)\n".utf8))
    }
}
