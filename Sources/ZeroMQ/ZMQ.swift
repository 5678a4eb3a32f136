import CZeroMQ

/// Facts about the libzmq this process runs with, and CURVE key helpers.
public enum ZMQ {
    /// The libzmq version linked at run time (4.3.4 on Debian bookworm).
    public static var version: (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }

    /// Whether libzmq was built with a capability: `"curve"`, `"ipc"`, `"draft"`...
    public static func has(_ capability: String) -> Bool {
        zmq_has(capability) != 0
    }

    /// A new CURVE key pair, each key as 40 Z85 characters. Throws `ENOTSUP` when libzmq
    /// was built without CURVE.
    public static func curveKeypair() throws(ZMQError) -> (publicKey: String, secretKey: String) {
        // Z85 keys are 40 characters plus the terminating zero libzmq writes.
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        if zmq_curve_keypair(&publicKey, &secretKey) != 0 {
            throw ZMQError.last("zmq_curve_keypair")
        }
        return (z85String(publicKey), z85String(secretKey))
    }

    /// The CURVE public key that belongs to `secretKey` (both 40 Z85 characters), so a
    /// server needs to store only its secret key.
    public static func curvePublicKey(secretKey: String) throws(ZMQError) -> String {
        guard secretKey.utf8.count == 40 else {
            throw ZMQError(code: EINVAL, context: "curve secret key is not 40 Z85 characters")
        }
        var publicKey = [CChar](repeating: 0, count: 41)
        if zmq_curve_public(&publicKey, secretKey) != 0 {
            throw ZMQError.last("zmq_curve_public")
        }
        return z85String(publicKey)
    }

    private static func z85String(_ key: [CChar]) -> String {
        String(decoding: key.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
