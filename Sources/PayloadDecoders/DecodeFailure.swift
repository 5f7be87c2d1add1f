/// Why a decoder could not read a payload, as one line: `msgpack: truncated at byte 12`.
public struct DecodeFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The decoder's name as written in a chain (`gzip`, `cbor`).
    public var decoder: String
    public var message: String

    public init(_ decoder: String, _ message: String) {
        self.decoder = decoder
        self.message = message
    }

    public var description: String { "\(decoder): \(message)" }
}

/// How much work one decode may do, so that a decompression bomb or a deeply nested payload stops with an
/// error instead of taking the memory or the stack.
public struct DecodeLimits: Equatable, Sendable {
    /// Bytes a byte stage (gzip, base64...) may produce.
    public var maximumOutputBytes: Int
    /// Levels of nesting (arrays, maps, messages) a structure decoder follows.
    public var maximumDepth: Int
    /// Values a structure decoder may produce in all.
    public var maximumValues: Int

    public init(maximumOutputBytes: Int = 16 * 1024 * 1024, maximumDepth: Int = 64, maximumValues: Int = 1_000_000) {
        self.maximumOutputBytes = maximumOutputBytes
        self.maximumDepth = maximumDepth
        self.maximumValues = maximumValues
    }

    public static let standard = DecodeLimits()
}
