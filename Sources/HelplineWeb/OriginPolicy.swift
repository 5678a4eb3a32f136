/// Which `Origin` may open a WebSocket or post a login: the console's own. Browsers send
/// `Origin` on every WebSocket handshake and cannot forge it, so a page on another site
/// cannot use the person's cookie to drive their console (cross-site WebSocket hijacking).
struct OriginPolicy: Sendable {
    /// `https` under TLS, else `http`.
    let scheme: String
    /// Extra origins allowed (`--origin`), e.g. behind a reverse proxy; exact match.
    let extra: Set<String>

    /// Whether `origin` is this server as the browser reached it (`host`, from the Host
    /// header) or one of `extra`. A missing Origin is refused.
    func allows(origin: String?, host: String?) -> Bool {
        guard let origin, !origin.isEmpty else { return false }
        if extra.contains(origin) { return true }
        guard let host, !host.isEmpty else { return false }
        return origin.lowercased() == "\(scheme)://\(host.lowercased())"
    }
}
