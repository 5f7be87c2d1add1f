import PayloadDecoders

/// How the detail pane shows one topic's payloads: one of the plain modes, or through a decoder chain.
public enum PayloadView: Equatable, Sendable {
    case mode(PayloadViewMode)
    case decoder(DecoderChain)

    /// `auto: json`, `gzip | json`: the text of the pane's title and frame note.
    public var name: String {
        switch self {
        case .mode(let mode): mode.rawValue
        case .decoder(let chain): chain.description
        }
    }

    public var chain: DecoderChain? {
        if case .decoder(let chain) = self { return chain }
        return nil
    }

    /// What `v` cycles through on `topic`, the default first: the rules' chain (or `automatic`), the other
    /// matching rules, the plain modes, then the structure decoders not yet listed.
    public static func cycle(for topic: String, rules: DecoderRules) -> [PayloadView] {
        var views: [PayloadView] = []
        func add(_ view: PayloadView) { if !views.contains(view) { views.append(view) } }
        if let chain = rules.chain(for: topic) { add(.decoder(chain)) }
        for chain in rules.choices(for: topic) where chain.stages.count > 1 || ![.text, .json, .hex].contains(chain.stages[0]) {
            if rules.rules.contains(where: { $0.chain == chain }) || chain.stages == [.sparkplugb] { add(.decoder(chain)) }
        }
        for mode in PayloadViewMode.allCases { add(.mode(mode)) }
        for decoder: PayloadDecoder in [.msgpack, .cbor, .protobuf] { add(.decoder(.single(decoder))) }
        return views
    }
}

/// A payload through a decoder, as the views show it.
public struct DecodedPayload: Equatable, Sendable {
    public var chain: DecoderChain
    public var result: Result<DecodedValue, DecodeFailure>

    /// One line of text for the log and tree previews: a string as it is, anything else as compact JSON, a
    /// failure as its error.
    public var previewText: String {
        switch result {
        case .success(.string(let text)): text
        case .success(let value): value.jsonText
        case .failure(let error): "(\(error))"
        }
    }
}
