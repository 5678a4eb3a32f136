/// A transport connection: the ROUTER routing id, interned to 64 bits by the broker loop.
///
/// The core only compares and stores it; replies are addressed by it.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    /// The loop's interned value for the routing id.
    public var raw: UInt64

    /// Wraps an interned routing id.
    public init(raw: UInt64) {
        self.raw = raw
    }

    public var description: String { "conn#\(raw)" }
}
