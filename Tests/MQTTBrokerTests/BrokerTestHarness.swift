import Foundation
import MQTTCore
import NIOCore
import NIOConcurrencyHelpers
import NIOEmbedded
import XCTest

@testable import MQTTBroker

/// A broker on an embedded event loop with clients as embedded channels: packets go in as bytes and
/// come out as bytes, through the same decoder and connection handler a socket would use.
final class BrokerTestHarness {
    let loop = EmbeddedEventLoop()
    let broker: Broker
    let security: ListenerSecurity
    var logLines: [String] { lines.withLockedValue { $0 } }
    private let lines = NIOLockedValueBox<[String]>([])

    init(configuration: BrokerConfiguration = BrokerConfiguration(), security: ListenerSecurity? = nil, store: (any BrokerStore)? = nil,
         restoring state: StoredState = StoredState()) throws {
        let lines = self.lines
        let log = BrokerLog(observer: { _, line in lines.withLockedValue { $0.append(line) } })
        self.security = security ?? ListenerSecurity(settings: .init(allowAnonymous: true))
        // The broker's wall clock starts at a fixed date and moves with the event loop's time (`advance`).
        broker = Broker(configuration: configuration, eventLoop: loop, log: log, store: store,
                        startedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let started = broker.start(restoring: state, security: self.security)
        loop.run()
        try started.wait()
    }

    /// A connected channel that has not sent CONNECT yet.
    func open(listener: ListenerContext? = nil, maximumPacketSize: Int = 268_435_460) throws -> TestClient {
        let channel = EmbeddedChannel(loop: loop)
        let context = listener ?? ListenerContext(port: 1883, security: security)
        try channel.pipeline.syncOperations.addHandlers([
            ReadRequestCounter(),
            ByteToMessageHandler(MQTTPacketByteDecoder(decoder: PacketDecoder(version: .v3_1_1, direction: .clientToServer,
                                                                              maximumPacketSize: maximumPacketSize))),
            BrokerConnection(broker: broker, listener: context),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 50_000)).wait()
        return TestClient(channel: channel)
    }

    /// Opens a channel, sends CONNECT and returns it with the CONNACK.
    func connect(_ clientID: String, version: MQTTVersion = .v5, cleanStart: Bool = true, keepAlive: UInt16 = 0,
                 username: String? = nil, password: String? = nil, will: Will? = nil, properties: Properties = []) throws -> (TestClient, ConnAckPacket) {
        let client = try open()
        client.version = version
        try client.send(.connect(ConnectPacket(version: version, clientID: clientID, cleanStart: cleanStart, keepAlive: keepAlive,
                                               username: username, password: password.map { ByteBuffer(string: $0) },
                                               will: will, properties: properties)))
        guard case .connAck(let ack) = try client.receive() else { throw TestFailure("no CONNACK") }
        return (client, ack)
    }

    /// Moves the event loop's time on (and with it the broker's wall clock), running every timer that falls due.
    func advance(seconds: Int64) {
        loop.advanceTime(by: .seconds(seconds))
    }
}

/// SUBSCRIBE one filter and return the SUBACK.
func subscribe(_ client: TestClient, _ filter: String, qos: QoS = .atLeastOnce, id: UInt16 = 1,
                options: SubscriptionOptions? = nil, properties: Properties = []) throws -> SubAckPacket {
    let subscription = Subscription(filter: filter, options: options ?? SubscriptionOptions(qos: qos))
    try client.send(.subscribe(SubscribePacket(packetID: id, subscriptions: [subscription], properties: properties)))
    guard case .subAck(let ack) = try client.receive() else { throw TestFailure("no SUBACK") }
    return ack
}

/// PUBLISH one text message (packet id 1 unless given, for QoS 1/2).
func publish(_ client: TestClient, _ topic: String, _ text: String, qos: QoS = .atMostOnce, retain: Bool = false,
              id: UInt16? = nil, properties: Properties = []) throws {
    try client.send(.publish(PublishPacket(topic: topic, payload: ByteBuffer(string: text), qos: qos, retain: retain,
                                           packetID: qos == .atMostOnce ? nil : (id ?? 1), properties: properties)))
}


struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One client's end of an embedded connection.
final class TestClient {
    let channel: EmbeddedChannel
    var version = MQTTVersion.v5
    private var decoder = PacketDecoder(version: .v5, direction: .serverToClient)
    private var pending = ByteBuffer()

    init(channel: EmbeddedChannel) { self.channel = channel }

    func send(_ packet: MQTTPacket) throws {
        var buffer = channel.allocator.buffer(capacity: 64)
        try packet.write(into: &buffer, version: version)
        try sendBytes(buffer)
    }

    func sendBytes(_ buffer: ByteBuffer) throws {
        try channel.writeInbound(buffer)
        channel.pipeline.fireChannelReadComplete()
        channel.embeddedEventLoop.run()
    }

    /// Every packet the broker has sent so far.
    func receiveAll() throws -> [MQTTPacket] {
        while let chunk = try channel.readOutbound(as: ByteBuffer.self) {
            var chunk = chunk
            pending.writeBuffer(&chunk)
        }
        decoder.version = version
        var packets: [MQTTPacket] = []
        while let packet = try decoder.next(from: &pending) { packets.append(packet) }
        pending.discardReadBytes()
        return packets
    }

    private var backlog: [MQTTPacket] = []

    func receive() throws -> MQTTPacket {
        if backlog.isEmpty { backlog = try receiveAll() }
        guard !backlog.isEmpty else { throw TestFailure("the broker sent nothing") }
        return backlog.removeFirst()
    }

    func publishes() throws -> [PublishPacket] {
        let all = backlog + (try receiveAll())
        backlog = []
        return all.compactMap { if case .publish(let p) = $0 { p } else { nil } }
    }

    var isClosed: Bool { !channel.isActive }

    /// Whether the broker has stopped reading this connection: the last autoRead it set is false, or it holds back
    /// the channel's request to read (asked here, as the channel does after each read).
    var isReadPaused: Bool {
        if autoReadSwitchedOff { return true }
        let before = readsRequested
        channel.read()
        return readsRequested == before
    }

    /// The last autoRead the broker set is false.
    var autoReadSwitchedOff: Bool {
        let autoRead = channel.options.last { $0.option is ChannelOptions.Types.AutoReadOption }
        return (autoRead?.value as? Bool) == false
    }

    /// Requests to read that reached the socket's end of the pipeline.
    var readsRequested: Int {
        (try? channel.pipeline.syncOperations.handler(type: ReadRequestCounter.self).count) ?? 0
    }

    /// Makes the connection unwritable or writable again, as a socket whose buffer passed its high-water mark.
    func setWritable(_ writable: Bool) {
        channel.isWritable = writable
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.run()
    }

    /// The socket goes away without DISCONNECT.
    func drop() {
        channel.close(promise: nil)
        channel.embeddedEventLoop.run()
    }
}

/// First in a test connection's pipeline: counts the requests to read that get through to the socket.
final class ReadRequestCounter: ChannelOutboundHandler {
    typealias OutboundIn = Any
    private(set) var count = 0

    func read(context: ChannelHandlerContext) {
        count += 1
        context.read()
    }
}
