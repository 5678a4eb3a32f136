import Testing
import ZeroMQ

@testable import HelplineBroker

/// The authorized-keys file: what it grants, and every way it can be wrong (the broker
/// refuses to start on any of them, naming the line).
struct AuthorizedKeysTests {
    let ana = try! ZMQCurveCertificate.generate().publicKey
    let bo = try! ZMQCurveCertificate.generate().publicKey

    private func parseError(_ text: String) -> AuthorizedKeysError? {
        do throws(AuthorizedKeysError) {
            _ = try AuthorizedKeys(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func wellFormedFile_grantsEachKeyItsNameRolesAndSkills() throws {
        let keys = try AuthorizedKeys(parsing: """
            # key  name  roles  skills

            \(ana)\tana\thila\trefunds,billing
              \(bo)   bo   client,live,admin   *
            """)
        #expect(keys.keys.count == 2)
        let first = try #require(keys.key(publicKey: ana))
        #expect(first.name == "ana")
        #expect(first.roles == [.hila])
        #expect(first.skills == .only(["refunds", "billing"]))
        let second = try #require(keys.key(publicKey: bo))
        #expect(second.roles == [.client, .live, .admin])
        #expect(second.skills.grants("anything"))
        #expect(keys.key(publicKey: try ZMQCurveCertificate.generate().publicKey) == nil)
    }

    @Test func workerKeyWithoutSkillsField_mayClaimNone() throws {
        let keys = try AuthorizedKeys(parsing: "\(ana) ana hila\n")
        #expect(keys.key(publicKey: ana)?.skills.grants("refunds") == false)
    }

    @Test func noKeyStartsWithHash_soCommentsAreUnambiguous() throws {
        // Z85 packs 4 bytes into 5 digits; the first digit of a 32-bit group is at most
        // 2^32 / 85^4 ≈ 82.3, and '#' is digit 84.
        for _ in 0..<2_000 {
            let key = try ZMQCurveCertificate.generate().publicKey
            #expect(!key.hasPrefix("#"))
        }
        let keys = try AuthorizedKeys(parsing: "#\(ana) commented client\n\(bo) bo client\n")
        #expect(keys.keys.map(\.name) == ["bo"])
    }

    @Test(arguments: [
        ("not-a-key ana hila", "Z85"),
        ("KEY ana", "fields"),
        ("KEY ana hila refunds extra", "fields"),
        ("KEY ana boss", "unknown role"),
        ("KEY ana hila,", "unknown role"),
        ("KEY ana client refunds", "no worker role"),
        ("KEY ana hila refunds,,billing", "skill"),
    ])
    func malformedLine_isRefusedWithItsLineNumber(line: String, expected: String) throws {
        let error = try #require(parseError("# header\n" + line.replacingOccurrences(of: "KEY", with: ana)))
        #expect(error.line == 2)
        #expect(error.reason.contains(expected), "\(error)")
    }

    @Test func sameKeyTwice_isRefused_sameNameOnTwoKeys_isAllowed() throws {
        let twice = try #require(parseError("\(ana) ana hila\n\(ana) ann client\n"))
        #expect(twice.line == 2)
        #expect(twice.reason.contains("line 1"))
        let rotated = try AuthorizedKeys(parsing: "\(ana) ana hila\n\(bo) ana hila\n")
        #expect(rotated.keys.map(\.name) == ["ana", "ana"])
    }

    @Test func nameOverTheProtocolLimit_isRefused() {
        let error = parseError("\(ana) \(String(repeating: "n", count: 65)) client")
        #expect(error?.reason.contains("name") == true)
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
