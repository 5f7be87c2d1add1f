import MQTTCore
import NIOCore
import NIOEmbedded
import XCTest

@testable import MQTTBench

/// A bench publisher's QoS 1 window on an embedded channel: packet ids from `PacketIDAllocator`,
/// each in flight once, and an ack only frees the id it names.
final class BenchConnectionTests: XCTestCase {
    func testTheWindowHandsOutIdsRoundRobinAndADuplicateAckFreesNothing() throws {
        let loop = EmbeddedEventLoop()
        let recorder = BenchRecorder()
        let plan = BenchClientPlan(role: .publisher(index: 0, topic: "bench/0"), clientID: "pub-0", qos: .atLeastOnce, inflight: 3)
        let handler = BenchConnection(
            plan: plan, connect: ConnectPacket(version: .v3_1_1, clientID: "pub-0"), recorder: recorder,
            startedAt: BenchClock.nanoseconds(), ready: loop.makePromise(), finished: loop.makePromise())
        let channel = EmbeddedChannel(handler: handler, loop: loop)
        defer { _ = try? channel.finish() }
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1883)).wait()
        guard case .connect? = try channel.readOutbound(as: MQTTPacket.self) else { return XCTFail("no CONNECT") }
        try channel.writeInbound(MQTTPacket.connAck(ConnAckPacket()))
        channel.pipeline.fireUserInboundEventTriggered(BenchControl.startPublishing(at: BenchClock.nanoseconds()))

        func sentIDs() throws -> [UInt16?] {
            var ids: [UInt16?] = []
            while let packet = try channel.readOutbound(as: MQTTPacket.self) {
                if case .publish(let message) = packet { ids.append(message.packetID) }
            }
            return ids
        }
        XCTAssertEqual(try sentIDs(), [1, 2, 3], "the window is full")

        try channel.writeInbound(MQTTPacket.pubAck(AckPacket(packetID: 1)))
        XCTAssertEqual(try sentIDs(), [4], "the freed slot is refilled with the next id, not the one just acked")

        try channel.writeInbound(MQTTPacket.pubAck(AckPacket(packetID: 1)))
        try channel.writeInbound(MQTTPacket.pubAck(AckPacket(packetID: 99)))
        XCTAssertEqual(try sentIDs(), [], "acks for ids not in flight free nothing")
        XCTAssertEqual(recorder.current.acked, 1)

        try channel.writeInbound(MQTTPacket.pubAck(AckPacket(packetID: 3)))
        XCTAssertEqual(try sentIDs(), [5])
        XCTAssertEqual(recorder.current.acked, 2)
    }
}
