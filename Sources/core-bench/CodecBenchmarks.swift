import BenchSupport
import MQTTCore
import NIOCore

/// PUBLISH encode and decode at three payload sizes. Decoding slices the payload out of the
/// input buffer, so at the large sizes the cost is the encoder's copy into its output buffer.
enum CodecBenchmarks {
    static let topic = "home/livingroom/temperature"

    static func publish(payloadSize: Int) -> MQTTPacket {
        .publish(PublishPacket(
            topic: topic, payload: ByteBuffer(repeating: 0x42, count: payloadSize), qos: .atLeastOnce, packetID: 1))
    }

    /// Iterations per round, so each round takes a fraction of a second whatever the size.
    static func iterations(payloadSize: Int) -> Int {
        switch payloadSize {
        case ..<100: 2_000_000
        case ..<10_000: 1_000_000
        default: 50_000
        }
    }

    /// Every codec row, or only those whose name contains `filter` (handy under a profiler).
    static func all(matching filter: String? = nil) -> [BenchResult] {
        let rows: [(name: String, run: () -> BenchResult)] = [
            ("16 B encode+decode", { encodeDecode(payloadSize: 16, label: "16 B") }),
            ("1 KB encode+decode", { encodeDecode(payloadSize: 1_024, label: "1 KB") }),
            ("64 KB encode+decode", { encodeDecode(payloadSize: 65_536, label: "64 KB") }),
            ("16 B encode only", { encodeOnly(payloadSize: 16) }),
            ("16 B decode only", { decodeOnly(payloadSize: 16) }),
        ]
        return rows.filter { filter == nil || $0.name.contains(filter!) }.map { $0.run() }
    }

    /// Encode into a reused buffer, then decode from it: one packet's full trip through the codec.
    static func encodeDecode(payloadSize: Int, label: String) -> BenchResult {
        let packet = publish(payloadSize: payloadSize)
        let count = iterations(payloadSize: payloadSize)
        var buffer = ByteBufferAllocator().buffer(capacity: payloadSize + 64)
        var decoder = PacketDecoder(version: .v5, direction: .clientToServer)
        return measure("PUBLISH v5 QoS 1 \(label) encode+decode", unit: "packets", operations: count, payloadBytes: payloadSize) {
            var checksum = 0
            for _ in 0..<count {
                buffer.clear()
                try! packet.write(into: &buffer, version: .v5)
                guard case .publish(let decoded) = try! decoder.next(from: &buffer) else { fatalError("not a PUBLISH") }
                checksum &+= decoded.payload.readableBytes &+ Int(decoded.packetID ?? 0)
            }
            blackHole(checksum)
        }
    }

    static func encodeOnly(payloadSize: Int) -> BenchResult {
        let packet = publish(payloadSize: payloadSize)
        let count = iterations(payloadSize: payloadSize)
        var buffer = ByteBufferAllocator().buffer(capacity: payloadSize + 64)
        return measure("PUBLISH v5 QoS 1 16 B encode only", unit: "packets", operations: count, payloadBytes: payloadSize) {
            for _ in 0..<count {
                buffer.clear()
                try! packet.write(into: &buffer, version: .v5)
                blackHole(buffer.writerIndex)
            }
        }
    }

    static func decodeOnly(payloadSize: Int) -> BenchResult {
        var wire = ByteBuffer()
        try! publish(payloadSize: payloadSize).write(into: &wire, version: .v5)
        let count = iterations(payloadSize: payloadSize)
        var decoder = PacketDecoder(version: .v5, direction: .clientToServer)
        return measure("PUBLISH v5 QoS 1 16 B decode only", unit: "packets", operations: count, payloadBytes: payloadSize) {
            var checksum = 0
            for _ in 0..<count {
                var input = wire
                guard case .publish(let decoded) = try! decoder.next(from: &input) else { fatalError("not a PUBLISH") }
                checksum &+= decoded.payload.readableBytes
            }
            blackHole(checksum)
        }
    }
}
