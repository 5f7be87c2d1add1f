import PayloadDecoders

/// `=`: what changed from one message of a topic to the next. JSON (or a decoded payload) by key
/// path, UTF-8 text by line, anything else by byte ranges.
public struct MessageDiff: Equatable, Sendable {
    public enum Kind: String, Sendable { case json, text, binary }

    public enum Change: Equatable, Sendable {
        case same, added, removed
        /// A key whose value changed: `text` is the new value, `old` the previous one.
        case changed(old: String)
    }

    public struct Line: Equatable, Sendable {
        public var change: Change
        /// A key path and value (`sensor.temp: 21.5`), a text line, or a byte range with its bytes.
        public var text: String
    }

    public var kind: Kind
    public var lines: [Line]

    public var changeCount: Int { lines.filter { $0.change != .same }.count }

    /// Lines of text compared at most (the line diff is quadratic); longer texts compare their first lines.
    static let maximumTextLines = 2_000

    /// `previous` to `current`; `decoded` trees, when the topic shows through a decoder, are compared by key.
    public static func between(previous: [UInt8], current: [UInt8], decoded: (previous: DecodedValue, current: DecodedValue)? = nil) -> MessageDiff {
        if let decoded { return MessageDiff(kind: .json, lines: JSONKeyDiff.lines(decoded.previous, decoded.current)) }
        let json = DecoderChain.single(.json)
        if let old = try? json.decode(previous), let new = try? json.decode(current), old.isContainer || new.isContainer {
            return MessageDiff(kind: .json, lines: JSONKeyDiff.lines(old, new))
        }
        if let old = String(validating: previous, as: UTF8.self), let new = String(validating: current, as: UTF8.self) {
            return MessageDiff(kind: .text, lines: TextLineDiff.lines(old, new))
        }
        return MessageDiff(kind: .binary, lines: ByteRangeDiff.lines(previous, current))
    }
}

extension DecodedValue {
    var isContainer: Bool {
        switch self {
        case .object, .array: true
        default: false
        }
    }
}
