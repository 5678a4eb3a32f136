import CMsgPack

/// Encodes typed messages into HLP/1 headers (frame 2) in canonical form (WIRE.md
/// "Header encoding"): keys in the order of the table, every non-optional field written
/// even at its default, optional fields omitted when absent, the smallest int and str forms.
///
/// The encoder writes what it is given and checks nothing: a test can encode a priority of
/// 12 to see the decoder refuse it. Negative integers, which HLP/1 never carries, are
/// written as MessagePack ints so that a decoder answers 422 rather than a wrong number.
///
/// One msgpack-c buffer and packer are allocated with the encoder and reused for every
/// message. Not thread-safe: use one encoder per thread.
public final class HeaderEncoder {
    /// msgpack-c's growable buffer; cleared (capacity kept) before each message.
    private let buffer: UnsafeMutablePointer<msgpack_sbuffer>
    /// Keeps a raw pointer to `buffer`, which is why both live on the heap, never on the stack.
    private let packer: UnsafeMutablePointer<msgpack_packer>

    /// Creates an encoder with its buffer.
    public init() {
        buffer = .allocate(capacity: 1)
        msgpack_sbuffer_init(buffer)
        packer = .allocate(capacity: 1)
        msgpack_packer_init(packer, buffer, msgpack_sbuffer_write)
    }

    deinit {
        msgpack_sbuffer_destroy(buffer)
        buffer.deallocate()
        packer.deallocate()
    }

    // MARK: Public API

    /// The command and the canonical header of `message`, copied out of the buffer.
    public func encode(_ message: ClientMessage) -> (Command, [UInt8]) { withEncoded(message, copy) }
    /// The command and the canonical header of `message`, copied out of the buffer.
    public func encode(_ message: ClientReply) -> (Command, [UInt8]) { withEncoded(message, copy) }
    /// The command and the canonical header of `message`, copied out of the buffer.
    public func encode(_ message: WorkerMessage) -> (Command, [UInt8]) { withEncoded(message, copy) }
    /// The command and the canonical header of `message`, copied out of the buffer.
    public func encode(_ message: WorkerDirective) -> (Command, [UInt8]) { withEncoded(message, copy) }

    /// Encodes `message` and lends the header bytes to `body` without copying them. The
    /// bytes are valid only inside `body` and only until this encoder's next call.
    public func withEncoded<R, E: Error>(
        _ message: ClientMessage, _ body: (Command, UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let command = pack(message)
        return try body(command, bytes)
    }

    /// Encodes `message` and lends the header bytes to `body`; see the ClientMessage variant.
    public func withEncoded<R, E: Error>(
        _ message: ClientReply, _ body: (Command, UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let command = pack(message)
        return try body(command, bytes)
    }

    /// Encodes `message` and lends the header bytes to `body`; see the ClientMessage variant.
    public func withEncoded<R, E: Error>(
        _ message: WorkerMessage, _ body: (Command, UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let command = pack(message)
        return try body(command, bytes)
    }

    /// Encodes `message` and lends the header bytes to `body`; see the ClientMessage variant.
    public func withEncoded<R, E: Error>(
        _ message: WorkerDirective, _ body: (Command, UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let command = pack(message)
        return try body(command, bytes)
    }

    private func copy(_ command: Command, _ header: UnsafeRawBufferPointer) -> (Command, [UInt8]) {
        (command, Array(header))
    }

    // MARK: Primitives for the per-message writers

    /// Empties the buffer (keeping its capacity) for the next header.
    func start() { msgpack_sbuffer_clear(buffer) }

    private var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer.pointee.data, count: buffer.pointee.size)
    }

    /// A map header for `count` fields; the writers count the optional fields present.
    func map(_ count: Int) { msgpack_pack_map(packer, count) }

    func array(_ count: Int) { msgpack_pack_array(packer, count) }

    func key(_ key: HeaderKey) {
        let name = key.name
        msgpack_pack_str(packer, name.utf8CodeUnitCount)
        msgpack_pack_str_body(packer, name.utf8Start, name.utf8CodeUnitCount)
    }

    func string(_ value: String) {
        var value = value  // withUTF8 may make a bridged string contiguous; native ones are already
        value.withUTF8 { utf8 in
            msgpack_pack_str(packer, utf8.count)
            msgpack_pack_str_body(packer, utf8.baseAddress, utf8.count)
        }
    }

    func int(_ value: Int) {
        if value >= 0 { msgpack_pack_uint64(packer, UInt64(value)) } else { msgpack_pack_int64(packer, Int64(value)) }
    }

    func strings(_ values: [String]) {
        array(values.count)
        for value in values { string(value) }
    }

    func field(_ name: HeaderKey, _ value: String) {
        key(name)
        string(value)
    }

    func field(_ name: HeaderKey, _ value: Int) {
        key(name)
        int(value)
    }

    func field(_ name: HeaderKey, _ values: [String]) {
        key(name)
        strings(values)
    }

    func field<V: RawRepresentable>(_ name: HeaderKey, _ value: V) where V.RawValue == String {
        field(name, value.rawValue)
    }

    /// Writes an optional field only when present; the caller counted it in `map(_:)`.
    func field(_ name: HeaderKey, ifPresent value: String?) {
        if let value { field(name, value) }
    }
}
