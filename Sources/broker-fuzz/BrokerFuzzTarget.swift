import FuzzHarness

/// The broker driven by one input (`BrokerProgram`) as a fuzz target.
struct BrokerFuzzTarget: FuzzTarget {
    static let name = "broker-fuzz"

    static func seeds() -> [(name: String, bytes: [UInt8])] { Seeds.files() }

    private var tally = BrokerWorld.Tally()

    mutating func run(_ input: UnsafeBufferPointer<UInt8>) {
        tally = tally + BrokerProgram.run(Array(input))
    }

    var summary: String {
        "\(tally.steps) steps: \(tally.deliveriesChecked) deliveries checked against the ACL, "
            + "\(tally.acknowledgementsChecked) acknowledged messages accounted for; every invariant held"
    }
}

@main
enum BrokerFuzz {
    static func main() { FuzzMain.run(BrokerFuzzTarget.self) }
}
