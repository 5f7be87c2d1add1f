import MQTTCore
import NIOCore

/// One bench client: the last handler of a pipeline that already encodes and decodes MQTT packets.
/// It speaks just enough of the protocol to generate load (CONNECT, SUBSCRIBE, the QoS 1/2 flows,
/// PINGREQ) and counts into its loop's `BenchRecorder`. Everything runs on the channel's event loop.
final class BenchConnection: ChannelInboundHandler {
    typealias InboundIn = MQTTPacket
    typealias OutboundOut = MQTTPacket

    /// Messages written per turn of the event loop before it serves other channels again.
    private static let batchSize = 64
    private static let connAckTimeout = TimeAmount.seconds(10)

    private let plan: BenchClientPlan
    private let connectPacket: ConnectPacket
    private let recorder: BenchRecorder
    /// When `bench` started opening this connection, for the connect latency.
    private let startedAt: UInt64
    /// Succeeds once connected (and subscribed); fails with the reason otherwise.
    private let ready: EventLoopPromise<Void>
    /// Succeeds, with the number of messages sent, once a publisher has stopped and every message
    /// it sent is acknowledged, or the connection has ended.
    private let finished: EventLoopPromise<Int>

    private var context: ChannelHandlerContext?
    private var isReady = false
    private var closingOnPurpose = false
    private var pingTimer: Scheduled<Void>?

    // Publisher state.
    private var publishing = false
    private var publishStartedAt: UInt64 = 0
    private(set) var sentCount = 0
    /// The in-flight window: the plan's, lowered to the broker's v5 Receive Maximum.
    private var window = 0
    /// The QoS 1/2 messages in flight, by packet id.
    private var packetIDs = PacketIDAllocator()
    private var inflight: Int { packetIDs.inUseCount }
    private var tickPending = false
    private var pumpQueued = false
    private var pumpAfterRead = false

    // Subscriber state: per publisher, the sequence numbers seen.
    private var sequences: [UInt32: SequenceTracker] = [:]

    init(
        plan: BenchClientPlan, connect: ConnectPacket, recorder: BenchRecorder, startedAt: UInt64,
        ready: EventLoopPromise<Void>, finished: EventLoopPromise<Int>
    ) {
        self.plan = plan
        self.connectPacket = connect
        self.recorder = recorder
        self.startedAt = startedAt
        self.ready = ready
        self.finished = finished
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { sendConnect(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // A connection that closed before CONNACK still answers its waiters. One that never connected
        // is answered by the connect future's failure, whose reason (refused, timed out) is the useful one.
        if connectSent { ready.fail(BenchError.connection("the connection closed before it was ready")) }
        finished.succeed(sentCount)
        self.context = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let control = event as? BenchControl else { return context.fireUserInboundEventTriggered(event) }
        switch control {
        case .startPublishing(let start): startPublishing(at: start)
        case .stopPublishing: stopPublishing()
        case .close: close()
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        sendConnect(context: context)
        context.fireChannelActive()
    }

    private var connectSent = false
    private func sendConnect(context: ChannelHandlerContext) {
        guard !connectSent else { return }
        connectSent = true
        context.writeAndFlush(wrapOutboundOut(.connect(connectPacket)), promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.connAckTimeout) {
            guard !self.isReady, let context = self.context else { return }
            self.fail("no CONNACK within \(Self.connAckTimeout.nanoseconds / 1_000_000_000) s", context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .connAck(let connAck): connAckReceived(connAck, context: context)
        case .subAck(let subAck): subAckReceived(subAck, context: context)
        case .publish(let message): publishReceived(message, context: context)
        case .pubAck(let ack): completed(ack.packetID, accepted: !ack.reasonCode.isFailure)
        case .pubRec(let ack):
            if ack.reasonCode.isFailure {
                completed(ack.packetID, accepted: false)
            } else {
                context.write(wrapOutboundOut(.pubRel(AckPacket(packetID: ack.packetID))), promise: nil)
            }
        case .pubComp(let ack): completed(ack.packetID, accepted: true)
        case .pubRel(let ack): context.write(wrapOutboundOut(.pubComp(AckPacket(packetID: ack.packetID))), promise: nil)
        case .pingResp: break
        case .disconnect(let disconnect):
            fail("disconnected by the broker: \(disconnect.reasonCode.name)", context: context)
        default:
            fail("unexpected \(unwrapInboundIn(data).type) from the broker", context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Acks of a whole read go out in one flush, and the window they opened is refilled once.
        if pumpAfterRead {
            pumpAfterRead = false
            pump()
        }
        context.flush()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { pump() }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(ConnectErrorText.tlsReason(error) ?? "\(error)", context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pingTimer?.cancel()
        if !isReady {
            ready.fail(BenchError.connection("the broker closed the connection before it was ready"))
        } else if !closingOnPurpose {
            recorder.recordDrop("\(plan.clientID): the broker closed the connection")
        }
        publishing = false
        finished.succeed(sentCount)
        context.fireChannelInactive()
    }

    private func fail(_ reason: String, context: ChannelHandlerContext) {
        if !isReady {
            ready.fail(BenchError.connection(reason))
        } else if !closingOnPurpose {
            // channelInactive counts the drop; the reason is the better error line.
            recorder.noteError("\(plan.clientID): \(reason)")
        }
        context.close(promise: nil)
    }

    // MARK: - Connecting

    private func connAckReceived(_ connAck: ConnAckPacket, context: ChannelHandlerContext) {
        guard !connAck.reasonCode.isFailure, connAck.reasonCode.rawValue == 0 else {
            let reason = connectPacket.version == .v5
                ? "Connection Refused: \(connAck.reasonCode.name)" : connAck.reasonDescription(version: connectPacket.version)
            ready.fail(BenchError.connection(reason))
            context.writeAndFlush(wrapOutboundOut(.disconnect(DisconnectPacket())), promise: nil)
            context.close(promise: nil)
            return
        }
        let now = BenchClock.nanoseconds()
        recorder.current.connectLatency.recordMicroseconds(fromNanoseconds: now &- startedAt)
        recorder.current.lastConnectedAt = now
        recorder.current.connected += 1
        window = min(plan.inflight, Int(connAck.properties.receiveMaximum ?? UInt16.max))
        schedulePing(every: .seconds(Int64(connAck.properties.serverKeepAlive ?? connectPacket.keepAlive)))
        if case .subscriber(_, let filter) = plan.role {
            let subscription = Subscription(filter: filter, options: SubscriptionOptions(qos: plan.qos))
            context.writeAndFlush(wrapOutboundOut(.subscribe(SubscribePacket(packetID: 1, subscriptions: [subscription]))), promise: nil)
        } else {
            becomeReady()
        }
    }

    /// A PINGREQ every keep-alive period: subscribers and idle clients send nothing else.
    private func schedulePing(every period: TimeAmount) {
        guard let context, period > .zero else { return }
        pingTimer = context.eventLoop.assumeIsolated().scheduleTask(in: period) {
            guard let context = self.context, context.channel.isActive else { return }
            context.writeAndFlush(self.wrapOutboundOut(.pingReq), promise: nil)
            self.schedulePing(every: period)
        }
    }

    private func subAckReceived(_ subAck: SubAckPacket, context: ChannelHandlerContext) {
        if let code = subAck.reasonCodes.first, code.isFailure || code.rawValue == 0x80 {
            fail("the broker refused the subscription (\(code.name))", context: context)
            return
        }
        becomeReady()
    }

    private func becomeReady() {
        isReady = true
        ready.succeed()
    }

    // MARK: - Receiving

    private func publishReceived(_ message: PublishPacket, context: ChannelHandlerContext) {
        let now = BenchClock.nanoseconds()
        recorder.current.received += 1
        recorder.current.lastReceivedAt = now
        if let header = BenchPayloadHeader(reading: message.payload) {
            if header.sentAt <= now { recorder.current.latency.recordMicroseconds(fromNanoseconds: now - header.sentAt) }
            if !sequences[header.publisher, default: SequenceTracker()].insert(header.sequence) {
                recorder.current.duplicated += 1
            }
        }
        switch message.qos {
        case .atMostOnce: break
        case .atLeastOnce: context.write(wrapOutboundOut(.pubAck(AckPacket(packetID: message.packetID ?? 0))), promise: nil)
        case .exactlyOnce: context.write(wrapOutboundOut(.pubRec(AckPacket(packetID: message.packetID ?? 0))), promise: nil)
        }
    }

    // MARK: - Publishing

    /// Starts publishing; `at` is the common start time of all publishers.
    private func startPublishing(at start: UInt64) {
        guard case .publisher = plan.role, isReady, !publishing else { return }
        publishing = true
        publishStartedAt = start
        pump()
    }

    /// Stops sending; `finished` succeeds once the last acknowledgement is in.
    private func stopPublishing() {
        publishing = false
        if inflight == 0 { finished.succeed(sentCount) }
    }

    /// Closes after a DISCONNECT, so the broker publishes no will and logs a clean end.
    private func close() {
        guard let context, context.channel.isActive else { return }
        closingOnPurpose = true
        publishing = false
        context.writeAndFlush(wrapOutboundOut(.disconnect(DisconnectPacket())), promise: nil)
        context.close(promise: nil)
    }

    /// The end of a QoS 1/2 flow; a v5 failure code (quota exceeded, ...) frees the slot but is not an ack.
    private func completed(_ packetID: UInt16, accepted: Bool) {
        // An ack for an id not in flight (a duplicate, or a broker's mistake) counts for nothing.
        guard packetIDs.release(packetID) else { return }
        if accepted { recorder.current.acked += 1 }
        if !publishing && inflight == 0 { finished.succeed(sentCount) }
        pumpAfterRead = true
    }

    /// Sends what the rate, the count, the in-flight window and the socket allow, a batch at a time.
    private func pump() {
        guard publishing, let context, case .publisher(let index, let topic) = plan.role else { return }
        var allowed = Self.batchSize
        let now = BenchClock.nanoseconds()
        if let rate = plan.rate {
            let due = Int(Double(now &- publishStartedAt) / 1e9 * rate) + 1
            allowed = min(allowed, due - sentCount)
        }
        if let count = plan.count { allowed = min(allowed, count - sentCount) }
        if plan.qos != .atMostOnce { allowed = min(allowed, window - inflight) }
        var written = 0
        while written < allowed && context.channel.isWritable {
            var packet = PublishPacket(
                topic: topic,
                payload: BenchPayloadHeader(sentAt: BenchClock.nanoseconds(), publisher: UInt32(index), sequence: UInt64(sentCount))
                    .payload(size: plan.payloadSize, allocator: context.channel.allocator),
                qos: plan.qos)
            if plan.qos != .atMostOnce {
                // The window (at most 65 535) keeps a free id.
                guard let id = packetIDs.next() else { break }
                packet.packetID = id
            }
            context.write(wrapOutboundOut(.publish(packet)), promise: nil)
            sentCount += 1
            written += 1
        }
        if written > 0 {
            recorder.current.sent += UInt64(written)
            context.flush()
        }
        if let count = plan.count, sentCount >= count {
            stopPublishing()
            return
        }
        if written == Self.batchSize && context.channel.isWritable {
            // More may go at once: come back after the loop has served reads and other channels.
            guard !pumpQueued else { return }
            pumpQueued = true
            context.eventLoop.assumeIsolated().execute {
                self.pumpQueued = false
                self.pump()
            }
        } else if let rate = plan.rate, !tickPending, context.channel.isWritable {
            // Wait for the next message's turn, at least a millisecond: a high rate sends batches.
            let nextDue = publishStartedAt &+ UInt64(Double(sentCount) / rate * 1e9)
            let wait = max(Int64(nextDue) - Int64(BenchClock.nanoseconds()), 1_000_000)
            tickPending = true
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(wait)) {
                self.tickPending = false
                self.pump()
            }
        }
        // Otherwise an acknowledgement or the socket becoming writable calls pump again.
    }
}

/// What the runner tells a connection, as a user event through its pipeline.
enum BenchControl: Sendable {
    /// Start publishing; the time is the common start of all publishers (monotonic ns).
    case startPublishing(at: UInt64)
    case stopPublishing
    /// DISCONNECT, then close.
    case close
}
