import Foundation
import Testing
import ZeroMQ

/// Key files as CZMQ's zcert and pyzmq's `zmq.auth` write and read them, and CURVE with
/// keys loaded from them.
struct CurveCertificateTests {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zmq-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func z85_roundTripsKeys_andRefusesOtherLengthsAndCharacters() throws {
        let certificate = try ZMQCurveCertificate.generate()
        let bytes = try #require(ZMQ.z85Decode(key: certificate.publicKey))
        #expect(bytes.count == 32)
        #expect(ZMQ.z85Encode(key: bytes) == certificate.publicKey)
        #expect(ZMQ.z85Decode(key: String(certificate.publicKey.dropLast())) == nil)
        #expect(ZMQ.z85Decode(key: String(certificate.publicKey.dropLast()) + " ") == nil)
        #expect(ZMQ.z85Decode(key: String(certificate.publicKey.dropLast()) + "\"") == nil)
        #expect(ZMQ.z85Encode(key: bytes.dropLast()) == nil)
    }

    @Test func saveThenLoad_givesTheSameKeys_secretFileIsOwnerOnly() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = directory.appendingPathComponent("ana").path
        let certificate = try ZMQCurveCertificate.generate()
        try certificate.save(basePath: base)
        #expect(try ZMQCurveCertificate.load(path: base + ".key_secret") == certificate)
        let publicOnly = try ZMQCurveCertificate.load(path: base + ".key")
        #expect(publicOnly.publicKey == certificate.publicKey)
        #expect(publicOnly.secretKey == nil)
        let mode = try FileManager.default.attributesOfItem(atPath: base + ".key_secret")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!ZMQCurveCertificate.isReadableByOthers(path: base + ".key_secret"))
        #expect(ZMQCurveCertificate.isReadableByOthers(path: base + ".key"))
    }

    @Test func save_refusesToOverwriteAKeyPair_unlessAsked() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = directory.appendingPathComponent("bo").path
        try ZMQCurveCertificate.generate().save(basePath: base)
        #expect(throws: ZMQCertificateError.self) { try ZMQCurveCertificate.generate().save(basePath: base) }
        let replacement = try ZMQCurveCertificate.generate()
        try replacement.save(basePath: base, overwrite: true)
        #expect(try ZMQCurveCertificate.load(path: base + ".key_secret") == replacement)
    }

    @Test func parse_readsCZMQsFormat_andABareKey() throws {
        // As CZMQ's zcert_save_secret writes it (keys from zmq_curve_keypair).
        let czmq = """
            #   ****  Generated on 2026-11-01 10:00:00 by CZMQ  ****
            #   ZeroMQ CURVE **Secret** Certificate
            #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.

            metadata
                name = "ana"
            curve
                public-key = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
                secret-key = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"
            """
        let certificate = try ZMQCurveCertificate(parsing: czmq)
        #expect(certificate.publicKey == "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID")
        #expect(certificate.secretKey == "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs")
        let bare = try ZMQCurveCertificate(parsing: "  Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID\n")
        #expect(bare.publicKey == certificate.publicKey)
        #expect(bare.secretKey == nil)
    }

    @Test func parse_refusesAPairThatDoesNotBelongTogether_andTextWithoutAKey() throws {
        let one = try ZMQCurveCertificate.generate()
        let other = try ZMQCurveCertificate.generate()
        let mixed = "public-key = \"\(one.publicKey)\"\nsecret-key = \"\(other.secretKey!)\"\n"
        #expect(throws: ZMQCertificateError.self) { try ZMQCurveCertificate(parsing: mixed) }
        #expect(throws: ZMQCertificateError.self) { try ZMQCurveCertificate(parsing: "# nothing here\n") }
        #expect(throws: ZMQCertificateError.self) { try ZMQCurveCertificate(parsing: "public-key = \"short\"") }
        #expect(throws: ZMQCertificateError.self) { try ZMQCurveCertificate.load(path: "/nonexistent/ana.key") }
    }

    @Test func curveRouterAndDealer_withLoadedKeys_exchangeMessages() throws {
        let server = try ZMQCurveCertificate.generate()
        let client = try ZMQCurveCertificate.generate()
        let context = try ZMQContext()
        let router = try makeSocket(context, .router)
        try router.setOption(.curveServer, true)
        try router.setOption(.curveSecretKey, server.secretKey!)
        try router.bind("tcp://127.0.0.1:*")
        let dealer = try makeSocket(context, .dealer)
        try dealer.setOption(.curveServerKey, server.publicKey)
        try dealer.setOption(.curvePublicKey, client.publicKey)
        try dealer.setOption(.curveSecretKey, client.secretKey!)
        try dealer.connect(try router.lastEndpoint)
        try dealer.send(bytes("hello"))
        let frames = try router.receiveMultipart()
        #expect(frames.last == bytes("hello"))
    }
}

extension CurveCertificateTests {
    /// Z85's alphabet includes '=': a bare key holding one is still a bare key, not a
    /// "name = value" line (about one key in three has one).
    @Test func bareKeyContainingAnEqualsSign_isReadAsTheKey() throws {
        var key: String?
        for _ in 0..<200 {
            let candidate = try ZMQ.curveKeypair().publicKey
            if candidate.contains("=") { key = candidate; break }
        }
        let bare = try #require(key)
        let certificate = try ZMQCurveCertificate(parsing: "\(bare)\n")
        #expect(certificate.publicKey == bare)
    }
}
