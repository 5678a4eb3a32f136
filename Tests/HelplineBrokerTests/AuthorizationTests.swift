import HelplineWire
import Testing

@testable import HelplineBroker

/// Spec §"Authorization" as a table: each command from each kind of peer, and what the
/// broker answers. Pure decisions, no sockets.
struct AuthorizationTests {
    static let agent = AuthorizedKey(publicKey: "k1", name: "agent", roles: [.client])
    static let ana = AuthorizedKey(publicKey: "k2", name: "ana", roles: [.hila], skills: .only(["refunds"]))
    static let bo = AuthorizedKey(publicKey: "k3", name: "bo", roles: [.live, .hila], skills: .any)
    static let ops = AuthorizedKey(publicKey: "k4", name: "ops", roles: [.admin])

    @Test func clientCommands_needTheClientRole() {
        for message: ClientMessage in [.ask(Ask(ticket: "t")), .cancel(ticket: "t"), .resume(tickets: ["t"])] {
            #expect(Authorization.refusal(for: message, from: .key(Self.agent)) == nil)
            #expect(Authorization.refusal(for: message, from: .key(Self.ana))?.code == .unauthorized)
            #expect(Authorization.refusal(for: message, from: .key(Self.ops))?.code == .unauthorized)
            #expect(Authorization.refusal(for: message, from: .unknownKey)?.code == .unauthorized)
            #expect(Authorization.refusal(for: message, from: .anonymous(isLocal: false)) == nil)
        }
        #expect(Authorization.refusal(for: .ask(Ask(ticket: "t-9")), from: .key(Self.ana))?.ticket == "t-9")
        #expect(Authorization.refusal(for: .ask(Ask(ticket: "t-9")), from: .key(Self.ana))?.disconnect == false)
    }

    @Test func heartbeat_isOpenToEveryone_andNeedsNoIdentity() {
        #expect(!Authorization.needsIdentity(.heartbeat))
        #expect(Authorization.refusal(for: .heartbeat, from: .unknownKey) == nil)
    }

    @Test func status_needsAdmin_orWithoutCurveALocalPeer() {
        #expect(Authorization.refusal(for: .status, from: .key(Self.ops)) == nil)
        #expect(Authorization.refusal(for: .status, from: .key(Self.agent))?.code == .unauthorized)
        #expect(Authorization.refusal(for: .status, from: .anonymous(isLocal: true)) == nil)
        #expect(Authorization.refusal(for: .status, from: .anonymous(isLocal: false))?.code == .unauthorized)
    }

    @Test func ready_grantedRoleNameAndSkills_passes() {
        #expect(Authorization.refusal(for: Ready(name: "ana", role: .hila, skills: ["refunds"]), from: .key(Self.ana)) == nil)
        #expect(Authorization.refusal(for: Ready(name: "ana", role: .hila), from: .key(Self.ana)) == nil)
        #expect(Authorization.refusal(for: Ready(name: "bo", role: .live, skills: ["x", "y"]), from: .key(Self.bo)) == nil)
        #expect(Authorization.refusal(for: Ready(name: "anyone", role: .live), from: .anonymous(isLocal: false)) == nil)
    }

    @Test(arguments: [
        (Ready(name: "agent", role: .hila), AuthorizationTests.agent, "may not register as hila"),
        (Ready(name: "ana", role: .live), AuthorizationTests.ana, "may not register as live"),
        (Ready(name: "ana", role: .hila, skills: ["refunds", "legal"]), AuthorizationTests.ana, "skill legal"),
        (Ready(name: "bo", role: .hila), AuthorizationTests.ana, "own name"),
        (Ready(name: "ops", role: .hila), AuthorizationTests.ops, "may not register"),
    ])
    func ready_notGranted_is401AndDisconnect(ready: Ready, key: AuthorizedKey, reason: String) throws {
        let refusal = try #require(Authorization.refusal(for: ready, from: .key(key)))
        #expect(refusal.code == .unauthorized)
        #expect(refusal.disconnect)
        #expect(refusal.text.contains(reason), "\(refusal.text)")
    }
}
