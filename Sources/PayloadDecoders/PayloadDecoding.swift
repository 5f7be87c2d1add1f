/// Decoding as a stream of messages needs it: the rules, plus the Sparkplug aliases learnt from the births
/// seen so far. `mqdash sub --decode` and the dashboard each keep one.
public struct PayloadDecoding: Sendable {
    public let rules: DecoderRules
    public var sparkplug = SparkplugAliases()
    public var limits: DecodeLimits

    public init(rules: DecoderRules, limits: DecodeLimits = .standard) {
        self.rules = rules
        self.limits = limits
    }

    /// To be called for every message, in order: learns Sparkplug births (cheap for any other topic).
    public mutating func observe(topic: String, payload: [UInt8]) {
        if DecoderRules.isSparkplug(topic) { sparkplug.observe(topic: topic, payload: payload) }
    }

    /// `payload` through `chain`, or through the rules' chain for `topic` when `chain` is nil; nil when no
    /// chain applies.
    public func decode(topic: String, payload: [UInt8], chain: DecoderChain? = nil) -> Result<DecodedValue, DecodeFailure>? {
        guard let chain = chain ?? rules.chain(for: topic) else { return nil }
        do {
            return .success(try chain.decode(payload, context: DecodeContext(topic: topic, sparkplug: sparkplug), limits: limits))
        } catch {
            return .failure(error)
        }
    }
}
