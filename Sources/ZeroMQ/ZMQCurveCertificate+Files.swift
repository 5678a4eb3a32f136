import Glibc

extension ZMQCurveCertificate {
    /// A certificate file is a few hundred bytes; anything much larger is not one, and is
    /// not read into memory.
    public static let maxFileBytes = 64 * 1024

    /// Reads a certificate file (see the type's documentation for the formats).
    public static func load(path: String) throws(ZMQCertificateError) -> ZMQCurveCertificate {
        let text = try readText(path: path)
        do throws(ZMQCertificateError) {
            return try ZMQCurveCertificate(parsing: text)
        } catch {
            throw error.at(path)
        }
    }

    /// Writes `NAME.key` (public certificate, mode 0644) and `NAME.key_secret` (secret
    /// certificate, mode 0600) for `basePath` = `NAME`. Refuses to replace existing files
    /// unless `overwrite`: a key pair written over is a key pair lost.
    public func save(basePath: String, overwrite: Bool = false) throws(ZMQCertificateError) {
        guard secretKey != nil else { throw ZMQCertificateError(path: basePath, reason: "no secret key to save") }
        try Self.writeText(fileText(includingSecret: false), path: basePath + ".key", mode: 0o644, overwrite: overwrite)
        try Self.writeText(fileText(includingSecret: true), path: basePath + ".key_secret", mode: 0o600, overwrite: overwrite)
    }

    /// Whether a file is readable by users other than its owner (a secret key should not be).
    public static func isReadableByOthers(path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_mode & 0o077 != 0
    }

    /// The whole file as text, at most `maxFileBytes`.
    public static func readText(path: String) throws(ZMQCertificateError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ZMQCertificateError(path: path, reason: systemError("cannot open")) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ZMQCertificateError(path: path, reason: systemError("cannot read"))
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= maxFileBytes else {
                throw ZMQCertificateError(path: path, reason: "larger than \(maxFileBytes) bytes")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ZMQCertificateError(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    private static func writeText(_ text: String, path: String, mode: mode_t, overwrite: Bool) throws(ZMQCertificateError) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, mode)
        guard fd >= 0 else { throw ZMQCertificateError(path: path, reason: systemError("cannot create")) }
        defer { close(fd) }
        // O_CREAT's mode applies only to a new file; an overwritten one gets it too.
        _ = fchmod(fd, mode)
        var remaining = Array(text.utf8)[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw ZMQCertificateError(path: path, reason: systemError("cannot write"))
            }
            remaining = remaining.dropFirst(written)
        }
        guard fsync(fd) == 0 else { throw ZMQCertificateError(path: path, reason: systemError("cannot sync")) }
    }

    private static func systemError(_ what: String) -> String {
        "\(what): \(String(cString: strerror(errno)))"
    }
}
