import MQTTCore

/// Which chain decodes which topic: rules `filter -> chain` (from a profile's `[[decoders]]` or `--decode`).
///
/// Precedence: the first rule in the given order whose filter matches the topic wins. With none matching,
/// a Sparkplug B topic (`spBv1.0/...`) is decoded as `sparkplugb`; any other topic has no decoder (the
/// dashboard then shows it as it does without decoders). A rule can override the Sparkplug default (e.g.
/// `spBv1.0/#=hex`).
public struct DecoderRules: Equatable, Sendable {
    public struct Rule: Equatable, Sendable {
        public var filter: String
        public var chain: DecoderChain
    }

    public let rules: [Rule]

    public static let sparkplugFilter = "spBv1.0/#"

    public init(rules: [(filter: String, chain: String)]) throws(DecoderRuleError) {
        var parsed: [Rule] = []
        for (index, rule) in rules.enumerated() {
            do {
                try Topic.validateFilter(rule.filter)
            } catch {
                throw DecoderRuleError(index: index, filter: rule.filter, message: "invalid topic filter '\(rule.filter)': \(error)")
            }
            do {
                parsed.append(Rule(filter: rule.filter, chain: try DecoderChain(parsing: rule.chain)))
            } catch {
                throw DecoderRuleError(index: index, filter: rule.filter, message: error.message)
            }
        }
        self.rules = parsed
    }

    /// Parses `FILTER=CHAIN` as `--decode` takes it (the last `=` splits, filters may not hold one anyway).
    public static func parseOption(_ text: String) throws(DecoderRuleError) -> (filter: String, chain: String) {
        guard let equals = text.lastIndex(of: "=") else {
            throw DecoderRuleError(index: 0, filter: text, message: "'\(text)' is not FILTER=CHAIN (e.g. 'factory/#=gzip | json')")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    /// Rules from `--decode FILTER=CHAIN` options, in the order given; the error quotes the option.
    public static func parseOptions(_ options: [String]) throws(DecoderRuleError) -> DecoderRules {
        var pairs: [(filter: String, chain: String)] = []
        for option in options { pairs.append(try parseOption(option)) }
        do {
            return try DecoderRules(rules: pairs)
        } catch {
            throw DecoderRuleError(index: error.index, filter: error.filter, message: "--decode '\(options[error.index])': \(error.message)")
        }
    }

    public static let none = try! DecoderRules(rules: [])

    private init(parsed: [Rule]) { rules = parsed }

    /// These rules first, then `later`'s (first match wins, so these win where both match).
    public func followed(by later: DecoderRules) -> DecoderRules { DecoderRules(parsed: rules + later.rules) }

    public var isEmpty: Bool { rules.isEmpty }

    /// The chain for `topic`: the first matching rule's, else `sparkplugb` on a Sparkplug topic, else nil.
    public func chain(for topic: String) -> DecoderChain? {
        if let rule = rules.first(where: { Topic.matches(filter: $0.filter, topic: topic) }) { return rule.chain }
        return Self.isSparkplug(topic) ? .single(.sparkplugb) : nil
    }

    /// Every chain that may apply to `topic`, for a key that cycles through them: the matching rules' chains in
    /// order, the Sparkplug default on its topics, then each structure decoder on its own, without repeats.
    public func choices(for topic: String) -> [DecoderChain] {
        var result: [DecoderChain] = []
        for rule in rules where Topic.matches(filter: rule.filter, topic: topic) && !result.contains(rule.chain) {
            result.append(rule.chain)
        }
        let singles: [PayloadDecoder] = (Self.isSparkplug(topic) ? [.sparkplugb] : []) + [.text, .json, .hex, .msgpack, .cbor, .protobuf]
        for decoder in singles where !result.contains(.single(decoder)) { result.append(.single(decoder)) }
        return result
    }

    public static func isSparkplug(_ topic: String) -> Bool { topic.hasPrefix("spBv1.0/") }
}

/// A bad rule: which one (0-based, in the order given), its filter, and what is wrong, naming the decoder.
public struct DecoderRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    public var index: Int
    public var filter: String
    public var message: String
    public var description: String { message }
}
