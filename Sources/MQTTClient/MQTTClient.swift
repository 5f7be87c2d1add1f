import Logging
import MQTTCore
import NIOCore
import NIOPosix

/// An MQTT 3.1.1 / 5.0 client on SwiftNIO.
///
/// All mutable state lives on one event loop: public methods hop onto it, and the channel's
/// handlers call back on it. That is why the class is `@unchecked Sendable`: the loop, not a
/// lock, serialises access.
public final class MQTTClient: @unchecked Sendable {
    /// Where the connection stands.
    private enum ConnectionState {
        /// Never connected, or disconnected by the user.
        case idle
        /// TCP/TLS/WebSocket being set up.
        case connecting
        /// CONNECT sent, CONNACK outstanding.
        case awaitingConnAck(any Channel)
        /// Session up.
        case connected(any Channel)
        /// Waiting out the backoff before the next attempt.
        case waitingToReconnect(Scheduled<Void>)
        /// Closed for good; every call fails.
        case closed
    }

    public let configuration: MQTTClientConfiguration
    public let eventLoop: any EventLoop
    /// Every connection change, message and (when tracing) packet, in order.
    public let events: AsyncStream<MQTTClientEvent>
    private let eventSink: AsyncStream<MQTTClientEvent>.Continuation
    /// When set, messages go here, on the event loop, instead of into `events`.
    private let messageHandler: (@Sendable (PublishPacket) -> Void)?
    /// Bounds the messages waiting in `events` (see `messageConsumed`); nil: unbounded.
    private let backpressure: StreamBackpressure?
    private let logger: Logger

    private var state = ConnectionState.idle
    private var session = ClientSessionStateMachine()
    private var keepAlive: KeepAliveStateMachine<ContinuousClock>?
    private var keepAliveTimer: Scheduled<Void>?
    private var connAckTimer: Scheduled<Void>?
    private var hasConnectedBefore = false
    private var reconnectAttempt = 0
    private var userDisconnected = false
    /// Why the current connection is ending, decided before the channel reports inactive.
    private var closeReason: MQTTClientError?
    /// Broker limits from CONNACK.
    private var brokerMaximumPacketSize = Int.max
    /// Topic aliases the broker set up towards us (v5).
    private var incomingTopicAliases: [UInt16: String] = [:]
    /// Subscriptions to restore when a reconnect finds the session gone, in the order they were made.
    private var activeSubscriptions: [String: Subscription] = [:]
    private var subscriptionOrder: [String] = []

    private var connectPromise: EventLoopPromise<ConnAckPacket>?
    private var publishWaiters: [UInt16: PublishWaiter] = [:]
    /// Relayed messages whose packet id one of our own exchanges still holds, with every relay after them (in
    /// order): they go once it is free.
    private var relaysAwaitingTheirID: [(PublishPacket, PublishWaiter)] = []
    /// Inside `batchingWrites`: packets are written unflushed, and this channel is flushed at its end.
    private var writesHeld = 0
    private var channelToFlush: (any Channel)?
    private var subscribePromises: [UInt16: (SubscribePacket, EventLoopPromise<SubAckPacket>)] = [:]
    private var unsubscribePromises: [UInt16: (UnsubscribePacket, EventLoopPromise<UnsubAckPacket>)] = [:]
    private var disconnectPromise: EventLoopPromise<Void>?

    /// - Parameter messageHandler: receives every message on the client's event loop, in order, instead of
    ///   `events`: one call per message where the stream costs a task wake-up each, for consumers that keep
    ///   up with tens of thousands of messages a second (the dashboard). It must return quickly.
    public init(
        configuration: MQTTClientConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "mqdash.client"), messageHandler: (@Sendable (PublishPacket) -> Void)? = nil,
        maximumQueued: StreamBackpressure.Limits? = nil
    ) {
        self.messageHandler = messageHandler
        backpressure = maximumQueued.map(StreamBackpressure.init)
        self.configuration = configuration
        self.eventLoop = eventLoopGroup.next()
        self.logger = logger
        (events, eventSink) = AsyncStream.makeStream(of: MQTTClientEvent.self, bufferingPolicy: .unbounded)
    }

    // MARK: - Public API

    /// Connects and waits for CONNACK. A refusal, an unreachable host or a TLS failure throws
    /// even when reconnecting is enabled: the first connection has to work.
    public func connect() async throws -> ConnAckPacket {
        let promise = eventLoop.makePromise(of: ConnAckPacket.self)
        eventLoop.execute {
            guard case .idle = self.state, self.connectPromise == nil else {
                promise.fail(MQTTClientError.protocolViolation("connect called twice"))
                return
            }
            self.userDisconnected = false
            self.connectPromise = promise
            self.startConnection()
        }
        return try await promise.futureResult.get()
    }

    /// Publishes and waits for the end of its QoS flow. Messages given while reconnecting are
    /// sent once the session is back (QoS 1/2) or refused (QoS 0).
    public func publish(_ message: PublishPacket) async throws -> PublishResult {
        let promise = eventLoop.makePromise(of: PublishResult.self)
        eventLoop.execute { self.startPublish(message, waiter: .promise(promise)) }
        return try await promise.futureResult.get()
    }

    /// Starts a publish at once, on the client's event loop: the order of calls is the order on the wire, which
    /// `publish` from several tasks cannot promise. For forwarders such as a broker's bridge running on the
    /// same event loop. Call on `eventLoop`.
    public func publishInOrder(_ message: PublishPacket) -> EventLoopFuture<PublishResult> {
        eventLoop.preconditionInEventLoop()
        let promise = eventLoop.makePromise(of: PublishResult.self)
        startPublish(message, waiter: .promise(promise))
        return promise.futureResult
    }

    /// `publishInOrder` with a callback, run on `eventLoop` when the message's QoS flow ends or fails, instead of
    /// a future: no allocation and resolution of one per message. Call on `eventLoop`.
    public func publishInOrder(_ message: PublishPacket, whenDone: @escaping (Result<PublishResult, any Error>) -> Void) {
        eventLoop.preconditionInEventLoop()
        startPublish(message, waiter: .callback(whenDone))
    }

    /// The bytes of QoS 0 messages `publishInOrder(batch:)` puts into one write, at most (plus the last message).
    static let encodedRunLimit = 64 * 1024

    /// Starts `messages` in order in this event-loop turn with one flush, for a replayer handing over batches:
    /// `whenDone(index, result)` runs once for each, as `publishInOrder(_:whenDone:)`'s callback would. A run of
    /// QoS 0 messages is encoded into one buffer (up to `encodedRunLimit`) and written at once with one promise:
    /// the run is reported written (or failed) together. A message of the run that cannot be encoded fails alone (a single publish would close
    /// the connection). No future, closure or buffer per message. Call on `eventLoop`.
    public func publishInOrder(batch messages: [PublishPacket], whenDone: @escaping (Int, Result<PublishResult, any Error>) -> Void) {
        eventLoop.preconditionInEventLoop()
        var run: [Int] = []
        var encoded: ByteBuffer?
        var runChannel: (any Channel)?
        func endRun() {
            guard let channel = runChannel, let bytes = encoded else { return }
            let indices = run
            (run, encoded, runChannel) = ([], nil, nil)
            guard !indices.isEmpty else { return }
            let written = eventLoop.makePromise(of: Void.self)
            write(.encoded(bytes), on: channel, promise: written)
            let done = PublishResult(packetID: nil, reasonCode: .success)
            written.futureResult.assumeIsolated().whenComplete { result in
                for index in indices { whenDone(index, result.map { done }) }
            }
        }
        batchingWrites {
            for (index, message) in messages.enumerated() {
                guard message.qos == .atMostOnce, case .connected(let channel) = state, tooLargeForBroker(message) == nil else {
                    endRun()
                    startPublish(message, waiter: .batchMember(index, whenDone))
                    continue
                }
                var packet = message
                packet.packetID = nil
                if configuration.tracePackets { eventSink.yield(.packetSent(.publish(packet))) }
                if encoded == nil {
                    encoded = channel.allocator.buffer(capacity: 16 * 1024)
                    runChannel = channel
                }
                do throws(MQTTEncodeError) {
                    // Rolls back what it wrote of a packet that fails.
                    try MQTTPacket.publish(packet).write(into: &encoded!, version: configuration.version)
                    run.append(index)
                } catch {
                    whenDone(index, .failure(error))
                }
                // Bounded, so that one write (a WebSocket frame) stays near the size of a packet or two.
                if encoded?.readableBytes ?? 0 >= Self.encodedRunLimit { endRun() }
            }
            endRun()
        }
    }

    /// For a bridge passing on another session's messages: `message` keeps its packet id (and DUP flag), so a
    /// copy resent after a restart is one the broker already knows. QoS 2 stops at PUBREC: `whenReceived` runs
    /// then, and the PUBREL waits for `relayRelease`. Call on `eventLoop`.
    public func relayInOrder(_ message: PublishPacket, whenReceived: @escaping (Result<PublishResult, any Error>) -> Void) {
        eventLoop.preconditionInEventLoop()
        relaysAwaitingTheirID.append((message, .callback(whenReceived)))
        startRelaysAwaitingTheirID()
    }

    private func startRelaysAwaitingTheirID() {
        while let (message, waiter) = relaysAwaitingTheirID.first {
            if message.qos != .atMostOnce, let id = message.packetID, !session.canRelay(id) { return }
            relaysAwaitingTheirID.removeFirst()
            startPublish(message, waiter: waiter, relay: true)
        }
    }

    /// Keeps `packetIDs` from the client's own packets (SUBSCRIBE, UNSUBSCRIBE, its own PUBLISHes) until each is
    /// relayed: ids of another session's exchanges that the broker may still hold from an earlier connection.
    /// Call on `eventLoop`, before anything of the client's own is sent on the connection.
    public func reserveForRelay(_ packetIDs: some Sequence<UInt16>) {
        eventLoop.preconditionInEventLoop()
        for id in packetIDs { session.reserveForRelay(id) }
    }

    /// Takes up the id of a relayed QoS 2 message whose PUBREL is to come (`relayRelease`), so that it counts
    /// towards the broker's receive maximum until then. Call on `eventLoop`.
    public func relayHold(_ packetID: UInt16) {
        eventLoop.preconditionInEventLoop()
        session.relayHold(packetID)
    }

    /// Sends the PUBREL of a relayed QoS 2 message (whether or not this connection sent its PUBLISH);
    /// `whenDone` runs at its PUBCOMP. Call on `eventLoop`.
    public func relayRelease(_ packetID: UInt16, whenDone: @escaping (Result<PublishResult, any Error>) -> Void) {
        eventLoop.preconditionInEventLoop()
        guard case .connected(let channel) = state else { return whenDone(.failure(MQTTClientError.notConnected)) }
        let release = session.relayRelease(packetID)
        publishWaiters[packetID] = .callback(whenDone)
        send(release, on: channel)
    }

    /// Whether the connection takes more writes now: connected, and its socket's write buffer under its high-water
    /// mark. A forwarder checks it before a QoS 0 message, which nothing else bounds behind a peer that does not
    /// read. Call on `eventLoop`.
    public var isWritable: Bool {
        eventLoop.preconditionInEventLoop()
        guard case .connected(let channel) = state else { return false }
        return channel.isWritable
    }

    /// Runs `body` (on `eventLoop`) with writes held back, then flushes once: a burst of `publishInOrder`
    /// calls goes out in one system call instead of one each.
    public func batchingWrites(_ body: () -> Void) {
        eventLoop.preconditionInEventLoop()
        writesHeld += 1
        body()
        writesHeld -= 1
        if writesHeld == 0, let channel = channelToFlush {
            channelToFlush = nil
            channel.flush()
        }
    }

    public func publish(
        topic: String, payload: ByteBuffer, qos: QoS = .atMostOnce, retain: Bool = false, properties: Properties = []
    ) async throws -> PublishResult {
        try await publish(PublishPacket(topic: topic, payload: payload, qos: qos, retain: retain, properties: properties))
    }

    public func subscribe(_ subscriptions: [Subscription], properties: Properties = []) async throws -> SubAckPacket {
        try await request { id, promise in
            let packet = SubscribePacket(packetID: id, subscriptions: subscriptions, properties: properties)
            self.subscribePromises[id] = (packet, promise)
            return .subscribe(packet)
        }
    }

    public func unsubscribe(_ filters: [String], properties: Properties = []) async throws -> UnsubAckPacket {
        try await request { id, promise in
            let packet = UnsubscribePacket(packetID: id, filters: filters, properties: properties)
            self.unsubscribePromises[id] = (packet, promise)
            return .unsubscribe(packet)
        }
    }

    /// Sends the packet `make` builds with a fresh packet id; `make` keeps the promise for the acknowledgement
    /// that completes it. Runs on the event loop.
    private func request<Ack: Sendable>(
        _ make: @escaping @Sendable (UInt16, EventLoopPromise<Ack>) -> MQTTPacket
    ) async throws -> Ack {
        let promise = eventLoop.makePromise(of: Ack.self)
        eventLoop.execute {
            guard case .connected(let channel) = self.state else { return promise.fail(MQTTClientError.notConnected) }
            guard let id = self.session.allocateID() else { return promise.fail(MQTTClientError.noPacketIDAvailable) }
            self.send(make(id, promise), on: channel)
        }
        return try await promise.futureResult.get()
    }

    /// Sends DISCONNECT (so no will is published), closes, and stops reconnecting.
    public func disconnect(reasonCode: ReasonCode = .success, properties: Properties = []) async {
        await stop(sending: DisconnectPacket(reasonCode: reasonCode, properties: properties))
    }

    /// Closes the socket without DISCONNECT, as a crash would: the broker publishes the will.
    public func closeAbruptly() async {
        await stop(sending: nil)
    }

    /// Stops for good, with or without a DISCONNECT first; returns once the connection is closed.
    private func stop(sending disconnect: DisconnectPacket?) async {
        let promise = eventLoop.makePromise(of: Void.self)
        eventLoop.execute {
            self.userDisconnected = true
            switch self.state {
            case .connected(let channel), .awaitingConnAck(let channel):
                self.disconnectPromise = promise
                if let disconnect { self.send(.disconnect(disconnect), on: channel) }
                channel.close(promise: nil)
            case .waitingToReconnect(let scheduled):
                scheduled.cancel()
                self.finish()
                promise.succeed()
            case .connecting, .idle, .closed:
                // Nothing was sent yet: a connection that still opens is closed at once (startConnection).
                self.finish()
                promise.succeed()
            }
        }
        try? await promise.futureResult.get()
    }

    // MARK: - Connection lifecycle (on the event loop)

    private func startConnection() {
        state = .connecting
        closeReason = nil
        let setup = ChannelSetup(configuration: configuration) { [self] decoder in
            MQTTPacketReader(
                decoder: decoder,
                onPacket: { packet in self.received(packet) },
                onError: { error in self.channelError(error) },
                onInactive: { self.channelClosed() })
        }
        setup.connect(on: eventLoop).whenComplete { result in
            switch result {
            case .success(let channel):
                if self.userDisconnected {
                    channel.close(promise: nil)
                    self.connectPromise?.fail(MQTTClientError.closed)
                    self.connectPromise = nil
                    return
                }
                self.sendConnect(on: channel)
            case .failure(let error):
                self.connectionFailed(MQTTClientError.fromConnect(error, host: self.configuration.host, port: self.configuration.port))
            }
        }
    }

    private func sendConnect(on channel: any Channel) {
        state = .awaitingConnAck(channel)
        // Later connections keep the session so that in-flight messages survive, unless clean start was asked for.
        let connect = configuration.makeConnectPacket(cleanStart: configuration.cleanStart)
        send(.connect(connect), on: channel)
        connAckTimer = eventLoop.scheduleTask(in: TimeAmount(configuration.connectTimeout)) {
            self.closeReason = .connectTimeout(host: self.configuration.host, port: self.configuration.port)
            channel.close(promise: nil)
        }
    }

    private func connectionFailed(_ error: MQTTClientError) {
        state = .idle
        if let disconnectPromise {
            self.disconnectPromise = nil
            finish()
            disconnectPromise.succeed()
            return
        }
        endOrRetry(error, failingFirstConnect: true)
    }

    /// The first connection failing is the caller's error to handle, not ours to retry; any later loss is
    /// reported as an event and retried by the reconnect policy.
    private func endOrRetry(_ reason: MQTTClientError, failingFirstConnect: Bool) {
        if failingFirstConnect, let connectPromise {
            self.connectPromise = nil
            connectPromise.fail(reason)
            finish()
            return
        }
        eventSink.yield(.disconnected(error: reason))
        scheduleReconnectOrFinish()
    }

    private func scheduleReconnectOrFinish() {
        guard let policy = configuration.reconnect, !userDisconnected else {
            finish()
            return
        }
        reconnectAttempt += 1
        let delay = policy.delay(attempt: reconnectAttempt)
        eventSink.yield(.reconnecting(attempt: reconnectAttempt, delay: delay))
        let scheduled = eventLoop.scheduleTask(in: TimeAmount(delay)) { self.startConnection() }
        state = .waitingToReconnect(scheduled)
    }

    /// Ends the client: fails every waiter and closes the event stream.
    private func finish() {
        state = .closed
        let error = closeReason ?? MQTTClientError.closed
        for id in session.abandonAll() { publishWaiters.removeValue(forKey: id)?.fail(error) }
        for (_, waiter) in publishWaiters { waiter.fail(error) }
        publishWaiters.removeAll()
        for (_, waiter) in relaysAwaitingTheirID { waiter.fail(error) }
        relaysAwaitingTheirID.removeAll()
        failPendingRequests(error)
        eventSink.finish()
    }

    private func failPendingRequests(_ error: MQTTClientError) {
        for (id, entry) in subscribePromises {
            session.releaseID(id)
            entry.1.fail(error)
        }
        for (id, entry) in unsubscribePromises {
            session.releaseID(id)
            entry.1.fail(error)
        }
        subscribePromises.removeAll()
        unsubscribePromises.removeAll()
    }

    /// Errors the forwarder named are what the broker did wrong, so they win over an earlier guess;
    /// on v5 the broker is told why first (DISCONNECT 0x95 Packet too large, 0x81 Malformed packet, ...).
    private func channelError(_ error: any Error) {
        if let named = error as? MQTTClientError {
            closeReason = named
            if configuration.version == .v5, let code = named.disconnectReasonCode {
                switch state {
                case .connected(let channel), .awaitingConnAck(let channel):
                    send(.disconnect(DisconnectPacket(reasonCode: code)), on: channel)
                default: break
                }
            }
        } else if closeReason == nil {
            closeReason = MQTTClientError.fromConnect(error, host: configuration.host, port: configuration.port)
        }
    }

    private func channelClosed() {
        keepAliveTimer?.cancel()
        connAckTimer?.cancel()
        keepAliveTimer = nil
        keepAlive = nil
        incomingTopicAliases.removeAll()
        let wasConnected: Bool
        switch state {
        case .connected: wasConnected = true
        case .awaitingConnAck: wasConnected = false
        default: return
        }
        state = .idle
        let reason = closeReason ?? (userDisconnected ? .closed : .connectionLost("the broker closed the connection"))
        failPendingRequests(reason)
        if userDisconnected {
            eventSink.yield(.disconnected(error: nil))
            finish()
            disconnectPromise?.succeed()
            disconnectPromise = nil
            return
        }
        endOrRetry(reason, failingFirstConnect: !wasConnected)
    }

    // MARK: - Packets

    private func send(_ packet: MQTTPacket, on channel: any Channel, promise: EventLoopPromise<Void>? = nil) {
        if configuration.tracePackets { eventSink.yield(.packetSent(packet)) }
        write(.packet(packet), on: channel, promise: promise)
    }

    private func write(_ outbound: ClientOutbound, on channel: any Channel, promise: EventLoopPromise<Void>?) {
        keepAlive?.packetSent(at: .now)
        if writesHeld > 0 {
            channel.write(outbound, promise: promise)
            channelToFlush = channel
        } else {
            channel.writeAndFlush(outbound, promise: promise)
        }
    }

    private func received(_ packet: MQTTPacket) {
        if configuration.tracePackets { eventSink.yield(.packetReceived(packet)) }
        keepAlive?.packetReceived(at: .now)
        switch state {
        case .awaitingConnAck(let channel):
            guard case .connAck(let connAck) = packet else {
                return protocolViolation("expected CONNACK, got \(packet.type)", channel: channel)
            }
            connAckReceived(connAck, channel: channel)
        case .connected(let channel):
            receivedWhileConnected(packet, channel: channel)
        default:
            break
        }
    }

    private func protocolViolation(_ what: String, channel: any Channel) {
        closeReason = .protocolViolation(what)
        if configuration.version == .v5 { send(.disconnect(DisconnectPacket(reasonCode: .protocolError)), on: channel) }
        channel.close(promise: nil)
    }

    private func connAckReceived(_ connAck: ConnAckPacket, channel: any Channel) {
        connAckTimer?.cancel()
        guard !connAck.reasonCode.isFailure, connAck.reasonCode.rawValue == 0 else {
            closeReason = .refused(connAck.reasonCode, version: configuration.version)
            // On the first connection, channelClosed fails connect() with this reason and stops:
            // retrying a wrong password only fills the broker's log. DISCONNECT first, as mosquitto's clients do.
            send(.disconnect(DisconnectPacket()), on: channel)
            channel.close(promise: nil)
            return
        }
        state = .connected(channel)
        reconnectAttempt = 0
        brokerMaximumPacketSize = connAck.properties.maximumPacketSize.map { Int($0) } ?? Int.max
        let quota = min(Int(connAck.properties.receiveMaximum ?? 65_535), configuration.maximumInFlight ?? .max)
        let keepAliveSeconds = connAck.properties.serverKeepAlive ?? configuration.keepAlive
        startKeepAlive(seconds: keepAliveSeconds, channel: channel)

        let isReconnect = hasConnectedBefore
        hasConnectedBefore = true
        eventSink.yield(.connected(connAck))
        if isReconnect && !connAck.sessionPresent { restoreSubscriptions(on: channel) }
        let resumed = session.connectionResumed(sessionPresent: connAck.sessionPresent, sendQuota: quota)
        for packet in resumed.send { send(packet, on: channel) }
        for message in resumed.deliver { deliver(message) }
        for completed in resumed.completed {
            publishWaiters.removeValue(forKey: completed.id)?.succeed(PublishResult(packetID: completed.id, reasonCode: completed.reasonCode))
        }
        connectPromise?.succeed(connAck)
        connectPromise = nil
    }

    private func restoreSubscriptions(on channel: any Channel) {
        let subscriptions = subscriptionOrder.compactMap { activeSubscriptions[$0] }
        guard !subscriptions.isEmpty, let id = session.allocateID() else { return }
        let packet = SubscribePacket(packetID: id, subscriptions: subscriptions)
        let promise = eventLoop.makePromise(of: SubAckPacket.self)
        promise.futureResult.whenFailure { _ in }
        subscribePromises[id] = (packet, promise)
        send(.subscribe(packet), on: channel)
    }

    private func receivedWhileConnected(_ packet: MQTTPacket, channel: any Channel) {
        switch packet {
        case .publish(var message):
            if let alias = message.properties.topicAlias {
                guard alias <= configuration.topicAliasMaximum else {
                    return protocolViolation("topic alias \(alias) above our maximum", channel: channel)
                }
                if message.topic.isEmpty {
                    guard let topic = incomingTopicAliases[alias] else {
                        return protocolViolation("unknown topic alias \(alias)", channel: channel)
                    }
                    message.topic = topic
                } else {
                    incomingTopicAliases[alias] = message.topic
                }
            }
            apply(session.receivedPublish(message), channel: channel)
        case .pubAck(let ack): apply(session.receivedPubAck(ack), channel: channel)
        case .pubRec(let ack): apply(session.receivedPubRec(ack), channel: channel)
        case .pubRel(let ack): apply(session.receivedPubRel(ack), channel: channel)
        case .pubComp(let ack): apply(session.receivedPubComp(ack), channel: channel)
        case .subAck(let subAck):
            guard let (request, promise) = subscribePromises.removeValue(forKey: subAck.packetID) else { return }
            session.releaseID(subAck.packetID)
            startRelaysAwaitingTheirID()
            for (subscription, code) in zip(request.subscriptions, subAck.reasonCodes) where !code.isFailure {
                if activeSubscriptions.updateValue(subscription, forKey: subscription.filter) == nil {
                    subscriptionOrder.append(subscription.filter)
                }
            }
            promise.succeed(subAck)
        case .unsubAck(let unsubAck):
            guard let (request, promise) = unsubscribePromises.removeValue(forKey: unsubAck.packetID) else { return }
            session.releaseID(unsubAck.packetID)
            startRelaysAwaitingTheirID()
            for filter in request.filters { activeSubscriptions[filter] = nil }
            subscriptionOrder.removeAll { activeSubscriptions[$0] == nil }
            promise.succeed(unsubAck)
        case .pingResp:
            break
        case .disconnect(let disconnect):
            closeReason = .disconnectedByServer(disconnect.reasonCode, reasonString: disconnect.properties.reasonString)
            channel.close(promise: nil)
        case .auth:
            // Enhanced authentication is not offered, so a broker must not start it.
            protocolViolation("unexpected AUTH", channel: channel)
        default:
            protocolViolation("unexpected \(packet.type)", channel: channel)
        }
    }

    private func deliver(_ message: PublishPacket) {
        if let messageHandler { return messageHandler(message) }
        eventSink.yield(.message(message))
        if let backpressure { backpressure.queued(message, client: self) }
    }

    /// `StreamBackpressure`: the broker's connection stops being read (TCP flow control then holds the broker
    /// back) or starts again. Call on `eventLoop`.
    func setReading(_ on: Bool) {
        eventLoop.preconditionInEventLoop()
        switch state {
        case .connected(let channel), .awaitingConnAck(let channel):
            channel.setOption(ChannelOptions.autoRead, value: on).whenComplete { _ in }
            if on { channel.read() }
        default: break
        }
    }

    /// With `maximumQueuedMessages` given at init: a consumer of `events` says it has taken one `.message`,
    /// so that reading resumes once the queue has drained to half. Any thread.
    public func messageConsumed(_ message: PublishPacket) {
        backpressure?.consumed(message, client: self)
    }

    private func apply(_ action: ClientSessionStateMachine.ReceiveAction, channel: any Channel) {
        // Acknowledge first, then deliver: the order mosquitto's clients trace with -d.
        for packet in action.send { send(packet, on: channel) }
        if let message = action.deliver { deliver(message) }
        if let completed = action.completed {
            publishWaiters.removeValue(forKey: completed.id)?.succeed(PublishResult(packetID: completed.id, reasonCode: completed.reasonCode))
            if !relaysAwaitingTheirID.isEmpty { startRelaysAwaitingTheirID() }
        }
    }

    private func startPublish(_ message: PublishPacket, waiter: PublishWaiter, relay: Bool = false) {
        let channel: (any Channel)?
        switch state {
        case .connected(let connected): channel = connected
        case .connecting, .awaitingConnAck, .waitingToReconnect: channel = nil
        case .idle, .closed: return waiter.fail(MQTTClientError.notConnected)
        }
        if message.qos == .atMostOnce && channel == nil { return waiter.fail(MQTTClientError.notConnected) }
        if let error = tooLargeForBroker(message) { return waiter.fail(error) }
        switch relay ? session.relay(message) : session.send(message) {
        case .send(let packet):
            guard let packetID = packet.packetID else {
                // QoS 0 is done once it is written.
                guard let channel else { return waiter.fail(MQTTClientError.notConnected) }
                let written = eventLoop.makePromise(of: Void.self)
                send(.publish(packet), on: channel, promise: written)
                waiter.complete(whenWritten: written.futureResult)
                return
            }
            publishWaiters[packetID] = waiter
            if let channel { send(.publish(packet), on: channel) }
        case .queued(let packet):
            publishWaiters[packet.packetID!] = waiter
        case .noPacketIDAvailable:
            waiter.fail(MQTTClientError.noPacketIDAvailable)
        }
    }

    /// Sized only against a limit the broker set: the walk over the message costs, per message.
    private func tooLargeForBroker(_ message: PublishPacket) -> MQTTClientError? {
        guard brokerMaximumPacketSize < Int.max else { return nil }
        let size = MQTTPacket.publish(message).encodedSize(version: configuration.version)
        return size > brokerMaximumPacketSize ? .packetTooLarge(size: size, maximum: brokerMaximumPacketSize) : nil
    }

    // MARK: - Keep alive

    private func startKeepAlive(seconds: UInt16, channel: any Channel) {
        keepAlive = KeepAliveStateMachine(keepAlive: .keepAlive(seconds), connectSent: .now)
        scheduleKeepAliveTick(channel: channel)
    }

    private func scheduleKeepAliveTick(channel: any Channel) {
        guard let deadline = keepAlive?.nextDeadline else { return }
        let delay = ContinuousClock.timeAmount(from: .now, until: deadline)
        keepAliveTimer = eventLoop.scheduleTask(in: delay) {
            guard var machine = self.keepAlive else { return }
            let action = machine.tick(now: .now)
            self.keepAlive = machine
            switch action {
            case .sendPingRequest:
                self.send(.pingReq, on: channel)
            case .connectionDead:
                self.closeReason = .keepAliveTimeout
                channel.close(promise: nil)
                return
            case .none:
                break
            }
            self.scheduleKeepAliveTick(channel: channel)
        }
    }
}
