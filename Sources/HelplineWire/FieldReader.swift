import CMsgPack

/// The known fields of one header map (or one REPORT entry), located in one pass by
/// `HeaderDecoder.fields(of:keys:...)` and read here by key with the exact 1-HLP.md error
/// for each way a value can be wrong.
///
/// Valid only while the decoder's zone holds the objects it points into.
struct FieldReader {
    /// One slot per `HeaderKey.rawValue`: the map entry of that key, `nil` when absent.
    let slots: UnsafeMutablePointer<UnsafePointer<msgpack_object_kv>?>
    let command: Command
    /// The REPORT list and index this entry sits at; `nil` for the header itself.
    let entry: (list: HeaderKey, index: Int)?
    /// The `id` once read: every later error carries it, so the peer can correlate.
    var ticket: String?

    /// How a string field is checked beyond its length.
    enum StringKind {
        /// Names things (ids, worker names, skills, options): non-empty, no control characters.
        case name
        /// Free text (notes, reasons, error texts): anything well-formed.
        case text
    }

    @inline(__always)
    func object(_ key: HeaderKey) -> msgpack_object? { slots[key.rawValue]?.pointee.val }

    /// An unsigned integer in `range`; `nil` when absent.
    func int(_ key: HeaderKey, in range: ClosedRange<Int> = 0...Int.max) throws(WireError) -> Int? {
        guard let value = object(key) else { return nil }
        return try int(value, in: range, what: "'\(key.name)'")
    }

    func requiredInt(_ key: HeaderKey, in range: ClosedRange<Int> = 0...Int.max) throws(WireError) -> Int {
        try required(int(key, in: range), key)
    }

    /// Any int-family form is accepted when its value is in range (1-HLP.md §What decoders accept).
    func int(_ value: msgpack_object, in range: ClosedRange<Int>, what: @autoclosure () -> String) throws(WireError)
        -> Int
    {
        switch value.type {
        case MSGPACK_OBJECT_POSITIVE_INTEGER:
            guard value.via.u64 <= UInt64(range.upperBound), range.contains(Int(value.via.u64)) else {
                throw error(.invalid, "\(what()) is \(value.via.u64); must be \(describe(range))")
            }
            return Int(value.via.u64)
        case MSGPACK_OBJECT_NEGATIVE_INTEGER:
            throw error(.invalid, "\(what()) is \(value.via.i64); must be \(describe(range))")
        default:
            throw wrongType(what(), value, expected: "an unsigned integer")
        }
    }

    /// A string of at most `limit` bytes; `nil` when absent.
    func string(_ key: HeaderKey, limit: Int, kind: StringKind) throws(WireError) -> String? {
        guard let value = object(key) else { return nil }
        return try string(value, limit: limit, kind: kind, what: "'\(key.name)'")
    }

    func requiredString(_ key: HeaderKey, limit: Int, kind: StringKind) throws(WireError) -> String {
        try required(string(key, limit: limit, kind: kind), key)
    }

    func string(
        _ value: msgpack_object, limit: Int, kind: StringKind, what: @autoclosure () -> String
    ) throws(WireError) -> String {
        guard value.type == MSGPACK_OBJECT_STR else { throw wrongType(what(), value, expected: "a str") }
        let bytes = UnsafeRawBufferPointer(start: value.via.str.ptr, count: Int(value.via.str.size))
        guard bytes.count <= limit else {
            throw error(.tooLarge, "\(what()) is \(bytes.count) bytes; must be at most \(limit)")
        }
        guard UTF8Check.isValid(bytes) else { throw error(.malformed, "\(what()) is not valid UTF-8") }
        if kind == .name {
            guard !bytes.isEmpty else { throw error(.invalid, "\(what()) is empty") }
            guard !UTF8Check.hasControlCharacter(bytes) else {
                throw error(.invalid, "\(what()) \(quoted(bytes)) holds a control character")
            }
        }
        return String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }

    /// A list of names, each at most `itemLimit` bytes, at most `maxCount` of them; `nil` when absent.
    func names(_ key: HeaderKey, maxCount: Int, itemLimit: Int) throws(WireError) -> [String]? {
        guard let value = object(key) else { return nil }
        guard value.type == MSGPACK_OBJECT_ARRAY else {
            throw wrongType("'\(key.name)'", value, expected: "an array of str")
        }
        let count = Int(value.via.array.size)
        guard count <= maxCount else {
            throw error(.tooLarge, "'\(key.name)' has \(count) entries; must have at most \(maxCount)")
        }
        var result: [String] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            result.append(
                try string(value.via.array.ptr[index], limit: itemLimit, kind: .name, what: "'\(key.name)'[\(index)]"))
        }
        return result
    }

    /// One of a vocabulary's strings; `nil` when absent. Anything else is 422.
    func vocabulary<V: WireWord>(_ key: HeaderKey, _: V.Type) throws(WireError) -> V? {
        guard let value = object(key) else { return nil }
        guard value.type == MSGPACK_OBJECT_STR else { throw wrongType("'\(key.name)'", value, expected: "a str") }
        let bytes = UnsafeRawBufferPointer(start: value.via.str.ptr, count: Int(value.via.str.size))
        guard UTF8Check.isValid(bytes) else { throw error(.malformed, "'\(key.name)' is not valid UTF-8") }
        if let word = V.word(spelledBy: bytes) { return word }
        let words = V.allCases.map(\.rawValue).joined(separator: ", ")
        throw error(.invalid, "'\(key.name)' is \(quoted(bytes)); must be one of \(words)")
    }

    func requiredVocabulary<V: WireWord>(_ key: HeaderKey, _ type: V.Type) throws(WireError) -> V {
        try required(vocabulary(key, type), key)
    }

    // MARK: Fields shared by many headers

    /// The required `id`; remembered so that every later error names the ticket.
    mutating func ticketID() throws(WireError) -> String {
        let id = try requiredString(.id, limit: WireLimits.maxTicketIDBytes, kind: .name)
        ticket = id
        return id
    }

    /// `value`, which must be present: fields with no default in 1-HLP.md or the Swift
    /// types are required (422 when missing).
    func required<T>(_ value: T?, _ key: HeaderKey) throws(WireError) -> T {
        guard let value else { throw missing(key) }
        return value
    }

    /// `skills`: at most 32 tags of at most 64 bytes; `nil` when absent.
    func skills() throws(WireError) -> [String]? {
        try names(.skills, maxCount: WireLimits.maxSkillsPerEntity, itemLimit: WireLimits.maxSkillBytes)
    }

    /// `options`: at most 16 distinct labels of at most 64 bytes; `nil` when absent.
    func options() throws(WireError) -> [String]? {
        guard let options = try names(.options, maxCount: WireLimits.maxOptions, itemLimit: WireLimits.maxOptionBytes)
        else { return nil }
        // At most 16 labels: comparing each pair is cheaper than hashing them.
        for (index, option) in options.enumerated() where options[..<index].contains(option) {
            throw error(.invalid, "'options'[\(index)] repeats '\(option)'; options must be distinct")
        }
        return options
    }

    /// `option`, which must be present exactly when `decision` is `option` (ANSWER, ANSWERED).
    func option(for decision: Decision) throws(WireError) -> String? {
        let option = try string(.option, limit: WireLimits.maxOptionBytes, kind: .name)
        if decision == .option && option == nil {
            throw error(.invalid, "'option' is missing; it is required when 'decision' is option")
        }
        if decision != .option && option != nil {
            throw error(.invalid, "'option' is present but 'decision' is \(decision.rawValue), not option")
        }
        return option
    }

    /// A free-text field (`note`, `reason`, `text`) of at most 1024 bytes; `nil` when absent.
    func text(_ key: HeaderKey) throws(WireError) -> String? {
        try string(key, limit: WireLimits.maxTextBytes, kind: .text)
    }

    // MARK: Errors

    /// An error about this header, prefixed with where it is and carrying the ticket.
    func error(_ code: ErrorCode, _ detail: String) -> WireError {
        let place = entry.map { "\(command): '\($0.list.name)'[\($0.index)]" } ?? "\(command)"
        return WireError(code: code, text: "\(place): \(detail)", ticket: ticket, command: command.rawValue)
    }

    func missing(_ key: HeaderKey) -> WireError { error(.invalid, "'\(key.name)' is missing") }

    func wrongType(_ what: String, _ value: msgpack_object, expected: String) -> WireError {
        error(.malformed, "\(what) is \(typeName(value)); must be \(expected)")
    }
}

/// The MessagePack family of an object, for error texts.
func typeName(_ value: msgpack_object) -> String {
    switch value.type {
    case MSGPACK_OBJECT_NIL: "nil"
    case MSGPACK_OBJECT_BOOLEAN: "a bool"
    case MSGPACK_OBJECT_POSITIVE_INTEGER, MSGPACK_OBJECT_NEGATIVE_INTEGER: "an int"
    case MSGPACK_OBJECT_FLOAT32, MSGPACK_OBJECT_FLOAT64: "a float"
    case MSGPACK_OBJECT_STR: "a str"
    case MSGPACK_OBJECT_BIN: "a bin"
    case MSGPACK_OBJECT_ARRAY: "an array"
    case MSGPACK_OBJECT_MAP: "a map"
    default: "an ext"
    }
}

/// "0...9", "at least 1", "an unsigned integer": a range as an error text says it.
func describe(_ range: ClosedRange<Int>) -> String {
    switch (range.lowerBound, range.upperBound) {
    case (0, Int.max): "an unsigned integer"
    case (let low, Int.max): "at least \(low)"
    default: "\(range.lowerBound)...\(range.upperBound)"
    }
}
