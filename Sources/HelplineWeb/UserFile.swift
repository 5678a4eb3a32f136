import Foundation

#if canImport(Glibc)
import Glibc
#endif
import HummingbirdBcrypt

/// The users file: one JSON object per line (see ``WebUser``); blank lines and lines
/// starting with `#` are ignored. Written by `helpline web user add`, read at start.
public struct UserFile: Sendable {
    /// Where the file lives.
    public let path: String
    /// bcrypt's cost: 2^cost rounds. 10 keeps a login near 0.1 s on a small machine.
    public static let bcryptCost: UInt8 = 10

    /// A users file at `path` (it may not exist yet).
    public init(path: String) {
        self.path = path
    }

    /// Whether the file exists.
    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Every user in the file; throws with the line number for a line that does not parse.
    public func load() throws(WebSetupError) -> [WebUser] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw WebSetupError("cannot read the users file \(path)")
        }
        var users: [WebUser] = []
        var names = Set<String>()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let user = try? JSONDecoder().decode(WebUser.self, from: Data(trimmed.utf8)) else {
                throw WebSetupError("\(path):\(index + 1): not a user record (a JSON object with name, hash, roles, skills, capacity)")
            }
            if let problem = user.problem { throw WebSetupError("\(path):\(index + 1): \(problem)") }
            guard names.insert(user.name).inserted else { throw WebSetupError("\(path):\(index + 1): \(user.name) appears twice") }
            users.append(user)
        }
        return users
    }

    /// Adds `name` with `password` (hashed with bcrypt), or replaces the record of that
    /// name; creates the file (mode 0600) and its folder when missing.
    @discardableResult
    public func add(
        name: String, password: String, roles: [String], skills: [String], capacity: Int
    ) throws(WebSetupError) -> WebUser {
        guard password.utf8.count >= 8 else { throw WebSetupError("the password must be at least 8 bytes") }
        let user = WebUser(name: name, hash: Bcrypt.hash(password, cost: Self.bcryptCost), roles: roles, skills: skills, capacity: capacity)
        if let problem = user.problem { throw WebSetupError(problem) }
        var users = exists ? try load() : []
        users.removeAll { $0.name == user.name }
        users.append(user)
        try write(users)
        return user
    }

    private func write(_ users: [WebUser]) throws(WebSetupError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = "# helpline web users: one JSON object per line (helpline web user add NAME ...)\n"
        for user in users {
            guard let line = try? encoder.encode(user) else { throw WebSetupError("cannot encode \(user.name)") }
            text += String(decoding: line, as: UTF8.self) + "\n"
        }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let temporary = path + ".tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw WebSetupError("cannot write \(temporary)") }
            // rename(2) replaces the old file in one step: a reader sees the old or the new.
            guard rename(temporary, path) == 0 else { throw WebSetupError("cannot replace \(path): errno \(errno)") }
        } catch let error as WebSetupError {
            throw error
        } catch {
            throw WebSetupError("cannot write the users file \(path): \(error.localizedDescription)")
        }
    }
}

/// A problem with the web console's set-up (users file, TLS files, address), said plainly.
public struct WebSetupError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
