import MQTTCore

/// One message of the demo: what `DemoSimulator` publishes.
struct DemoMessage: Equatable, Sendable {
    var topic: String
    var payload: [UInt8]
    var retain = false
}

/// The simulated house behind `mqdash --demo`: readings that drift in gentle random walks, each
/// formatted the way real devices send them (a bare number, a number with a unit, JSON, binary).
/// Pure and seedable, so tests see the same readings every run.
struct DemoReadings: Sendable {
    static let statusTopic = "demo/status"
    static let readmeTopic = "demo/README"
    static let readme = "Simulated readings from mqdash --demo: the topics livingroom/# and kitchen/# "
        + "are made up by the demo simulator (client id mqdash-demo), not measured by real sensors."

    /// Retained at start: the README and the status (the will sets it to "offline").
    static var announcements: [DemoMessage] {
        [DemoMessage(topic: readmeTopic, payload: Array(readme.utf8), retain: true),
         DemoMessage(topic: statusTopic, payload: Array("online".utf8), retain: true)]
    }

    static var goodbye: DemoMessage { DemoMessage(topic: statusTopic, payload: Array("offline".utf8), retain: true) }

    private var random: SeededRandom
    private var livingroomTemp = 21.4
    private var humidity = 45.0
    private var kitchenTemp = 21.5
    private var fridgeTemp = 4.1
    private var fridgeDoorOpen = false
    private var step = 0

    /// Without a seed, every run drifts differently.
    init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        random = SeededRandom(seed: seed)
    }

    /// The next reading, in a fixed round over the sensors; the camera thumbnail comes every 20th.
    mutating func next() -> DemoMessage {
        defer { step += 1 }
        if step % 20 == 19 { return thumbnail() }
        switch step % 4 {
        case 0:
            livingroomTemp = walk(livingroomTemp, by: 0.15, in: 18...26)
            return DemoMessage(topic: "livingroom/temp", payload: Array(Self.decimal(livingroomTemp).utf8), retain: true)
        case 1:
            humidity = walk(humidity, by: 0.8, in: 30...70)
            return DemoMessage(topic: "livingroom/humidity", payload: Array(String(Int(humidity.rounded())).utf8), retain: true)
        case 2:
            kitchenTemp = walk(kitchenTemp, by: 0.2, in: 17...28)
            return DemoMessage(topic: "kitchen/temp", payload: Array((Self.decimal(kitchenTemp) + " °C").utf8), retain: true)
        default:
            // The door stays open for a reading or two now and then, and the fridge warms while it is.
            fridgeDoorOpen = fridgeDoorOpen ? Double.random(in: 0..<1, using: &random) < 0.5
                                            : Double.random(in: 0..<1, using: &random) < 0.05
            fridgeTemp = walk(fridgeTemp + (fridgeDoorOpen ? 0.3 : -0.05), by: 0.05, in: 2...9)
            let json = "{\"temp\":\(Self.decimal(fridgeTemp)),\"door\":\"\(fridgeDoorOpen ? "open" : "closed")\"}"
            return DemoMessage(topic: "kitchen/fridge", payload: Array(json.utf8))
        }
    }

    /// A few bytes that look like the start of a PNG, with a NUL and an ESC in them: the dashboard
    /// must show them as hex, never write them to the terminal.
    private mutating func thumbnail() -> DemoMessage {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x1B]
        for _ in 0..<14 { bytes.append(UInt8.random(in: 0...255, using: &random)) }
        return DemoMessage(topic: "kitchen/camera/thumbnail", payload: bytes)
    }

    private mutating func walk(_ value: Double, by step: Double, in range: ClosedRange<Double>) -> Double {
        min(range.upperBound, max(range.lowerBound, value + Double.random(in: -step...step, using: &random)))
    }

    /// One decimal, as sensors print it ("21.4").
    static func decimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return sign + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
