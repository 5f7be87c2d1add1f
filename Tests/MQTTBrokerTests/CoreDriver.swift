import Foundation
import MQTTCore
import NIOCore
import XCTest

@testable import MQTTBroker

/// Drives a `BrokerCore` directly, with no NIO at all: events in on a manual clock, actions out, the bytes
/// of each `send` decoded back into packets per connection. Time moves only with `advance`, in the
/// runtime's tick steps, so every timer of the core is tested without sleeping.
final class CoreDriver {
    let clock = ManualClock()
    let core: BrokerCore<ManualClock>
    /// What connections opened from now on are checked with.
    var security = ListenerSecurity(settings: .init(allowAnonymous: true))
    private(set) var closed: Set<ConnectionID> = []
    private(set) var readingPaused: Set<ConnectionID> = []
    private(set) var logLines: [String] = []
    private(set) var storeChanges: [StoreChange] = []
    /// Every byte sent to each connection, in order, for tests of the exact wire form.
    private(set) var sentBytes: [ConnectionID: [UInt8]] = [:]
    var commitsAwaited: [CommitToken] = []
    /// The awaited commits that some held ack needs (not only ones its subscribers will likely make unneeded).
    var urgentCommitsAwaited: [CommitToken] = []
    private var inbox: [ConnectionID: [MQTTPacket]] = [:]
    private var versions: [ConnectionID: MQTTVersion] = [:]
    private var nextID = 0

    init(configuration: BrokerConfiguration = BrokerConfiguration(), persistent: Bool = false) {
        core = BrokerCore(configuration: configuration, isPersistent: persistent,
                          logTypes: Set(BrokerLog.LogType.allCases), startedAt: Date(timeIntervalSince1970: 1_800_000_000))
        event(.tick)
    }

    /// Hands one event in at the clock's time and carries out what comes back, as `Broker` does.
    func event(_ event: BrokerEvent) {
        core.handle(event, now: clock.now)
        core.finishEvent()
        for action in core.takeActions() {
            switch action {
            case .send(let id, var bytes):
                sentBytes[id, default: []] += bytes.readableBytesView
                var decoder = PacketDecoder(version: versions[id] ?? .v5, direction: .serverToClient)
                while let packet = try! decoder.next(from: &bytes) { inbox[id, default: []].append(packet) }
                XCTAssertEqual(bytes.readableBytes, 0, "a send carries whole packets")
            case .close(let id): closed.insert(id)
            case .pauseReading(let id): readingPaused.insert(id)
            case .resumeReading(let id): readingPaused.remove(id)
            case .recordStoreChanges(let changes): storeChanges += changes
            case .awaitCommit(let token, let urgent):
                commitsAwaited.append(token)
                if urgent { urgentCommitsAwaited.append(token) }
            case .log(_, let line): logLines.append(line)
            }
        }
    }

    /// Moves time on in steps of the runtime's tick (250 ms), ticking the core at each.
    func advance(by duration: Duration) {
        let step = Duration.milliseconds(250)
        var left = duration
        while left > .zero {
            let next = min(step, left)
            clock.advance(by: next)
            left -= next
            event(.tick)
        }
    }

    func open() -> ConnectionID {
        let id = ConnectionID(nextID)
        nextID += 1
        event(.opened(id, listener: ListenerContext(port: 1883, security: security), remoteAddress: "127.0.0.1:\(50_000 + id.rawValue)"))
        return id
    }

    func send(_ packet: MQTTPacket, from id: ConnectionID) {
        event(.packet(id, packet))
    }

    /// Opens a connection and sends CONNECT; fails unless a successful CONNACK comes back.
    func connect(_ clientID: String, version: MQTTVersion = .v5, cleanStart: Bool = true, keepAlive: UInt16 = 0,
                 username: String? = nil, password: String? = nil, will: Will? = nil, properties: Properties = []) -> ConnectionID {
        let id = open()
        versions[id] = version
        send(.connect(ConnectPacket(version: version, clientID: clientID, cleanStart: cleanStart, keepAlive: keepAlive,
                                    username: username, password: password.map { ByteBuffer(string: $0) },
                                    will: will, properties: properties)), from: id)
        // Only the CONNACK is taken: what a resumed session is sent after it stays for the test to read.
        guard case .connAck(let ack)? = inbox[id]?.first, ack.reasonCode == .success else {
            XCTFail("\(clientID) was not accepted")
            return id
        }
        inbox[id]?.removeFirst()
        return id
    }

    func subscribe(_ id: ConnectionID, _ filter: String, qos: QoS = .atLeastOnce) {
        send(.subscribe(SubscribePacket(packetID: 1, subscriptions: [Subscription(filter: filter, options: SubscriptionOptions(qos: qos))])), from: id)
        guard case .subAck? = packets(for: id).first else { return XCTFail("no SUBACK") }
    }

    func publish(_ id: ConnectionID, _ topic: String, _ text: String, qos: QoS = .atMostOnce, retain: Bool = false,
                 packetID: UInt16 = 1, properties: Properties = []) {
        send(.publish(PublishPacket(topic: topic, payload: ByteBuffer(string: text), qos: qos, retain: retain,
                                    packetID: qos == .atMostOnce ? nil : packetID, properties: properties)), from: id)
    }

    /// The packets sent to `id` since the last call.
    func packets(for id: ConnectionID) -> [MQTTPacket] {
        defer { inbox[id] = nil }
        return inbox[id] ?? []
    }

    /// The payloads of the PUBLISH packets sent to `id` since the last call.
    func payloads(for id: ConnectionID) -> [String] {
        packets(for: id).compactMap { packet in
            guard case .publish(let publish) = packet else { return nil }
            return String(buffer: publish.payload)
        }
    }
}
