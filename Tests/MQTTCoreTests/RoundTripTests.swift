import MQTTCore
import NIOCore
import XCTest

/// encode -> decode gives back the same packet, for every packet type in both versions.
final class RoundTripTests: XCTestCase {
    func testEveryPacketTypeRoundTripsInBothVersions() throws {
        for version in [MQTTVersion.v3_1_1, .v5] {
            var typesSeen: Set<MQTTPacketType> = []
            for packet in SamplePackets.all(version) {
                typesSeen.insert(packet.type)
                let bytes = encode(packet, version: version)
                XCTAssertEqual(packet.encodedSize(version: version), bytes.readableBytes, "\(packet.type)")
                for direction in directions(for: packet) {
                    let decoded = try decodeOne(bytes, version: version, direction: direction)
                    XCTAssertEqual(decoded, packet, "\(packet.type) in \(version), \(direction)")
                }
            }
            // AUTH does not exist in 3.1.1; every other type must be covered.
            let expected = version == .v5 ? 15 : 14
            XCTAssertEqual(typesSeen.count, expected, "packet types covered in \(version)")
        }
    }

    func testEveryPropertyRoundTripsInEveryContextTheSpecAllows() throws {
        var covered: Set<PropertyIdentifier> = []
        for (identifier, contexts) in PropertySpecTable.allowed {
            for context in contexts {
                let packet = PropertySpecTable.packet(in: context, carrying: [PropertySpecTable.sample(identifier)])
                let bytes = encode(packet, version: .v5)
                let decoded = try decodeOne(bytes, version: .v5, direction: .any)
                XCTAssertEqual(decoded, packet, "\(identifier) in \(context)")
                covered.insert(identifier)
            }
        }
        XCTAssertEqual(covered.count, 27, "every v5 property identifier")
    }

    func testPropertiesOutsideTheirContextsAreRefused() {
        for (identifier, allowed) in PropertySpecTable.allowed {
            for context in PropertySpecTable.contexts where !allowed.contains(context) {
                let packet = PropertySpecTable.packet(in: context, carrying: [PropertySpecTable.sample(identifier)])
                assertDecodeError(Array(buffer: encode(packet, version: .v5)), .propertyNotAllowed(identifier, context))
            }
        }
    }

    func testRepeatedSubscriptionIdentifiersArePublishOnly() throws {
        let repeated: Properties = [.subscriptionIdentifier(1), .subscriptionIdentifier(2)]
        let publish = PropertySpecTable.packet(in: .publish, carrying: repeated)
        XCTAssertEqual(try decodeOne(encode(publish, version: .v5), version: .v5, direction: .serverToClient), publish)
        let subscribe = PropertySpecTable.packet(in: .subscribe, carrying: repeated)
        assertDecodeError(Array(buffer: encode(subscribe, version: .v5)), .duplicateProperty(.subscriptionIdentifier))
    }

    func testManyPacketsInOneBufferDecodeInOrder() throws {
        for version in [MQTTVersion.v3_1_1, .v5] {
            for direction in [PacketDirection.clientToServer, .serverToClient] {
                let packets = SamplePackets.all(version).filter { directions(for: $0).contains(direction) }
                var stream = ByteBuffer()
                for packet in packets { try packet.write(into: &stream, version: version) }
                var decoder = PacketDecoder(version: version, direction: direction)
                var decoded: [MQTTPacket] = []
                while let packet = try decoder.next(from: &stream) { decoded.append(packet) }
                XCTAssertEqual(decoded, packets, "\(version) \(direction)")
                XCTAssertEqual(stream.readableBytes, 0)
            }
        }
    }

    func testEveryStrictPrefixWaitsWithoutConsuming() throws {
        for version in [MQTTVersion.v3_1_1, .v5] {
            for packet in SamplePackets.all(version) {
                let bytes = encode(packet, version: version)
                for length in 0..<bytes.readableBytes {
                    var prefix = bytes.getSlice(at: bytes.readerIndex, length: length)!
                    var decoder = PacketDecoder(version: version, direction: .any)
                    XCTAssertNil(try decoder.next(from: &prefix), "\(packet.type) cut at \(length)")
                    XCTAssertEqual(prefix.readableBytes, length, "nothing consumed")
                }
            }
        }
    }

    func testDecodedPayloadIsASliceOfTheInput() throws {
        let payload = ByteBuffer(repeating: 0xAB, count: 4096)
        let bytes = encode(.publish(PublishPacket(topic: "t", payload: payload)), version: .v5)
        guard case .publish(let decoded) = try decodeOne(bytes, version: .v5, direction: .any) else {
            return XCTFail("not a PUBLISH")
        }
        let inputRange = bytes.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!)..<UInt(bitPattern: $0.baseAddress! + $0.count) }
        let payloadStart = decoded.payload.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) }
        XCTAssertTrue(inputRange.contains(payloadStart), "payload points into the received buffer")
        XCTAssertEqual(decoded.payload, payload)
    }

    func testAuthCannotBeEncodedFor311() {
        var buffer = ByteBuffer()
        XCTAssertThrowsError(try MQTTPacket.auth(AuthPacket()).write(into: &buffer, version: .v3_1_1)) { error in
            XCTAssertEqual(error as? MQTTEncodeError, .notInVersion(.auth, .v3_1_1))
        }
        XCTAssertEqual(buffer.readableBytes, 0)
    }

    func testConnectSwitchesTheDecoderToItsVersion() throws {
        var stream = ByteBuffer()
        try MQTTPacket.connect(ConnectPacket(version: .v5, clientID: "c")).write(into: &stream, version: .v5)
        let publish = MQTTPacket.publish(PublishPacket(topic: "t", payload: ByteBuffer(), properties: [.userProperty("a", "b")]))
        try publish.write(into: &stream, version: .v5)
        var decoder = PacketDecoder(version: .v3_1_1, direction: .clientToServer)
        _ = try decoder.next(from: &stream)
        XCTAssertEqual(decoder.version, .v5)
        XCTAssertEqual(try decoder.next(from: &stream), publish)
    }
}

/// Spec 2.2.2.2 written out again, so the codec's own table is checked against the spec and not against itself.
enum PropertySpecTable {
    static let contexts: [PropertyContext] = [
        .connect, .will, .connAck, .publish, .pubAck, .pubRec, .pubRel, .pubComp, .subscribe, .subAck, .unsubscribe,
        .unsubAck, .disconnect, .auth,
    ]

    static let allowed: [PropertyIdentifier: [PropertyContext]] = [
        .payloadFormatIndicator: [.publish, .will],
        .messageExpiryInterval: [.publish, .will],
        .contentType: [.publish, .will],
        .responseTopic: [.publish, .will],
        .correlationData: [.publish, .will],
        .subscriptionIdentifier: [.publish, .subscribe],
        .sessionExpiryInterval: [.connect, .connAck, .disconnect],
        .assignedClientIdentifier: [.connAck],
        .serverKeepAlive: [.connAck],
        .authenticationMethod: [.connect, .connAck, .auth],
        .authenticationData: [.connect, .connAck, .auth],
        .requestProblemInformation: [.connect],
        .willDelayInterval: [.will],
        .requestResponseInformation: [.connect],
        .responseInformation: [.connAck],
        .serverReference: [.connAck, .disconnect],
        .reasonString: [.connAck, .pubAck, .pubRec, .pubRel, .pubComp, .subAck, .unsubAck, .disconnect, .auth],
        .receiveMaximum: [.connect, .connAck],
        .topicAliasMaximum: [.connect, .connAck],
        .topicAlias: [.publish],
        .maximumQoS: [.connAck],
        .retainAvailable: [.connAck],
        .userProperty: contexts,
        .maximumPacketSize: [.connect, .connAck],
        .wildcardSubscriptionAvailable: [.connAck],
        .subscriptionIdentifierAvailable: [.connAck],
        .sharedSubscriptionAvailable: [.connAck],
    ]

    static func sample(_ identifier: PropertyIdentifier) -> Property {
        switch identifier {
        case .payloadFormatIndicator: .payloadFormatIndicator(1)
        case .messageExpiryInterval: .messageExpiryInterval(10)
        case .contentType: .contentType("application/json")
        case .responseTopic: .responseTopic("reply/here")
        case .correlationData: .correlationData(Bytes.buffer([1, 2, 3]))
        case .subscriptionIdentifier: .subscriptionIdentifier(200_000)
        case .sessionExpiryInterval: .sessionExpiryInterval(300)
        case .assignedClientIdentifier: .assignedClientIdentifier("assigned")
        case .serverKeepAlive: .serverKeepAlive(20)
        case .authenticationMethod: .authenticationMethod("PLAIN")
        case .authenticationData: .authenticationData(Bytes.buffer("data"))
        case .requestProblemInformation: .requestProblemInformation(1)
        case .willDelayInterval: .willDelayInterval(5)
        case .requestResponseInformation: .requestResponseInformation(1)
        case .responseInformation: .responseInformation("info")
        case .serverReference: .serverReference("elsewhere")
        case .reasonString: .reasonString("because")
        case .receiveMaximum: .receiveMaximum(1)
        case .topicAliasMaximum: .topicAliasMaximum(0)
        case .topicAlias: .topicAlias(65_535)
        case .maximumQoS: .maximumQoS(0)
        case .retainAvailable: .retainAvailable(1)
        case .userProperty: .userProperty("ключ", "значение")
        case .maximumPacketSize: .maximumPacketSize(UInt32.max)
        case .wildcardSubscriptionAvailable: .wildcardSubscriptionAvailable(0)
        case .subscriptionIdentifierAvailable: .subscriptionIdentifierAvailable(1)
        case .sharedSubscriptionAvailable: .sharedSubscriptionAvailable(0)
        }
    }

    /// A minimal valid v5 packet whose property list (or will properties) is `properties`.
    static func packet(in context: PropertyContext, carrying properties: Properties) -> MQTTPacket {
        switch context {
        case .connect: .connect(ConnectPacket(version: .v5, clientID: "c", properties: properties))
        case .will:
            .connect(ConnectPacket(version: .v5, clientID: "c", will: Will(topic: "w", payload: ByteBuffer(), properties: properties)))
        case .connAck: .connAck(ConnAckPacket(properties: properties))
        case .publish:
            .publish(PublishPacket(topic: "t", payload: Bytes.buffer("p"), qos: .atLeastOnce, packetID: 1, properties: properties))
        case .pubAck: .pubAck(AckPacket(packetID: 1, properties: properties))
        case .pubRec: .pubRec(AckPacket(packetID: 1, properties: properties))
        case .pubRel: .pubRel(AckPacket(packetID: 1, properties: properties))
        case .pubComp: .pubComp(AckPacket(packetID: 1, properties: properties))
        case .subscribe: .subscribe(SubscribePacket(packetID: 1, subscriptions: [Subscription(filter: "t")], properties: properties))
        case .subAck: .subAck(SubAckPacket(packetID: 1, reasonCodes: [.success], properties: properties))
        case .unsubscribe: .unsubscribe(UnsubscribePacket(packetID: 1, filters: ["t"], properties: properties))
        case .unsubAck: .unsubAck(UnsubAckPacket(packetID: 1, reasonCodes: [.success], properties: properties))
        case .disconnect: .disconnect(DisconnectPacket(properties: properties))
        case .auth: .auth(AuthPacket(reasonCode: .continueAuthentication, properties: properties))
        }
    }
}
