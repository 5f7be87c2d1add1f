/// The built-in decoders, by the names a chain uses.
///
/// A byte stage turns bytes into bytes (`base64`, `gzip`); a structure stage turns bytes into a decoded
/// tree and ends a chain. `hex` is a structure stage that shows the bytes as they are.
public enum PayloadDecoder: String, CaseIterable, Sendable {
    case text, json, hex, base64, gzip, zlib, deflate, msgpack, cbor, protobuf, sparkplugb

    public var isByteStage: Bool {
        switch self {
        case .base64, .gzip, .zlib, .deflate: true
        default: false
        }
    }

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// A byte stage's output.
    func transform(_ bytes: [UInt8], limits: DecodeLimits) throws(DecodeFailure) -> [UInt8] {
        switch self {
        case .base64: try Base64Stage.decode(bytes, limits: limits)
        case .gzip: try InflateStage.inflate(bytes, format: .gzip, limits: limits)
        case .zlib: try InflateStage.inflate(bytes, format: .zlib, limits: limits)
        case .deflate: try InflateStage.inflate(bytes, format: .deflate, limits: limits)
        default: bytes
        }
    }

    /// A structure stage's tree (a byte stage at the end of a chain shows its output as text or bytes).
    func decode(_ bytes: [UInt8], context: DecodeContext, limits: DecodeLimits) throws(DecodeFailure) -> DecodedValue {
        switch self {
        case .text:
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw DecodeFailure("text", "not UTF-8 (first bad byte at \(Self.firstInvalidUTF8(bytes)))")
            }
            return .string(text)
        case .json: return try JSONValueDecoder.decode(bytes, limits: limits)
        case .hex: return .bytes(bytes)
        case .msgpack: return try MessagePackDecoder.decode(bytes, limits: limits)
        case .cbor: return try CBORDecoder.decode(bytes, limits: limits)
        case .protobuf: return try ProtobufWireDecoder.decode(bytes, limits: limits)
        case .sparkplugb: return try SparkplugDecoder.decode(bytes, context: context)
        case .base64, .gzip, .zlib, .deflate:
            return String(validating: bytes, as: UTF8.self).map(DecodedValue.string) ?? .bytes(bytes)
        }
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var low = 0
        var high = bytes.count
        // The longest valid prefix, found by halving (a prefix cut inside a character is invalid too, which
        // only moves the answer back to that character's start).
        while low < high {
            let middle = (low + high + 1) / 2
            if String(validating: bytes[0..<middle], as: UTF8.self) != nil { low = middle } else { high = middle - 1 }
        }
        return low
    }
}

/// What a decode may need besides the bytes: the topic (Sparkplug reads group, node and device from it) and
/// the Sparkplug alias table built from the BIRTH messages seen so far.
public struct DecodeContext {
    public var topic: String
    public var sparkplug: SparkplugAliases?

    public init(topic: String = "", sparkplug: SparkplugAliases? = nil) {
        self.topic = topic
        self.sparkplug = sparkplug
    }
}
