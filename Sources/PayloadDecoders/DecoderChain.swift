/// Decoders applied one after the other, written `base64 | gzip | json`: byte stages first, then at most one
/// structure stage, last. A chain of byte stages only ends as text when the bytes are UTF-8, else as bytes.
public struct DecoderChain: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let stages: [PayloadDecoder]

    public init(_ stages: [PayloadDecoder]) throws(DecoderChainError) {
        guard !stages.isEmpty else { throw DecoderChainError("an empty decoder chain") }
        for (index, stage) in stages.enumerated() where !stage.isByteStage && index != stages.count - 1 {
            throw DecoderChainError("'\(stage.rawValue)' must be the last decoder of a chain (it does not make bytes)")
        }
        self.stages = stages
    }

    /// Parses `base64 | gzip | json`; the error names the decoder it does not know.
    public init(parsing text: String) throws(DecoderChainError) {
        var stages: [PayloadDecoder] = []
        for part in text.split(separator: "|", omittingEmptySubsequences: false) {
            let name = part.trimmingSpaces
            guard !name.isEmpty else { throw DecoderChainError("an empty decoder name in '\(text)'") }
            guard let stage = PayloadDecoder(rawValue: name.lowercased()) else {
                throw DecoderChainError("unknown decoder '\(name)' in '\(text)' (known: \(PayloadDecoder.names))")
            }
            stages.append(stage)
        }
        try self.init(stages)
    }

    public static func single(_ decoder: PayloadDecoder) -> DecoderChain {
        // One stage is always a valid chain.
        try! DecoderChain([decoder])
    }

    public var description: String { stages.map(\.rawValue).joined(separator: " | ") }

    public func decode(_ bytes: [UInt8], context: DecodeContext = DecodeContext(), limits: DecodeLimits = .standard) throws(DecodeFailure) -> DecodedValue {
        var bytes = bytes
        for stage in stages.dropLast() { bytes = try stage.transform(bytes, limits: limits) }
        let last = stages[stages.count - 1]
        if last.isByteStage { bytes = try last.transform(bytes, limits: limits) }
        return try last.decode(bytes, context: context, limits: limits)
    }
}

public struct DecoderChainError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
