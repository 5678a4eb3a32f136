import Foundation
import HelplineWire
import ZeroMQ

/// The broker's authorized-keys file: which CURVE keys may connect, under which name, in
/// which roles, with which skills. The ZAP handler admits only these keys; the loop checks
/// each READY, ASK, CANCEL, RESUME and STATUS against the sender's line.
///
/// One key per line, fields separated by spaces or tabs:
///
/// ```text
/// # public key (Z85)                        name      roles         skills (workers only)
/// rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7  agent-7   client
/// Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID  ana       hila          refunds,billing
/// e8h0T!rd]Ea.9uF/*Y8@Xmd4[Gk+2]Mh@l}a<$+r  bo        hila,live     *
/// 7>bB3-WQ0y3}yd9EfRr[ld%#v7n#nbg/vpi2gs1v  ops       admin,client
/// ```
///
/// Roles are any of `client`, `hila`, `live`, `admin`, comma-separated. Skills, only for a
/// key with `hila` or `live`, are comma-separated, or `*` for any; a worker key without a
/// skills field may claim none. Lines starting with `#` are comments (no Z85 key starts
/// with `#`: a key's first character encodes at most 82 of Z85's 85 digits). The same name on two keys is
/// allowed (a key being replaced); the same key twice is an error.
public struct AuthorizedKeys: Sendable {
    /// The file is read whole at start-up: 16 MiB holds over 100,000 keys (about 120
    /// bytes a line), ten times the largest contact centre planned for.
    public static let maxFileBytes = 16 * 1024 * 1024

    /// Every key, in file order.
    public let keys: [AuthorizedKey]
    private let byPublicKey: [String: Int]

    /// A set of keys; a key listed twice is an error.
    public init(_ keys: [AuthorizedKey]) throws(AuthorizedKeysError) {
        var byPublicKey: [String: Int] = [:]
        for (index, key) in keys.enumerated() {
            guard byPublicKey.updateValue(index, forKey: key.publicKey) == nil else {
                throw AuthorizedKeysError(line: nil, reason: "key of \(key.name) is listed twice")
            }
        }
        self.keys = keys
        self.byPublicKey = byPublicKey
    }

    /// The line for a public key in Z85 (the ZAP user id the loop reads back), if listed.
    public func key(publicKey: String) -> AuthorizedKey? {
        byPublicKey[publicKey].map { keys[$0] }
    }

    /// Reads and parses an authorized-keys file.
    public static func load(path: String) throws(AuthorizedKeysError) -> AuthorizedKeys {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maxFileBytes else {
            throw AuthorizedKeysError(path: path, reason: "larger than \(maxFileBytes) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuthorizedKeysError(path: path, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AuthorizedKeysError(path: path, reason: "is not UTF-8 text")
        }
        do throws(AuthorizedKeysError) {
            return try AuthorizedKeys(parsing: text)
        } catch {
            throw AuthorizedKeysError(path: path, line: error.line, reason: error.reason)
        }
    }

    /// Parses the file's text (see the type's documentation for the format).
    public init(parsing text: String) throws(AuthorizedKeysError) {
        var keys: [AuthorizedKey] = []
        var seen: [String: Int] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let first = fields.first else { continue }
            if first.hasPrefix("#") { continue }
            let key = try Self.parseLine(fields, number: number)
            if let earlier = seen.updateValue(number, forKey: key.publicKey) {
                throw AuthorizedKeysError(line: number, reason: "key already listed on line \(earlier)")
            }
            keys.append(key)
        }
        try self.init(keys)
    }

    private static func parseLine(_ fields: [String], number: Int) throws(AuthorizedKeysError) -> AuthorizedKey {
        func fail(_ reason: String) -> AuthorizedKeysError { AuthorizedKeysError(line: number, reason: reason) }
        guard (3...4).contains(fields.count) else {
            throw fail("expected: public-key name roles [skills]; found \(fields.count) fields")
        }
        guard ZMQ.z85Decode(key: fields[0]) != nil else { throw fail("not a 40-character Z85 public key") }
        let name = fields[1]
        guard Self.isName(name, maxBytes: WireLimits.maxNameBytes) else {
            throw fail("name \"\(name)\" must be 1-\(WireLimits.maxNameBytes) bytes without control characters")
        }
        var roles: AuthorizedKey.Roles = []
        for word in fields[2].split(separator: ",", omittingEmptySubsequences: false) {
            guard let role = AuthorizedKey.Roles.names.first(where: { $0.0 == word })?.1 else {
                throw fail("unknown role \"\(word)\": roles are client, hila, live, admin")
            }
            roles.insert(role)
        }
        var skills = AuthorizedKey.Skills.only([])
        if fields.count == 4 {
            guard !roles.isDisjoint(with: [.hila, .live]) else { throw fail("skills given to a key with no worker role") }
            if fields[3] == "*" {
                skills = .any
            } else {
                var granted = Set<String>()
                for skill in fields[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                    guard Self.isName(skill, maxBytes: WireLimits.maxSkillBytes) else {
                        throw fail("skill \"\(skill)\" must be 1-\(WireLimits.maxSkillBytes) bytes without control characters")
                    }
                    granted.insert(skill)
                }
                skills = .only(granted)
            }
        }
        return AuthorizedKey(publicKey: fields[0], name: name, roles: roles, skills: skills)
    }

    /// The spec's rule for names: non-empty, no control characters, within the byte limit.
    private static func isName(_ text: String, maxBytes: Int) -> Bool {
        !text.isEmpty && text.utf8.count <= maxBytes && !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}

/// An authorized-keys file that cannot be used; the broker refuses to start.
public struct AuthorizedKeysError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file, when known.
    public var path: String?
    /// The 1-based line, when the problem is on one.
    public var line: Int?
    /// What is wrong.
    public var reason: String

    /// An error at `line` of `path`.
    public init(path: String? = nil, line: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    /// `"keys/authorized:3: unknown role \"boss\"..."`.
    public var description: String {
        let place = [path, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return place.isEmpty ? reason : "\(place): \(reason)"
    }
}
