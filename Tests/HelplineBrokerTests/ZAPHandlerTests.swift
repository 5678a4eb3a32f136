import Testing
import ZeroMQ

@testable import HelplineBroker

/// The ZAP decision (27/ZAP) for each kind of request libzmq can send.
struct ZAPHandlerTests {
    let listed = try! ZMQCurveCertificate.generate()
    let keys: AuthorizedKeys

    init() throws {
        keys = try AuthorizedKeys([AuthorizedKey(publicKey: listed.publicKey, name: "ana", roles: [.hila])])
    }

    private func request(domain: String = ZAPHandler.domain, mechanism: String = "CURVE", key: [UInt8]) -> [[UInt8]] {
        [Array("1.0".utf8), Array("7".utf8), Array(domain.utf8), Array("127.0.0.1".utf8), [], Array(mechanism.utf8), key]
    }

    @Test func listedKey_isAdmitted_withItsPublicKeyAsUserID() throws {
        let decision = ZAPHandler.decide(frames: request(key: try #require(ZMQ.z85Decode(key: listed.publicKey))), keys: keys)
        #expect(decision.status == "200")
        #expect(decision.userID == listed.publicKey)
        #expect(decision.key?.name == "ana")
    }

    @Test func unlistedKey_isRefused() throws {
        let stranger = try ZMQCurveCertificate.generate()
        let decision = ZAPHandler.decide(frames: request(key: try #require(ZMQ.z85Decode(key: stranger.publicKey))), keys: keys)
        #expect(decision.status == "400")
        #expect(decision.userID == "")
        #expect(decision.presentedKey == stranger.publicKey)
    }

    @Test func otherDomainMechanismOrMalformedRequest_isRefused() throws {
        let key = try #require(ZMQ.z85Decode(key: listed.publicKey))
        var wrongVersion = request(key: key)
        wrongVersion[0] = Array("2.0".utf8)
        let cases: [[[UInt8]]] = [
            request(domain: "other", key: key), request(mechanism: "PLAIN", key: key), request(mechanism: "NULL", key: key),
            request(key: Array(key.prefix(31))), Array(request(key: key).prefix(6)), request(key: key) + [[1]], wrongVersion, [],
        ]
        for frames in cases {
            #expect(ZAPHandler.decide(frames: frames, keys: keys).status == "400", "\(frames.map(\.count))")
        }
    }
}

/// Key material for tests that need a valid secret key.
enum ZMQCurveKeys {
    static func secret() throws -> String { try ZMQCurveCertificate.generate().secretKey! }
}
