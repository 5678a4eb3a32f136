import ZeroMQ

extension CurveKeys {
    /// Loads this peer's key pair from its secret certificate (`helpline keygen`'s
    /// `NAME.key_secret`) and the broker's public key from the broker's public certificate
    /// (`broker.key`) or a file holding the bare Z85 key.
    public init(secretKeyFile: String, serverKeyFile: String) throws(ZMQCertificateError) {
        let own = try ZMQCurveCertificate.load(path: secretKeyFile)
        guard let secretKey = own.secretKey else {
            throw ZMQCertificateError(path: secretKeyFile, reason: "holds no secret key: pass the NAME.key_secret file")
        }
        let server = try ZMQCurveCertificate.load(path: serverKeyFile)
        self.init(serverKey: server.publicKey, publicKey: own.publicKey, secretKey: secretKey)
    }
}
