/// Encodes typed messages into HLP/1 headers (frame 2) in canonical form (1-HLP.md
/// §Canonical form): keys in the order of the table, every non-optional field written
/// even at its default, optional fields omitted when absent, the smallest int and str forms.
///
/// The encoder writes what it is given and checks nothing: a test can encode a priority of
/// 12 to see the decoder refuse it. Negative integers, which HLP/1 never carries, are
/// written as MessagePack ints so that a decoder answers 422 rather than a wrong number.
///
/// It writes MessagePack itself into one buffer allocated with the encoder and reused for
/// every message: a header is a handful of maps, strings and unsigned ints, and writing
/// them inline costs less than calling msgpack-c's packer once per field (the figures are
/// in the commit that made the change).
/// The golden vectors pin the bytes. Not thread-safe: use one encoder per thread.
public final class HeaderEncoder {
    /// The header being written; grows by doubling, never shrinks.
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private var count = 0

    /// Room for every ordinary header without growing (REPORT may grow it).
    private static let initialCapacity = 1_024

    /// Creates an encoder with its buffer.
    public init() {
        capacity = Self.initialCapacity
        storage = .allocate(byteCount: capacity, alignment: 8)
    }

    deinit {
        storage.deallocate()
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
    func start() { count = 0 }

    private var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage, count: count)
    }

    /// Lends what was written since `start()` (for tests of the primitives).
    func withCurrentBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { body(bytes) }

    /// A map header for `count` fields; the writers count the optional fields present.
    func map(_ count: Int) { container(count, fix: 0x80, sixteen: 0xde, thirtyTwo: 0xdf) }

    func array(_ count: Int) { container(count, fix: 0x90, sixteen: 0xdc, thirtyTwo: 0xdd) }

    func key(_ key: HeaderKey) {
        let name = key.name
        raw(name.utf8Start, name.utf8CodeUnitCount)
    }

    func string(_ value: String) {
        var value = value  // withUTF8 may make a bridged string contiguous; native ones are already
        value.withUTF8 { utf8 in raw(utf8.baseAddress, utf8.count) }
    }

    func int(_ value: Int) {
        if value >= 0 { unsigned(UInt64(value)) } else { negative(Int64(value)) }
    }

    // MARK: MessagePack, smallest forms

    /// A str: fixstr, str 8, str 16 or str 32 by length.
    private func raw(_ start: UnsafePointer<UInt8>?, _ length: Int) {
        reserve(5 + length)
        if length < 32 {
            put(0xa0 | UInt8(length))
        } else if length <= Int(UInt8.max) {
            put(0xd9)
            put(UInt8(length))
        } else if length <= Int(UInt16.max) {
            put(0xda)
            put(bigEndian: UInt16(length))
        } else {
            put(0xdb)
            put(bigEndian: UInt32(truncatingIfNeeded: length))
        }
        if let start, length > 0 {
            (storage + count).copyMemory(from: start, byteCount: length)
            count += length
        }
    }

    private func container(_ elements: Int, fix: UInt8, sixteen: UInt8, thirtyTwo: UInt8) {
        reserve(5)
        if elements < 16 {
            put(fix | UInt8(elements))
        } else if elements <= Int(UInt16.max) {
            put(sixteen)
            put(bigEndian: UInt16(elements))
        } else {
            put(thirtyTwo)
            put(bigEndian: UInt32(truncatingIfNeeded: elements))
        }
    }

    private func unsigned(_ value: UInt64) {
        reserve(9)
        if value < 128 {
            put(UInt8(value))
        } else if value <= UInt64(UInt8.max) {
            put(0xcc)
            put(UInt8(value))
        } else if value <= UInt64(UInt16.max) {
            put(0xcd)
            put(bigEndian: UInt16(value))
        } else if value <= UInt64(UInt32.max) {
            put(0xce)
            put(bigEndian: UInt32(value))
        } else {
            put(0xcf)
            put(bigEndian: value)
        }
    }

    private func negative(_ value: Int64) {
        reserve(9)
        if value >= -32 {
            put(UInt8(bitPattern: Int8(value)))
        } else if value >= Int64(Int8.min) {
            put(0xd0)
            put(UInt8(bitPattern: Int8(value)))
        } else if value >= Int64(Int16.min) {
            put(0xd1)
            put(bigEndian: UInt16(bitPattern: Int16(value)))
        } else if value >= Int64(Int32.min) {
            put(0xd2)
            put(bigEndian: UInt32(bitPattern: Int32(value)))
        } else {
            put(0xd3)
            put(bigEndian: UInt64(bitPattern: value))
        }
    }

    /// Makes room for `extra` more bytes. Inlined: it runs before every primitive (about 25
    /// a ticket) and almost never grows the buffer.
    @inline(__always)
    private func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toFit: extra) }
    }

    @inline(never)
    private func grow(toFit extra: Int) {
        var grown = capacity * 2
        while grown < count + extra { grown *= 2 }
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 8)
        bigger.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = bigger
        capacity = grown
    }

    /// Callers reserve first.
    private func put(_ byte: UInt8) {
        storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    private func put<T: FixedWidthInteger>(bigEndian value: T) {
        storage.storeBytes(of: value.bigEndian, toByteOffset: count, as: T.self)
        count += MemoryLayout<T>.size
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
