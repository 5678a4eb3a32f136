/// CURVE keys for a peer of a broker that requires them (spec §"Transport security"); all
/// Z85, 40 characters. One type for clients and consoles alike.
public struct CurveKeys: Sendable, Equatable {
    /// The broker's public key.
    public var serverKey: String
    /// This peer's public key.
    public var publicKey: String
    /// This peer's secret key.
    public var secretKey: String

    /// Creates CURVE settings.
    public init(serverKey: String, publicKey: String, secretKey: String) {
        self.serverKey = serverKey
        self.publicKey = publicKey
        self.secretKey = secretKey
    }
}
