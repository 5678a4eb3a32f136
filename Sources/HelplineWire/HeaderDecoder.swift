import CMsgPack

/// Decodes HLP/1 headers (frame 2) into typed messages. Total: any bytes give a value or
/// a `WireError` with the 1-HLP.md code, never a trap, and never an allocation out of
/// proportion to the input.
///
/// Each header goes through three steps: `MessagePackBoundsCheck` walks the bytes (so
/// msgpack-c never sees a lying element count), `msgpack_unpack` builds the object tree in
/// a zone kept from one call to the next, and the per-command readers map the tree to a
/// message. Strings in the tree point into `header`; nothing outlives the call.
///
/// Not thread-safe (it owns scratch memory): use one decoder per thread.
public final class HeaderDecoder {
    /// The object tree of the header being decoded; cleared, not freed, after each call,
    /// so its first chunk is reused and a typical header decodes without a `malloc`.
    private let zone: UnsafeMutablePointer<msgpack_zone>
    /// Two banks of slots, one per `HeaderKey`: the header's and a REPORT entry's.
    private let slots: UnsafeMutablePointer<UnsafePointer<msgpack_object_kv>?>
    /// Indexes of unknown keys in the map being read, to find duplicates among them.
    private var unknownKeys: [Int] = []

    /// The zone's chunk: the object tree of a large ASK (≈ 60 objects of 24 bytes) fits.
    private static let zoneChunkBytes = 8192

    /// Creates a decoder with its scratch memory.
    public init() {
        guard let zone = msgpack_zone_new(Self.zoneChunkBytes) else {
            fatalError("msgpack_zone_new could not allocate \(Self.zoneChunkBytes) bytes")
        }
        self.zone = zone
        slots = .allocate(capacity: 2 * HeaderKey.allCases.count)
        slots.initialize(repeating: nil, count: 2 * HeaderKey.allCases.count)
    }

    deinit {
        msgpack_zone_free(zone)
        slots.deallocate()
    }

    // MARK: Steps shared by every header

    /// Checks `header` and unpacks it into the zone; the caller clears the zone.
    func unpack(_ header: UnsafeRawBufferPointer, _ command: Command) throws(WireError) -> msgpack_object {
        let headerLimit = WireLimits.maxHeaderBytes(for: command)
        guard header.count <= headerLimit else {
            throw .tooLarge(
                "\(command): header is \(header.count) bytes; must be at most \(headerLimit)",
                command: command.rawValue)
        }
        if let failure = MessagePackBoundsCheck.check(header) {
            throw .malformed("\(command): \(failure.text)", command: command.rawValue)
        }
        var offset = 0
        var root = msgpack_object()
        let result = msgpack_unpack(
            header.baseAddress!.assumingMemoryBound(to: CChar.self), header.count, &offset, zone, &root)
        guard result == MSGPACK_UNPACK_SUCCESS else {
            // The walk above accepts only what msgpack-c parses; this is a defence, not a path.
            msgpack_zone_clear(zone)
            throw .malformed("\(command): msgpack-c refused the header (\(result.rawValue))", command: command.rawValue)
        }
        return root
    }

    /// Releases the object tree of the last header (keeps the zone's first chunk).
    func clearZone() {
        msgpack_zone_clear(zone)
    }

    /// Finds the known `keys` in `object` (a map) in one pass. Rejects non-str keys,
    /// invalid UTF-8 keys and duplicate keys (400); ignores unknown keys.
    func fields(
        of object: msgpack_object, keys: [HeaderKey], command: Command, entry: (list: HeaderKey, index: Int)? = nil
    ) throws(WireError) -> FieldReader {
        let bank = entry == nil ? slots : slots + HeaderKey.allCases.count
        for key in keys { bank[key.rawValue] = nil }
        let reader = FieldReader(slots: bank, command: command, entry: entry)
        guard object.type == MSGPACK_OBJECT_MAP else { throw reader.wrongType("the entry", object, expected: "a map") }

        let map = object.via.map
        // Only a header with unknown keys touches the list (a stored property: each access
        // is checked for exclusivity at run time).
        var unknownCount = 0
        for index in 0..<Int(map.size) {
            let entry = map.ptr + index
            guard entry.pointee.key.type == MSGPACK_OBJECT_STR else {
                throw reader.error(.malformed, "key #\(index) is \(typeName(entry.pointee.key)); keys must be str")
            }
            let name = bytes(of: entry.pointee.key)
            if let key = keys.first(where: { $0.matches(name) }) {
                guard bank[key.rawValue] == nil else {
                    throw reader.error(.malformed, "key '\(key.name)' appears twice")
                }
                bank[key.rawValue] = UnsafePointer(entry)
            } else {
                guard UTF8Check.isValid(name) else {
                    throw reader.error(.malformed, "key #\(index) is not valid UTF-8")
                }
                if unknownCount == 0 { unknownKeys.removeAll(keepingCapacity: true) }
                unknownKeys.append(index)
                unknownCount += 1
            }
        }
        if unknownCount > 1 { try checkDistinct(unknownKeys: map, reader) }
        return reader
    }

    /// Unknown keys are ignored but must still be distinct. Sorting makes that O(n log n)
    /// however many a hostile 64 KiB header holds.
    private func checkDistinct(unknownKeys map: msgpack_object_map, _ reader: FieldReader) throws(WireError) {
        unknownKeys.sort { bytes(of: map.ptr[$0].key).lexicographicallyPrecedes(bytes(of: map.ptr[$1].key)) }
        for (previous, next) in zip(unknownKeys, unknownKeys.dropFirst())
        where bytes(of: map.ptr[previous].key).elementsEqual(bytes(of: map.ptr[next].key)) {
            throw reader.error(.malformed, "key \(quoted(bytes(of: map.ptr[next].key))) appears twice")
        }
    }

    /// A header with no fields of its own (STATUS, HEARTBEAT, DISCONNECT): still one map
    /// with str keys, no duplicates.
    func empty(_ header: msgpack_object, _ command: Command) throws(WireError) {
        _ = try fields(of: header, keys: HeaderKeys.empty, command: command)
    }

    /// A header whose only field is the required `id` (CANCEL, EXPIRED, CANCELLED).
    func ticketOnly(_ header: msgpack_object, _ command: Command) throws(WireError) -> String {
        var fields = try fields(of: header, keys: HeaderKeys.ticketOnly, command: command)
        return try fields.ticketID()
    }

    /// ERROR, on either sub-protocol. `code` must be one of the closed set.
    func errorReply(_ header: msgpack_object) throws(WireError) -> ErrorReply {
        var fields = try fields(of: header, keys: HeaderKeys.error, command: .error)
        if let ticket = try fields.string(.id, limit: WireLimits.maxTicketIDBytes, kind: .name) {
            fields.ticket = ticket
        }
        let number = try fields.requiredInt(.code, in: 0...Int(UInt16.max))
        guard let code = ErrorCode(rawValue: UInt16(number)) else {
            throw fields.error(.invalid, "'code' is \(number); must be one of the HLP/1 error codes")
        }
        return ErrorReply(
            code: code, text: try fields.requiredString(.text, limit: WireLimits.maxTextBytes, kind: .text),
            ticket: fields.ticket, command: try fields.int(.command, in: 0...Int(UInt8.max)).map { UInt8($0) })
    }
}

/// The bytes of a str object; they point into the header being decoded.
@inline(__always)
func bytes(of string: msgpack_object) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: string.via.str.ptr, count: Int(string.via.str.size))
}
