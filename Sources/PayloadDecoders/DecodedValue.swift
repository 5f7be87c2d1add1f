/// What a decoder makes of a payload: a tree shaped like JSON, plus raw bytes for what has no text form.
///
/// Every view of a decoded payload (the detail pane, the log preview, the search, the plot's field paths,
/// `mqdash sub --decode`) reads it through its JSON text (`jsonText`), so one renderer serves every decoder.
public indirect enum DecodedValue: Equatable, Sendable {
    /// Members in the order the payload had them; keys may repeat (a protobuf field seen twice is an array).
    case object([Member])
    case array([DecodedValue])
    case string(String)
    case integer(Int64)
    case unsigned(UInt64)
    case double(Double)
    case bool(Bool)
    case null
    /// Bytes that are not text (a protobuf `bytes` field, a msgpack `bin`, a payload shown as `hex`).
    case bytes([UInt8])

    public struct Member: Equatable, Sendable {
        public var key: String
        public var value: DecodedValue
        public init(_ key: String, _ value: DecodedValue) {
            self.key = key
            self.value = value
        }
    }

    /// The member named `key` of an object (the first one when it repeats).
    public subscript(key: String) -> DecodedValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The value as a number, when it is one (or a boolean, as 1 or 0).
    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .unsigned(let value): Double(value)
        case .double(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }
}
