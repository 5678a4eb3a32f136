/// Whether an endpoint or a peer address is confined to this machine. Decides two rules of
/// spec §"Security": a broker without CURVE binds only local endpoints unless told
/// `--insecure`, and without CURVE only local peers may send STATUS.
enum EndpointScope {
    /// `ipc://`, `inproc://`, and `tcp://` on a loopback host (`127.x.x.x`, `localhost`,
    /// `[::1]`) are local. Everything else — `*`, `0.0.0.0`, an interface name, a real
    /// address, another transport — may be reached from the network.
    static func isLocal(endpoint: String) -> Bool {
        let lowered = endpoint.lowercased()
        if lowered.hasPrefix("ipc://") || lowered.hasPrefix("inproc://") { return true }
        guard lowered.hasPrefix("tcp://") else { return false }
        let address = lowered.dropFirst("tcp://".count)
        let host: Substring
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { return false }
            host = address[address.index(after: address.startIndex)..<close]
        } else {
            guard let colon = address.lastIndex(of: ":") else { return false }
            host = address[..<colon]
        }
        return host == "localhost" || isLoopbackAddress(String(host))
    }

    /// An IP address as libzmq reports a peer's (`Peer-Address`): `127.0.0.1`, `::1`, or
    /// `::ffff:127.0.0.1`.
    static func isLoopbackAddress(_ address: String) -> Bool {
        if address == "::1" { return true }
        let v4 = address.hasPrefix("::ffff:") ? String(address.dropFirst("::ffff:".count)) : address
        let parts = v4.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in UInt8(part) != nil }
    }
}
