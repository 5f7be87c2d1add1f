import FuzzHarness
import PayloadDecoders

/// Every payload decoder, and a chain, on each input. A decoder may refuse the bytes (with its one-line error)
/// but never trap, and what it produces must be JSON that reads back.
struct PayloadDecoderFuzzTarget: FuzzTarget {
    static let name = "decoder-fuzz"

    static func seeds() -> [(name: String, bytes: [UInt8])] { DecoderSeeds.files() }

    /// Small output limit: a decompression bomb is refused quickly instead of slowing every run.
    private let limits = DecodeLimits(maximumOutputBytes: 1024 * 1024)
    private static let chains: [DecoderChain] = PayloadDecoder.allCases.map(DecoderChain.single) + [
        try! DecoderChain(parsing: "base64 | gzip | json"),
        try! DecoderChain(parsing: "zlib | msgpack"),
        try! DecoderChain(parsing: "deflate | cbor"),
    ]
    private var decoded = 0
    private var refused = 0
    private var aliases = SparkplugAliases(maximumEdgeNodes: 4, maximumAliasesPerNode: 64)

    mutating func run(_ input: UnsafeBufferPointer<UInt8>) {
        let bytes = Array(input)
        // Births as well as data, so that alias resolution runs on fuzzed tables too.
        aliases.observe(topic: "spBv1.0/g/NBIRTH/n", payload: bytes)
        let context = DecodeContext(topic: "spBv1.0/g/NDATA/n", sparkplug: aliases)
        for chain in Self.chains {
            do {
                let value = try chain.decode(bytes, context: context, limits: limits)
                // Deeper than the decoders' own limit: wrapping (ext, tag) may add a level or two.
                let text = value.jsonBytes
                precondition((try? DecoderChain.single(.json).decode(text, limits: DecodeLimits(maximumDepth: 256))) != nil,
                             "\(chain) produced text that is not JSON")
                decoded += 1
            } catch {
                precondition(!error.description.contains("\n"), "an error of more than one line")
                refused += 1
            }
        }
    }

    var summary: String { "\(decoded) decodes, \(refused) refused, no crash" }
}

@main
enum DecoderFuzz {
    static func main() { FuzzMain.run(PayloadDecoderFuzzTarget.self) }
}
