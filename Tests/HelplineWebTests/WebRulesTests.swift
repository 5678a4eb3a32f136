import Foundation
import HelplineWire
import HelplineWorker
import Testing

@testable import HelplineWeb

/// The web console's rules that need no server: the throttle, the origin check, the
/// address rule, the users file, and how a page command becomes a decision.
@Suite("HelplineWeb rules")
struct WebRulesTests {
    @Test func theThrottle_refusesAfterFiveFailures_untilTheOldestAgesOut() {
        var throttle = LoginThrottle(limit: 5, windowMilliseconds: 60_000)
        let keys = ["address:127.0.0.1", "name:ana"]
        for second in 0..<5 {
            #expect(throttle.wait(for: keys, now: Int64(second) * 1000) == nil)
            throttle.failed(keys, now: Int64(second) * 1000)
        }
        #expect(throttle.wait(for: keys, now: 5000) == 55_000)
        #expect(throttle.wait(for: ["address:10.0.0.1", "name:ana"], now: 5000) == 55_000)  // the name too
        #expect(throttle.wait(for: ["address:10.0.0.1", "name:bob"], now: 5000) == nil)
        #expect(throttle.wait(for: keys, now: 60_000) == nil)
    }

    @Test func theOrigin_mustBeTheConsolesOwn() {
        let policy = OriginPolicy(scheme: "http", extra: ["https://help.example.com"])
        #expect(policy.allows(origin: "http://127.0.0.1:8080", host: "127.0.0.1:8080"))
        #expect(!policy.allows(origin: "http://evil.example", host: "127.0.0.1:8080"))
        #expect(!policy.allows(origin: "https://127.0.0.1:8080", host: "127.0.0.1:8080"))
        #expect(!policy.allows(origin: nil, host: "127.0.0.1:8080"))
        #expect(policy.allows(origin: "https://help.example.com", host: "10.0.0.5:8080"))
    }

    @Test func aNonLoopbackAddress_needsTLSOrInsecure() {
        #expect(WebSettings(host: "127.0.0.1", endpoint: "tcp://127.0.0.1:5555").problem == nil)
        #expect(WebSettings(host: "::1", endpoint: "tcp://127.0.0.1:5555").problem == nil)
        #expect(WebSettings(host: "0.0.0.0", endpoint: "tcp://127.0.0.1:5555").problem?.contains("--insecure") == true)
        #expect(WebSettings(host: "0.0.0.0", endpoint: "e", insecure: true).problem == nil)
        #expect(WebSettings(host: "0.0.0.0", endpoint: "e", tlsCertificate: "c", tlsKey: "k").problem == nil)
        #expect(WebSettings(host: "127.0.0.1", endpoint: "e", tlsCertificate: "c").problem != nil)
    }

    @Test func theUsersFile_roundTripsAndChecksPasswords() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("helpline-web-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = UserFile(path: folder.appendingPathComponent("users.jsonl").path)
        try file.add(name: "ana", password: "correct horse 1", roles: ["hila"], skills: ["refunds"], capacity: 2)
        try file.add(name: "lee", password: "correct horse 2", roles: ["live"], skills: [], capacity: 1)
        try file.add(name: "ana", password: "correct horse 3", roles: ["hila"], skills: ["billing"], capacity: 3)
        let users = try file.load()
        #expect(users.map(\.name) == ["lee", "ana"])
        #expect(users[1].skills == ["billing"] && users[1].workerRole == .hila && users[0].workerRole == .live)
        #expect(throws: WebSetupError.self) { try file.add(name: "x", password: "short", roles: ["hila"], skills: [], capacity: 1) }
        #expect(throws: WebSetupError.self) { try file.add(name: "x", password: "long enough", roles: ["boss"], skills: [], capacity: 1) }
    }

    @Test func theGate_saysTheSameForAWrongNameAndAWrongPassword() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("helpline-web-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = UserFile(path: folder.appendingPathComponent("users.jsonl").path)
        try file.add(name: "ana", password: "correct horse 1", roles: ["hila"], skills: [], capacity: 1)
        let gate = WebGate(users: try file.load())
        #expect(await gate.login(name: "ana", password: "nope", from: "a").failure == .wrong)
        #expect(await gate.login(name: "nobody", password: "correct horse 1", from: "a").failure == .wrong)
        let session = try #require(await gate.login(name: "ana", password: "correct horse 1", from: "a").success)
        #expect(session.token.count == 64)
        #expect(await gate.user(for: session.token)?.name == "ana")
        await gate.logout(session.token)
        #expect(await gate.user(for: session.token) == nil)
    }

    @Test func pageCommands_becomeDecisions_onlyWhenTheTicketAllowsThem() throws {
        let ticket = OfferedTicket(
            Assign(
                ticket: "t-1", role: .hila, skills: [], priority: 0, options: ["approve", "reject"], ageMilliseconds: 0,
                acceptTimeoutMilliseconds: 30_000, deadlineMilliseconds: 60_000, attempt: 1), body: [])
        func decode(_ json: String) throws -> PageCommand { try JSONDecoder().decode(PageCommand.self, from: Data(json.utf8)) }
        #expect(try Desk.decision(decode(#"{"op":"decide","id":"t-1","decision":"option","option":"reject"}"#), for: ticket).success
            == .answer(.option, option: "reject", text: nil, edited: nil))
        #expect(try Desk.decision(decode(#"{"op":"decide","id":"t-1","decision":"option","option":"maybe"}"#), for: ticket).success == nil)
        #expect(try Desk.decision(decode(#"{"op":"decide","id":"t-1","decision":"edit","edited":{"amount":200}}"#), for: ticket).success
            == .answer(.edit, option: nil, text: nil, edited: .map(["amount": .int(200)])))
        #expect(try Desk.decision(decode(#"{"op":"decide","id":"t-1","decision":"answer","text":""}"#), for: ticket).success == nil)
        #expect(try Desk.decision(decode(#"{"op":"take","id":"t-1"}"#), for: ticket).success == nil)
        #expect(try Desk.decision(decode(#"{"op":"transfer","id":"t-1","note":"call her"}"#), for: ticket).success == .transfer(note: "call her"))
    }
}

extension Result {
    var success: Success? { if case .success(let value) = self { value } else { nil } }
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}
