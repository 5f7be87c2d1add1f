import DequeModule
import Foundation
import MQTTCore
import NIOCore

/// One client connection: turns decoded packets into broker calls and broker decisions into packets.
/// Lives on the broker's event loop, like everything it touches.
final class BrokerConnection: ChannelInboundHandler {
    typealias InboundIn = MQTTPacket
    typealias OutboundOut = ByteBuffer

    enum State {
        case awaitingConnect
        case connected(BrokerSession)
        case closed
    }

    /// A client that opens a socket and says nothing is closed after this long.
    static let connectTimeout = TimeAmount.seconds(10)
    /// A client that reads nothing of what we send for this long is closed: its unsent bytes stay
    /// bounded by the write buffer meanwhile (we stop reading it), but it would hold them forever.
    static let outputStallLimit = TimeAmount.seconds(60)

    let broker: Broker
    let listener: ListenerContext
    var state = State.awaitingConnect
    var version = MQTTVersion.v3_1_1
    var clientID = "<unknown>"
    private(set) var remoteAddress = "unknown"
    private var context: ChannelHandlerContext?
    private var closing = false
    /// Everything encoded for the client since the last flush, handed to the channel as one buffer when the
    /// event ends. One buffer per flush instead of one per packet: a flood of PINGREQs once left a million
    /// 2-byte PINGRESP buffers waiting (each an allocation and a queue node), so the write buffer's bound in
    /// bytes did not bound memory; now what waits costs what it weighs.
    private var outbox: ByteBuffer?
    /// Past this many encoded-but-unflushed bytes QoS 0 messages are dropped, as for a full write buffer.
    private static let outboxLimit = 1 << 20
    private var readPauses: ReadPauses = []
    private var outputStallTimer: Scheduled<Void>?

    // What the client allows us (v5 CONNECT properties, or our defaults).
    /// Outgoing QoS 1/2 messages the client accepts at once (its receive maximum).
    var sendQuota = 65_535
    var clientMaximumPacketSize = Int.max
    var clientTopicAliasMaximum: UInt16 = 0
    private var outgoingAliases: [String: UInt16] = [:]

    // What we allow the client.
    /// Our receive maximum: incoming QoS 1/2 not yet acknowledged (v5 overrun is DISCONNECT 0x93).
    var receiveMaximum = 65_535
    var incomingUnacknowledged = 0
    /// Acks held back until their messages are safe (see `HeldAck`), in the order they must leave.
    var heldAcks: Deque<HeldAck> = []
    private var incomingAliases: [UInt16: String] = [:]

    /// Published when the connection ends without a normal DISCONNECT.
    var will: Will?
    var sessionExpiryAtConnect: UInt32 = 0
    var keepAlive: TimeAmount?
    private var lastPacketAt = NIODeadline.now()
    private var timer: Scheduled<Void>?

    init(broker: Broker, listener: ListenerContext) {
        self.broker = broker
        self.listener = listener
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if let address = context.channel.remoteAddress {
            remoteAddress = "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        }
        if context.channel.isActive { connectionOpened(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        connectionOpened(context: context)
        context.fireChannelActive()
    }

    private func connectionOpened(context: ChannelHandlerContext) {
        guard timer == nil else { return }
        broker.logConnection("New connection from \(remoteAddress) on port \(listener.port).")
        timer = context.eventLoop.scheduleTask(in: Self.connectTimeout) { [weak self] in
            guard let self, case .awaitingConnect = self.state else { return }
            self.close(reason: nil, log: "Client \(self.remoteAddress) sent no CONNECT within \(Self.connectTimeout.nanoseconds / 1_000_000_000) s, disconnecting.")
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let packet = unwrapInboundIn(data)
        broker.statistics.messagesReceived += 1
        if keepAlive != nil { lastPacketAt = context.eventLoop.now }
        switch state {
        case .awaitingConnect:
            guard case .connect(let connect) = packet else {
                close(reason: .protocolError, log: "Client \(remoteAddress) sent \(packet.type) before CONNECT, disconnecting.")
                return
            }
            timer?.cancel()
            timer = nil
            broker.connect(self, connect)
        case .connected(let session):
            handle(packet, in: session)
        case .closed:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        broker.flushDirty()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            resumeReading(.outputFull)
            sendWhatWaits()
        } else {
            pauseReading(.outputFull)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        outputStallTimer?.cancel()
        broker.dropHeldAcks(of: self)
        broker.connectionClosed(self)
        broker.flushDirty()
        self.context = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let decodeError = error as? MQTTDecodeError {
            broker.statistics.malformedPackets += 1
            if case .awaitingConnect = state, case .unsupportedProtocolVersion(let level) = decodeError {
                // A client speaking a version we do not: answer in 3.1.1 terms, as mosquitto does.
                write(.connAck(ConnAckPacket(reasonCode: ReasonCode(rawValue: 1))))
                close(reason: nil, log: "Client \(remoteAddress) asked for unsupported protocol level \(level), disconnecting.")
                return
            }
            close(reason: decodeError.reasonCode, log: "Client \(clientID) (\(remoteAddress)) sent a malformed packet: \(decodeError), disconnecting.")
        } else if !closing {
            close(reason: nil, log: "Socket error on client \(clientID), disconnecting: \(error).")
        }
    }

    // MARK: Packets after CONNECT

    private func handle(_ packet: MQTTPacket, in session: BrokerSession) {
        switch packet {
        case .connect:
            close(reason: .protocolError, log: "Client \(clientID) sent a second CONNECT, disconnecting.")
        case .publish(let publish):
            handlePublish(publish, in: session)
        case .pubAck(let ack):
            guard answers(ack, ofQoS: .atLeastOnce, with: packet.type, in: session) else { return }
            broker.acknowledged(ack.packetID, in: session)
        case .pubRec(let ack):
            guard answers(ack, ofQoS: .exactlyOnce, with: packet.type, in: session) else { return }
            broker.publishReceived(ack, in: session, over: self)
        case .pubRel(let ack):
            broker.releaseArrived(ack.packetID, in: session, over: self)
        case .pubComp(let ack):
            guard answers(ack, ofQoS: .exactlyOnce, with: packet.type, in: session) else { return }
            broker.acknowledged(ack.packetID, in: session)
        case .subscribe(let subscribe):
            broker.subscribe(subscribe, in: session, over: self)
        case .unsubscribe(let unsubscribe):
            broker.unsubscribe(unsubscribe, in: session, over: self)
        case .pingReq:
            write(.pingResp)
        case .disconnect(let disconnect):
            handleDisconnect(disconnect, in: session)
        case .auth:
            // No authentication method was agreed at CONNECT, so AUTH is a Protocol Error (MQTT 5.0 4.12); 0x8C
            // "Bad authentication method" is a CONNACK code, one DISCONNECT may not carry (found by broker-fuzz).
            close(reason: .protocolError, log: "Client \(clientID) sent AUTH; extended authentication is not supported, disconnecting.")
        case .connAck, .subAck, .unsubAck, .pingResp:
            // The decoder refuses packets only a server sends; kept for exhaustiveness.
            close(reason: .protocolError, log: "Client \(clientID) sent \(packet.type), disconnecting.")
        }
    }

    /// PUBACK answers only a QoS 1 message, PUBREC and PUBCOMP only a QoS 2 one (MQTT 4.3); a client
    /// that mixes them up is closed, as mosquitto closes it. An id with nothing in flight is ignored.
    private func answers(_ ack: AckPacket, ofQoS expected: QoS, with type: MQTTPacketType, in session: BrokerSession) -> Bool {
        guard let qos = session.inflight[ack.packetID]?.qos, qos != expected else { return true }
        close(reason: .protocolError, log: "Client \(clientID) answered a QoS \(qos.rawValue) message with \(type), disconnecting.")
        return false
    }

    private func handleDisconnect(_ disconnect: DisconnectPacket, in session: BrokerSession) {
        if let expiry = disconnect.properties.sessionExpiryInterval {
            // MQTT 5.0 3.14.2.2.2: a session that was to end with the connection cannot be extended now.
            if sessionExpiryAtConnect == 0 && expiry != 0 {
                close(reason: .protocolError, log: "Client \(clientID) set a session expiry in DISCONNECT after connecting with none, disconnecting.")
                return
            }
            broker.updateSessionExpiry(session, to: expiry)
        }
        if disconnect.reasonCode != .disconnectWithWill { will = nil }
        broker.logConnection("Client \(clientID) disconnected.")
        closing = true
        context?.close(promise: nil)
    }

    private func handlePublish(_ publish: PublishPacket, in session: BrokerSession) {
        var topic = publish.topic
        if version == .v5, let alias = publish.properties.topicAlias {
            guard alias > 0, alias <= listener.topicAliasMaximum else {
                close(reason: .topicAliasInvalid, log: "Client \(clientID) used topic alias \(alias) above the maximum \(listener.topicAliasMaximum), disconnecting.")
                return
            }
            if topic.isEmpty {
                guard let known = incomingAliases[alias] else {
                    close(reason: .protocolError, log: "Client \(clientID) used topic alias \(alias) before setting it, disconnecting.")
                    return
                }
                topic = known
            } else {
                incomingAliases[alias] = topic
            }
        } else if topic.isEmpty {
            close(reason: .protocolError, log: "Client \(clientID) sent PUBLISH with an empty topic, disconnecting.")
            return
        }
        topic = listener.mounted(topic)
        if publish.qos > listener.maximumQoS {
            close(reason: .qosNotSupported, log: "Client \(clientID) sent QoS \(publish.qos.rawValue) above the maximum \(listener.maximumQoS.rawValue), disconnecting.")
            return
        }
        if publish.retain && !broker.configuration.retainAvailable {
            close(reason: .retainNotSupported, log: "Client \(clientID) sent a retained message but retain is not available, disconnecting.")
            return
        }
        if publish.qos != .atMostOnce {
            if version == .v5 && incomingUnacknowledged >= receiveMaximum {
                close(reason: .receiveMaximumExceeded, log: "Client \(clientID) exceeded the receive maximum of \(receiveMaximum), disconnecting.")
                return
            }
            incomingUnacknowledged += 1
        }
        broker.publish(publish, topic: topic, in: session, over: self)
    }

    // MARK: Sending

    /// QoS 0 messages are dropped rather than buffered once the socket's write buffer is full.
    var isAcceptingQoS0: Bool {
        guard let context, context.channel.isWritable else { return false }
        return (outbox?.readableBytes ?? 0) < Self.outboxLimit
    }

    var isOpen: Bool { context != nil && !closing }

    func write(_ packet: MQTTPacket) {
        do {
            _ = try encode { try packet.write(into: &$0, version: version) }
        } catch {
            broker.log.log(.error, "Cannot encode \(packet.type) for client \(clientID): \(error).")
        }
    }

    /// Encodes one packet at the end of the outbox; `keep` sees its size and may refuse it (it is then taken
    /// back out). Returns the size of a kept packet, nil when there is no connection or `keep` said no.
    private func encode(_ body: (inout ByteBuffer) throws -> Void, keep: (Int) -> Bool = { _ in true }) throws -> Int? {
        guard let context else { return nil }
        if outbox == nil {
            outbox = context.channel.allocator.buffer(capacity: 256)
            broker.markDirty(self)
        }
        let start = outbox!.writerIndex
        do {
            try body(&outbox!)
        } catch {
            outbox!.moveWriterIndex(to: start)
            throw error
        }
        let size = outbox!.writerIndex - start
        guard keep(size) else {
            outbox!.moveWriterIndex(to: start)
            return nil
        }
        broker.statistics.bytesSent &+= UInt64(size)
        broker.statistics.messagesSent += 1
        return size
    }

    /// One incoming QoS 1/2 message was acknowledged (or released).
    func incomingAcknowledged() {
        incomingUnacknowledged -= 1
    }

    /// A v5 client keeps to the receive maximum we sent it (an overrun is DISCONNECT 0x93); a 3.1.1 client
    /// has none, so while as many of its acks wait for the store as that window allows, it is not read.
    /// (Not QoS 2 ids awaiting PUBREL: we could then never read the PUBREL that frees them.)
    func heldAcksChanged() {
        guard version != .v5 else { return }
        if heldAcks.count >= receiveMaximum {
            pauseReading(.incomingWindow)
        } else {
            resumeReading(.incomingWindow)
        }
    }

    /// Hands the outbox to the channel and flushes. Writability drops as soon as the buffered bytes pass the
    /// high-water mark: from then on the client is not read until it has taken some of them.
    func flushNow() {
        guard let context else { return }
        var outboxWasFull = false
        if let outbox {
            self.outbox = nil
            outboxWasFull = outbox.readableBytes >= Self.outboxLimit
            context.write(wrapOutboundOut(outbox), promise: nil)
        }
        context.flush()
        if !context.channel.isWritable {
            pauseReading(.outputFull)
        } else if outboxWasFull {
            // Messages were held back for the full outbox, but the socket took it all: no writability
            // event will come to send them, so go on as one would, in an event of its own.
            context.eventLoop.assumeIsolated().execute { [self] in sendWhatWaits() }
        }
    }

    /// The client can take more: move its queued messages into the window and flush (as after writability).
    private func sendWhatWaits() {
        guard case .connected(let session) = state, session.connection === self else { return }
        broker.pump(session)
        broker.flushDirty()
    }

    /// Sends one message as this client receives it: its version's properties, the remaining expiry,
    /// subscription identifiers and an outgoing topic alias, encoded once. A packet over the client's
    /// maximum packet size is dropped, as MQTT 5.0 3.1.2.11.4 says (and, for QoS 1/2, treated as delivered).
    func sendPublish(_ outgoing: OutgoingMessage, duplicate: Bool = false) {
        guard context != nil else { return }
        let message = outgoing.message
        var properties = Properties()
        if version == .v5 {
            properties = message.properties
            if let expiresAt = message.expiresAt {
                let remaining = max(1, Int(expiresAt.timeIntervalSince(broker.wallClock()).rounded(.up)))
                properties = Properties(properties.filter { $0.identifier != .messageExpiryInterval })
                properties.append(.messageExpiryInterval(UInt32(clamping: remaining)))
            }
            for identifier in outgoing.subscriptionIdentifiers { properties.append(.subscriptionIdentifier(identifier)) }
        }
        // The first message on a topic sets an alias, later ones send only the alias. A new alias is
        // remembered only once its packet is known to go out.
        var topic = listener.unmounted(message.topic)
        var newAlias: UInt16?
        if version == .v5 && clientTopicAliasMaximum > 0 {
            if let alias = outgoingAliases[message.topic] {
                topic = ""
                properties.append(.topicAlias(alias))
            } else if outgoingAliases.count < Int(clientTopicAliasMaximum) {
                newAlias = UInt16(outgoingAliases.count + 1)
                properties.append(.topicAlias(newAlias!))
            }
        }
        let packet = PublishPacket(topic: topic, payload: message.payload, qos: message.qos, retain: message.retain,
                                   dup: duplicate, packetID: outgoing.packetID, properties: properties)
        var oversized: Int?
        do {
            let kept = try encode({ try MQTTPacket.publish(packet).write(into: &$0, version: version) }) { size in
                guard size > clientMaximumPacketSize else { return true }
                oversized = size
                return false
            }
            guard kept != nil else {
                if let oversized {
                    broker.log.log(.debug, "Dropped a \(oversized)-byte message for client \(clientID): above its maximum packet size \(clientMaximumPacketSize).")
                    broker.droppedOversized(outgoing, for: clientID)
                }
                return
            }
        } catch {
            broker.log.log(.error, "Cannot encode a message on \(message.topic) for client \(clientID): \(error).")
            return
        }
        if let newAlias { outgoingAliases[message.topic] = newAlias }
        broker.statistics.publishSent += 1
    }

    // MARK: Reading paused

    func pauseReading(_ reason: ReadPauses) {
        guard let context, !readPauses.contains(reason) else { return }
        let wasReading = readPauses.isEmpty
        readPauses.insert(reason)
        if reason == .outputFull {
            outputStallTimer = context.eventLoop.scheduleTask(in: Self.outputStallLimit) { [weak self] in
                guard let self, self.readPauses.contains(.outputFull) else { return }
                self.close(reason: nil, log: "Client \(self.clientID) (\(self.remoteAddress)) has read nothing for \(Self.outputStallLimit.nanoseconds / 1_000_000_000) s, disconnecting.")
            }
        }
        if wasReading { context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in } }
    }

    func resumeReading(_ reason: ReadPauses) {
        guard let context, readPauses.contains(reason) else { return }
        readPauses.remove(reason)
        if reason == .outputFull {
            outputStallTimer?.cancel()
            outputStallTimer = nil
        }
        guard readPauses.isEmpty, !closing else { return }
        // Silence while we were not reading is ours, not the client's.
        lastPacketAt = context.eventLoop.now
        context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        context.read()
    }

    // MARK: Closing

    /// Logs why, tells a v5 client with DISCONNECT when there is a reason code, then closes at once.
    ///
    /// What is flushed goes out if the socket takes it (the kernel delivers it after the close); the
    /// close never waits for a flush, which a peer that does not read, or never finishes its TLS
    /// handshake, would never allow (the TLS close_notify wait is bounded by the listener's
    /// `shutdownTimeout`).
    func close(reason: ReasonCode?, log message: String) {
        guard let context, !closing else { return }
        closing = true
        broker.log.log(.notice, message)
        if let reason, version == .v5, case .connected = state {
            write(.disconnect(DisconnectPacket(reasonCode: reason)))
        }
        flushNow()
        context.close(mode: .all, promise: nil)
    }

    /// Refuses a CONNECT with a CONNACK carrying `code`, then closes.
    func refuse(_ code: ReasonCode, log message: String) {
        write(.connAck(ConnAckPacket(reasonCode: code)))
        close(reason: nil, log: message)
    }

    /// A new connection took this client id over (MQTT 5.0 3.1.4-3).
    func takenOver() {
        close(reason: .sessionTakenOver, log: "Client \(clientID) already connected, closing old connection.")
        state = .closed
    }

    /// Broker shutdown: v5 clients hear "server shutting down".
    func shutDown() -> EventLoopFuture<Void> {
        guard let context else { return broker.eventLoop.makeSucceededVoidFuture() }
        close(reason: .serverShuttingDown, log: "Closing connection of client \(clientID): the broker is stopping.")
        return context.channel.closeFuture
    }

    // MARK: Keep alive

    /// Starts the 1.5 x keep-alive watchdog (MQTT 3.1.2.10); 0 disables it.
    func startKeepAlive(seconds: UInt16) {
        guard seconds > 0, let context else { return }
        let limit = TimeAmount.milliseconds(Int64(seconds) * 1_500)
        keepAlive = limit
        lastPacketAt = context.eventLoop.now
        scheduleKeepAliveCheck(at: lastPacketAt + limit, on: context.eventLoop)
    }

    private func scheduleKeepAliveCheck(at deadline: NIODeadline, on loop: any EventLoop) {
        timer = loop.scheduleTask(deadline: deadline) { [weak self] in
            guard let self, let limit = self.keepAlive, self.isOpen else { return }
            let due = self.lastPacketAt + limit
            // While we are not reading for reasons of ours, the client's packets wait unread: that silence is
            // not its fault. One that stopped reading what we send (output full) gets no such excuse.
            if due <= loop.now && self.readPauses.subtracting(.outputFull).isEmpty {
                self.close(reason: .keepAliveTimeout, log: "Client \(self.clientID) has exceeded timeout, disconnecting.")
                self.broker.flushDirty()
            } else {
                self.scheduleKeepAliveCheck(at: max(due, loop.now + .seconds(1)), on: loop)
            }
        }
    }
}
