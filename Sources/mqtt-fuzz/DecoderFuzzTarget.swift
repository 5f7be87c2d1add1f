import FuzzHarness
import NIOCore

/// The decoder's round trip (`RoundTripCheck`) as a fuzz target.
struct DecoderFuzzTarget: FuzzTarget {
    static let name = "mqtt-fuzz"

    static func seeds() -> [(name: String, bytes: [UInt8])] {
        Seeds.files().map { (name: $0.name, bytes: Array($0.bytes.readableBytesView)) }
    }

    private var tally = RoundTripCheck.Tally()

    mutating func run(_ input: UnsafeBufferPointer<UInt8>) {
        RoundTripCheck.run(ByteBuffer(bytes: input), tally: &tally)
    }

    var summary: String { "\(tally.packets) packets round-tripped, \(tally.errors) inputs refused, no crash" }
}

@main
enum MQTTFuzz {
    static func main() { FuzzMain.run(DecoderFuzzTarget.self) }
}
