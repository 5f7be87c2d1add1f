import Foundation
import MQTTBroker
import MQTTCore
import NIOCore
import NIOEmbedded

/// A broker on an embedded event loop with four client slots, driven one step at a time. After every
/// step it reads what each socket received and checks the invariants; a violation is a precondition
/// failure, which libFuzzer records as a crash.
final class BrokerWorld {
    let loop = EmbeddedEventLoop()
    let broker: Broker
    let configuration: BrokerConfiguration
    let security = Vocabulary.security()
    let store: CommitOnDemandStore?
    let maximumPacketSize: Int
    private(set) var slots: [[FuzzLink]] = Vocabulary.clientIDs.map { _ in [] }
    /// Payloads each client id has received, over all its sockets.
    private var received: [String: Set<String>] = [:]
    private var nextTag = 0
    private var nextSubscribeID: UInt16 = 1
    /// What the checks saw, so a replay can show they are not vacuous.
    private(set) var tally = Tally()

    struct Tally {
        var steps = 0
        var deliveriesChecked = 0
        var acknowledgementsChecked = 0

        static func + (a: Tally, b: Tally) -> Tally {
            Tally(steps: a.steps + b.steps, deliveriesChecked: a.deliveriesChecked + b.deliveriesChecked,
                  acknowledgementsChecked: a.acknowledgementsChecked + b.acknowledgementsChecked)
        }
    }

    /// The first input byte picks the configuration: store or none, QoS 0 queueing, a small maximum
    /// packet size, a byte limit on queues.
    init(setup: UInt8) {
        var configuration = BrokerConfiguration()
        configuration.maxQueuedMessages = 5
        configuration.maxInflightMessages = 3
        configuration.maxQueuedBytes = setup & 0x08 != 0 ? 40 : 0
        configuration.queueQoS0Messages = setup & 0x02 != 0
        // $SYS goes out on the core's clock, the loop's time, which the steps move: every run is the same.
        configuration.sysInterval = 10
        self.configuration = configuration
        maximumPacketSize = setup & 0x04 != 0 ? 128 : 268_435_460
        store = setup & 0x01 != 0 ? CommitOnDemandStore() : nil
        // Every log line is formatted (the escaping is code under test) and thrown away.
        broker = Broker(configuration: configuration, eventLoop: loop, log: BrokerLog(observer: { _, _ in }), store: store,
                        startedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let started = broker.start(security: security)
        loop.run()
        try! started.wait()
    }

    /// Closes everything, so the broker, its timers and the channels are freed before the next input.
    func finish() {
        let stopped = broker.shutdown()
        loop.run()
        try? stopped.wait()
        for link in slots.joined() { _ = try? link.channel.finish() }
        loop.run()
        try? loop.syncShutdownGracefully()
    }

    // MARK: Steps

    func step(_ input: inout FuzzInput) {
        let opcode = input.byte()
        tally.steps += 1
        let slot = Int(opcode & 0x03)
        let before = broker.snapshot()
        var published: (link: FuzzLink, packetID: UInt16, topic: String, qos: QoS, tag: String)?
        switch (opcode >> 2) % 16 {
        case 0: connect(slot, &input)
        case 1: published = publish(slot, &input)
        case 2: subscribe(slot, &input)
        case 3: unsubscribe(slot, &input)
        case 4: acknowledge(slot, &input) { .pubAck(AckPacket(packetID: $0)) }
        case 5: acknowledge(slot, &input) { .pubRec(AckPacket(packetID: $0)) }
        case 6: acknowledge(slot, &input) { .pubRel(AckPacket(packetID: $0)) }
        case 7: acknowledge(slot, &input) { .pubComp(AckPacket(packetID: $0)) }
        case 8:
            let count = Int(input.byte() % 24)
            current(slot)?.sendRawBytes(ByteBuffer(bytes: input.bytes(count)))
        case 9: disconnect(slot, &input)
        case 10:
            current(slot)?.channel.close(promise: nil)
        case 11:
            if let channel = current(slot)?.channel, channel.isActive {
                channel.isWritable.toggle()
                channel.pipeline.fireChannelWritabilityChanged()
            }
        case 12: loop.advanceTime(by: .seconds(Int64(input.byte() % 40)))
        case 13: current(slot)?.send(.pingReq)
        case 14: store?.commit()
        default: acknowledgeEverything(slot)
        }
        loop.run()
        receiveAll()
        let after = broker.snapshot()
        checkBounds(after)
        if let published, !published.link.sentRawBytes {
            let tracked = account(published.topic, qos: published.qos, packetID: published.packetID, tag: published.tag,
                                  from: published.link, slot: slot, before: before, after: after)
            published.link.awaitingAck[published.packetID, default: []].append(tracked)
        }
        checkAcknowledgements()
    }

    private func current(_ slot: Int) -> FuzzLink? { slots[slot].last }

    private func connect(_ slot: Int, _ input: inout FuzzInput) {
        let flags = input.byte()
        let extra = input.byte()
        let version: MQTTVersion = flags & 0x01 != 0 ? .v5 : .v3_1_1
        let username = Vocabulary.usernames[Int(flags >> 2) & 0x03]
        let keepAlive: [UInt16] = [0, 1, 2, 10]
        var properties = Properties()
        if version == .v5 {
            if flags & 0x40 != 0 { properties.append(.sessionExpiryInterval(extra & 0x40 != 0 ? 30 : UInt32.max)) }
            if extra & 0x80 == 0 { properties.append(.receiveMaximum(UInt16(extra % 4) + 1)) }
        }
        let will = flags & 0x80 == 0 ? nil : Will(
            topic: Vocabulary.topics[Int(extra >> 2) % Vocabulary.topics.count], payload: ByteBuffer(string: takeTag(prefix: "w")),
            qos: .atLeastOnce, retain: extra & 0x02 != 0)
        let channel = EmbeddedChannel(loop: loop)
        try! channel.pipeline.syncOperations.addHandlers(
            broker.connectionHandlers(listener: ListenerContext(port: 1883, security: security), maximumPacketSize: maximumPacketSize))
        try! channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 50_000 + slot)).wait()
        let link = FuzzLink(channel: channel, version: version, username: username)
        slots[slot].append(link)
        link.send(.connect(ConnectPacket(version: version, clientID: Vocabulary.clientIDs[slot], cleanStart: flags & 0x02 != 0,
                                         keepAlive: keepAlive[Int(flags >> 4) & 0x03], username: username, will: will,
                                         properties: properties)))
    }

    private func publish(_ slot: Int, _ input: inout FuzzInput)
        -> (link: FuzzLink, packetID: UInt16, topic: String, qos: QoS, tag: String)? {
        let choice = input.byte()
        let packetID = UInt16(input.byte() % 8) + 1
        guard let link = current(slot) else { return nil }
        let topic = Vocabulary.topics[Int(choice & 0x0F)]
        let qos = QoS(rawValue: min((choice >> 4) & 0x03, 2))!
        let empty = choice & 0x80 != 0
        let tag = empty ? "" : takeTag(prefix: "m")
        link.send(.publish(PublishPacket(topic: topic, payload: ByteBuffer(string: tag), qos: qos, retain: choice & 0x40 != 0,
                                         packetID: qos == .atMostOnce ? nil : packetID)))
        return qos == .atMostOnce || empty ? nil : (link, packetID, topic, qos, tag)
    }

    private func subscribe(_ slot: Int, _ input: inout FuzzInput) {
        let filter = Vocabulary.filters[Int(input.byte() & 0x0F)]
        let bits = input.byte()
        guard let link = current(slot) else { return }
        let qos = QoS(rawValue: min(bits & 0x03, 2))!
        let options = link.version == .v5
            ? SubscriptionOptions(qos: qos, noLocal: bits & 0x04 != 0 && !filter.hasPrefix("$share/"), retainAsPublished: bits & 0x08 != 0,
                                  retainHandling: RetainHandling(rawValue: (bits >> 4) % 3)!)
            : SubscriptionOptions(qos: qos)
        link.send(.subscribe(SubscribePacket(packetID: takeSubscribeID(), subscriptions: [Subscription(filter: filter, options: options)])))
    }

    private func unsubscribe(_ slot: Int, _ input: inout FuzzInput) {
        let filter = Vocabulary.filters[Int(input.byte() & 0x0F)]
        current(slot)?.send(.unsubscribe(UnsubscribePacket(packetID: takeSubscribeID(), filters: [filter])))
    }

    /// Acknowledges one of the ids the broker used recently (or a made-up one when there is none).
    private func acknowledge(_ slot: Int, _ input: inout FuzzInput, _ make: (UInt16) -> MQTTPacket) {
        let choice = input.byte()
        guard let link = current(slot) else { return }
        let id = link.recentIDs.isEmpty ? UInt16(choice % 8) + 1 : link.recentIDs[Int(choice) % link.recentIDs.count]
        link.send(make(id))
    }

    private func acknowledgeEverything(_ slot: Int) {
        guard let link = current(slot) else { return }
        let owed = link.owedAcks
        link.owedAcks = []
        for packet in owed { link.send(packet) }
    }

    private func disconnect(_ slot: Int, _ input: inout FuzzInput) {
        let choice = input.byte()
        guard let link = current(slot) else { return }
        var packet = DisconnectPacket()
        if link.version == .v5 {
            if choice & 0x01 != 0 { packet.reasonCode = .disconnectWithWill }
            if choice & 0x02 != 0 { packet.properties.append(.sessionExpiryInterval(0)) }
        }
        link.send(.disconnect(packet))
    }

    private func takeTag(prefix: String) -> String {
        nextTag += 1
        return "\(prefix)\(nextTag)"
    }

    private func takeSubscribeID() -> UInt16 {
        defer { nextSubscribeID = nextSubscribeID % 60_000 + 1 }
        return nextSubscribeID
    }

    // MARK: What the clients received

    private func receiveAll() {
        for slot in slots.indices {
            let clientID = Vocabulary.clientIDs[slot]
            for link in slots[slot] {
                for packet in link.receive() { observe(packet, on: link, clientID: clientID) }
            }
            // A closed socket whose output is read has nothing more to say.
            let current = slots[slot].last
            slots[slot].removeAll { !$0.channel.isActive && $0 !== current }
        }
    }

    private func observe(_ packet: MQTTPacket, on link: FuzzLink, clientID: String) {
        switch packet {
        case .connAck(let ack):
            link.accepted = ack.reasonCode == .success
        case .publish(let publish):
            precondition(link.accepted, "\(clientID) got a PUBLISH on \(publish.topic) before a successful CONNACK")
            let payload = String(buffer: publish.payload)
            precondition(security.canRead(clientID: clientID, username: link.username, topic: publish.topic),
                         "\(clientID) (user \(link.username ?? "-")) got a PUBLISH on \(publish.topic), which the ACL does not let it read")
            received[clientID, default: []].insert(payload)
            tally.deliveriesChecked += 1
            if let id = publish.packetID {
                link.remember(id)
                link.owedAcks.append(publish.qos == .atLeastOnce ? .pubAck(AckPacket(packetID: id)) : .pubRec(AckPacket(packetID: id)))
            }
        case .pubRel(let ack):
            link.remember(ack.packetID)
            link.owedAcks.append(.pubComp(AckPacket(packetID: ack.packetID)))
        case .pubAck(let ack):
            link.acknowledgedThisStep.append((ack.packetID, ack.reasonCode.rawValue < 0x80))
        case .pubRec(let ack):
            link.acknowledgedThisStep.append((ack.packetID, ack.reasonCode.rawValue < 0x80))
            if ack.reasonCode.rawValue < 0x80 { link.owedAcks.append(.pubRel(AckPacket(packetID: ack.packetID))) }
        default:
            break
        }
    }

    // MARK: Invariants

    /// Memory per client stays within the configured limits, and the counters agree with what they count.
    private func checkBounds(_ snapshot: BrokerSnapshot) {
        var heldAcks = 0
        for session in snapshot.sessions.values {
            let id = session.clientID
            if configuration.maxQueuedMessages > 0 {
                precondition(session.queued.count <= configuration.maxQueuedMessages,
                             "\(id) has \(session.queued.count) queued messages, above max_queued_messages \(configuration.maxQueuedMessages)")
            }
            let bytes = session.queued.reduce(0) { $0 + $1.payload.readableBytes }
            precondition(session.queuedBytes == bytes, "\(id) counts \(session.queuedBytes) queued bytes, holds \(bytes)")
            if configuration.maxQueuedBytes > 0 {
                precondition(bytes <= configuration.maxQueuedBytes, "\(id) queues \(bytes) bytes, above max_queued_bytes")
            }
            precondition(session.inflight.count <= configuration.maxInflightMessages,
                         "\(id) has \(session.inflight.count) messages in flight, above max_inflight_messages")
            // A 3.1.1 client is not read once its held acks fill the window, but the packets of the read burst
            // already in hand are still handled, so its count may pass the window by that much: v5 only here.
            guard let connection = session.connection else { continue }
            heldAcks += connection.heldAcks
            guard connection.version == .v5 else { continue }
            precondition(connection.heldAcks <= connection.receiveMaximum,
                         "\(id) has \(connection.heldAcks) held acks, above its receive window \(connection.receiveMaximum)")
            precondition(connection.incomingUnacknowledged <= connection.receiveMaximum,
                         "\(id) has \(connection.incomingUnacknowledged) unacknowledged incoming messages, window \(connection.receiveMaximum)")
            // Found by this target: PUBREL for a QoS 2 id received on the session's previous connection freed a
            // slot of the new one, whose count went below zero and widened its window.
            precondition(connection.incomingUnacknowledged >= 0, "\(id) has \(connection.incomingUnacknowledged) unacknowledged messages")
        }
        precondition(heldAcks > 0 || snapshot.deliveryWaiters == 0,
                     "\(snapshot.deliveryWaiters) delivery waiters left with no held ack")
    }

    /// Decides, in the step that published it, whether a QoS 1/2 message reached every session it was due to:
    /// delivered, queued or in flight there, or counted as a drop.
    private func account(_ topic: String, qos: QoS, packetID: UInt16, tag: String, from link: FuzzLink, slot: Int,
                         before: BrokerSnapshot, after: BrokerSnapshot) -> TrackedPublish {
        let publisher = Vocabulary.clientIDs[slot]
        guard link.accepted, before.sessions[publisher]?.connection != nil,
              security.canPublish(clientID: publisher, username: link.username, topic: topic),
              // A QoS 2 id still awaiting PUBREL is a resend of the same message, not a new one.
              !(qos == .exactlyOnce && before.sessions[publisher]?.awaitingRelease.contains(packetID) == true)
        else { return TrackedPublish(accounted: true, detail: "not routed") }
        var missing: [String] = []
        for session in before.sessions.values.sorted(by: { $0.clientID < $1.clientID }) {
            let matching = session.subscriptions.filter {
                !$0.filter.hasPrefix("$share/") && Topic.matches(filter: $0.filter, topic: topic)
                    && !($0.options.noLocal && session.clientID == publisher)
            }
            guard let granted = matching.map(\.options.qos).max(), min(granted, qos) != .atMostOnce,
                  security.canRead(clientID: session.clientID, username: session.username, topic: topic) else { continue }
            guard let now = after.sessions[session.clientID] else { continue }
            let kept = (now.queued + now.inflight).contains { String(buffer: $0.payload) == tag }
            if !kept && !(received[session.clientID]?.contains(tag) ?? false) { missing.append(session.clientID) }
        }
        let drops = after.publishDropped - before.publishDropped
        return TrackedPublish(accounted: UInt64(missing.count) <= drops,
                              detail: "\(tag) on \(topic) QoS \(qos.rawValue) from \(publisher): not delivered, kept or counted for \(missing) (\(drops) drops)")
    }

    /// Every acknowledged message must have been accounted for.
    private func checkAcknowledgements() {
        for link in slots.joined() {
            for (id, success) in link.acknowledgedThisStep {
                // A refused message (v5 reason code 0x80 and above) was never the broker's to deliver.
                guard let tracked = link.awaitingAck[id]?.first else { continue }
                link.awaitingAck[id]?.removeFirst()
                if success {
                    precondition(tracked.accounted, "acknowledged but lost: \(tracked.detail)")
                    tally.acknowledgementsChecked += 1
                }
            }
            link.acknowledgedThisStep = []
        }
    }
}
