/// A MessagePack value: what ticket and answer bodies hold by convention (spec §"Body
/// conventions"). The broker never decodes bodies; only agents and consoles do, so the
/// body codec lives here, beside the header codec, where both client and worker sides
/// reach it.
///
/// Maps have `str` keys, the only kind the conventions use. Literals build values:
/// `["amount": 40, "currency": "EUR"]`.
public enum BodyValue: Sendable, Hashable {
    /// nil.
    case null
    /// true or false.
    case bool(Bool)
    /// Any MessagePack integer that fits in 64 signed bits.
    case int(Int64)
    /// float 32 or float 64.
    case double(Double)
    /// A UTF-8 str.
    case string(String)
    /// bin 8, 16 or 32.
    case binary([UInt8])
    /// An array of values.
    case array([BodyValue])
    /// A map with str keys.
    case map([String: BodyValue])

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The integer, if this is one.
    public var intValue: Int64? {
        if case .int(let value) = self { value } else { nil }
    }

    /// The elements, if this is an array.
    public var arrayValue: [BodyValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The entries, if this is a map.
    public var mapValue: [String: BodyValue]? {
        if case .map(let value) = self { value } else { nil }
    }

    /// The value under `key`, if this is a map that has it.
    public subscript(key: String) -> BodyValue? {
        mapValue?[key]
    }
}

extension BodyValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `nil` is `.null`; the other literals build the matching case.
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: BodyValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, BodyValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
