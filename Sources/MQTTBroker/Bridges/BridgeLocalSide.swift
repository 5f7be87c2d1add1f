import DequeModule
import MQTTCore
import NIOCore

/// A bridge's connection into the local core, with no socket: the core's bytes for it are decoded here and
/// handed to the link, and what the link sends in goes to the core as packets from this connection. It
/// exists while the remote is connected; its session (persistent unless `local_cleansession`) queues
/// what `out` topics match meanwhile, in the store when persistence is on.
final class BridgeLocalSide: BrokerEndpoint {
    private unowned let link: BridgeLink
    private let broker: Broker
    private(set) var id: ConnectionID?
    private var decoder = PacketDecoder(version: .v5, direction: .serverToClient)
    private var pending = ByteBuffer()
    /// Incoming messages (from the remote) the core has not acknowledged, by our packet id.
    private var packetIDs = PacketIDAllocator()
    private var inFlight = 0
    /// The core's receive maximum for us (CONNACK); past it, remote messages wait here.
    private var window = 65_535
    private var waiting: Deque<PublishPacket> = []
    /// QoS 2 messages of the core acknowledged without the remote (not ours to carry, too large): their PUBREL
    /// is answered here instead of going on to the remote.
    private var finishedHere: Set<UInt16> = []
    /// Past this many waiting messages from the remote, more are dropped (and counted).
    static let waitingLimit = 10_000
    private(set) var isClosed = false

    init(link: BridgeLink, broker: Broker) {
        self.link = link
        self.broker = broker
    }

    /// Opens the connection and sends CONNECT and the `out` subscriptions.
    func open(listener: ListenerContext, connect: ConnectPacket, subscribe: SubscribePacket?) {
        let id = broker.opened(self, listener: listener, remoteAddress: "bridge \(link.configuration.name)")
        self.id = id
        broker.handle(.packet(id, .connect(connect)))
        if let subscribe { broker.handle(.packet(id, .subscribe(subscribe))) }
        broker.finish()
    }

    /// Ends the connection from our side (the remote went away).
    func close() {
        guard !isClosed, let id else { return }
        isClosed = true
        broker.closed(id)
    }

    /// A message from the remote, into the core as a PUBLISH from this connection (QoS 1/2 within the
    /// core's receive maximum; the rest wait, bounded).
    func publish(_ message: PublishPacket) {
        guard !isClosed else { return }
        if message.qos == .atMostOnce {
            deliver(message)
        } else if inFlight < window && waiting.isEmpty {
            deliver(message)
        } else if waiting.count < Self.waitingLimit {
            waiting.append(message)
        } else {
            link.droppedIncoming(message, reason: "\(Self.waitingLimit) messages from the remote already wait for the local broker")
        }
    }

    /// Acknowledges a message the core sent us that never goes to the remote.
    func acknowledgeHere(_ outgoing: PublishPacket) {
        if outgoing.qos == .exactlyOnce, let packetID = outgoing.packetID { finishedHere.insert(packetID) }
        acknowledge(outgoing)
    }

    /// Acknowledges a message the core sent us: the remote has it (PUBACK, or for QoS 2 its PUBREC).
    func acknowledge(_ outgoing: PublishPacket) {
        guard let id, !isClosed, let packetID = outgoing.packetID else { return }
        let ack = AckPacket(packetID: packetID)
        broker.handle(.packet(id, outgoing.qos == .exactlyOnce ? .pubRec(ack) : .pubAck(ack)))
        // The remote acknowledges in bursts: answer the whole burst in one go (the next messages for it).
        broker.finishSoon()
    }

    private func deliver(_ message: PublishPacket) {
        guard let id else { return }
        var message = message
        if message.qos != .atMostOnce {
            guard let packetID = packetIDs.next() else {
                waiting.prepend(message)
                return
            }
            message.packetID = packetID
            inFlight += 1
        }
        broker.handle(.packet(id, .publish(message)))
        broker.finishSoon()
    }

    private func sendWaiting() {
        while inFlight < window, let next = waiting.first {
            waiting.removeFirst()
            deliver(next)
        }
    }

    // MARK: BrokerEndpoint: what the core sends us

    func send(_ bytes: ByteBuffer) -> EndpointSendOutcome {
        guard !isClosed else { return .gone }
        var bytes = bytes
        pending.writeBuffer(&bytes)
        link.batchingRemoteWrites {
            do {
                while let packet = try decoder.next(from: &pending) { received(packet) }
            } catch {
                link.log(.error, "Bridge \(link.configuration.name): cannot read what the local broker sent: \(error).")
            }
        }
        pending.discardReadBytes()
        return .writable
    }

    private func received(_ packet: MQTTPacket) {
        guard let id else { return }
        switch packet {
        case .connAck(let ack):
            if let maximum = ack.properties.receiveMaximum { window = Int(maximum) }
            if ack.reasonCode.isFailure { link.localRefused(ack.reasonCode) }
        case .subAck(let ack):
            link.localSubscribed(ack)
        case .publish(let message):
            link.forward(message)
        case .pubRel(let ack):
            // QoS 2 towards the remote: the core has stored that the remote has the message (our PUBREC); the
            // remote is released in turn, and its PUBCOMP completes the exchange here.
            if finishedHere.remove(ack.packetID) != nil {
                completeRelease(ack.packetID)
            } else {
                link.release(ack.packetID)
            }
        case .pubRec(let ack):
            broker.handle(.packet(id, .pubRel(AckPacket(packetID: ack.packetID))))
        case .pubAck(let ack), .pubComp(let ack):
            // One of the remote's messages is the core's now.
            if packetIDs.release(ack.packetID) { inFlight -= 1 }
            sendWaiting()
        case .disconnect(let disconnect):
            link.log(.notice, "Bridge \(link.configuration.name): the local broker ended the bridge's session (\(disconnect.reasonCode)).")
        default:
            break
        }
    }

    /// The remote completed a QoS 2 message (PUBCOMP): so does the core.
    func completeRelease(_ packetID: UInt16) {
        guard let id, !isClosed else { return }
        broker.handle(.packet(id, .pubComp(AckPacket(packetID: packetID))))
        broker.finishSoon()
    }

    /// The core closed us (a protocol error, a takeover of the client id, shutdown).
    func closeNow() {
        guard !isClosed, let id else { return }
        isClosed = true
        // Not from inside the action being carried out: the broker learns it in an event of its own.
        broker.eventLoop.assumeIsolated().execute { [broker] in broker.closed(id) }
        link.localClosed()
    }

    func setReading(_ reading: Bool) {
        // Nothing to pause: remote messages already wait in `waiting` while the core's window is full.
    }

    var closeFuture: EventLoopFuture<Void> { broker.eventLoop.makeSucceededVoidFuture() }
}
