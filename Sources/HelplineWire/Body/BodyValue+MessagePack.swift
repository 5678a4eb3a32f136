extension BodyValue {
    /// Decodes one MessagePack value that fills `bytes` exactly; nil for anything else
    /// (truncated, trailing bytes, ext types, non-str map keys, duplicate keys, integers
    /// above `Int64.max`, invalid UTF-8, nesting deeper than ``maxDepth``).
    public init?(messagePack bytes: [UInt8]) {
        var reader = BodyReader(bytes: bytes)
        guard let value = reader.value(depth: 0), reader.atEnd else { return nil }
        self = value
    }

    /// The value as MessagePack in its smallest forms; map keys in ascending order, so
    /// equal values encode to equal bytes.
    public func messagePack() -> [UInt8] {
        var writer = BodyWriter()
        writer.write(self)
        return writer.bytes
    }

    /// Bodies nest conversations in maps in lists; 32 levels is far beyond any real one and
    /// keeps a hostile body from exhausting the stack.
    public static let maxDepth = 32
}
