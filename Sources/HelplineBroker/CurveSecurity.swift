import ZeroMQ

/// CURVE on the broker's ROUTER: its key pair, and the keys allowed in.
public struct CurveSecurity: Sendable {
    /// The broker's secret key (Z85); peers need the matching `publicKey`.
    public let secretKey: String
    /// The broker's public key (Z85), derived from the secret key.
    public let publicKey: String
    /// Who may connect, and what each key may do, as at start.
    public let authorizedKeys: AuthorizedKeys
    /// The authorized-keys file they came from, read again on `HelplineBroker.reloadKeys`;
    /// nil when the keys were given in code.
    public var authorizedKeysFile: String?

    /// CURVE settings from a secret key in Z85.
    public init(secretKey: String, authorizedKeys: AuthorizedKeys) throws(BrokerStartError) {
        guard let publicKey = try? ZMQ.curvePublicKey(secretKey: secretKey), ZMQ.z85Decode(key: secretKey) != nil else {
            throw BrokerStartError(.curveKeys, "the broker's secret key is not a 40-character Z85 key")
        }
        self.secretKey = secretKey
        self.publicKey = publicKey
        self.authorizedKeys = authorizedKeys
    }

    /// Loads the broker's secret certificate (`helpline keygen`'s `NAME.key_secret`) and
    /// its authorized-keys file.
    public static func load(secretKeyFile: String, authorizedKeysFile: String) throws(BrokerStartError) -> CurveSecurity {
        let certificate: ZMQCurveCertificate
        do throws(ZMQCertificateError) {
            certificate = try ZMQCurveCertificate.load(path: secretKeyFile)
        } catch {
            throw BrokerStartError(.curveKeys, error.description)
        }
        guard let secretKey = certificate.secretKey else {
            throw BrokerStartError(.curveKeys, "\(secretKeyFile) holds no secret key: pass the NAME.key_secret file")
        }
        let keys: AuthorizedKeys
        do throws(AuthorizedKeysError) {
            keys = try AuthorizedKeys.load(path: authorizedKeysFile)
        } catch {
            throw BrokerStartError(.curveKeys, error.description)
        }
        var curve = try CurveSecurity(secretKey: secretKey, authorizedKeys: keys)
        curve.authorizedKeysFile = authorizedKeysFile
        return curve
    }
}

/// Why a broker refuses to start.
public struct BrokerStartError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem.
    public enum Kind: Sendable, Equatable {
        /// A non-loopback endpoint without CURVE and without the insecure setting.
        case insecureEndpoint
        /// The secret key or authorized-keys file cannot be used.
        case curveKeys
        /// A limit outside the range it may take.
        case limits
    }

    /// What kind of problem.
    public let kind: Kind
    /// What is wrong and what to do, for the operator.
    public let reason: String

    /// An error of `kind`.
    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}
