import Foundation
import MQTTClient
import MQTTCore
import NIOCore

/// One bridge (`connection NAME`): a client connection to the remote broker and, while that is up, a
/// connection into the local core (`BridgeLocalSide`). Messages the bridge's local session receives on
/// `out` topics are published to the remote and acknowledged locally only once the remote acknowledged
/// them, so what the local session holds (in the store, with persistence) is exactly what has not
/// arrived; `in` topics come from the remote subscription into the core as any client's PUBLISH.
///
/// Lives on the broker's event loop, like the core; the remote client runs on the same loop.
final class BridgeLink: @unchecked Sendable {
    let configuration: BridgeConfiguration
    private let broker: Broker
    private let listener: ListenerContext
    private let map: BridgeTopicMap
    private var remoteTopics = BridgeTopicCache()
    /// What goes to the remote once the store has committed what this turn of the loop recorded (`onceStored`).
    private var sendsAfterNextCommit: [() -> Void] = []
    private var client: MQTTClient?
    private var local: BridgeLocalSide?
    private var addressIndex = 0
    private var failures = 0
    private var restart: Scheduled<Void>?
    private var figures: RepeatedTask?
    private var isStopped = false
    /// `start_type lazy`: when to bring the link up and down, how often that is checked, and whether the link is
    /// down waiting for its threshold (rather than connecting or waiting out a restart delay).
    private var lazyStart: BridgeLazyStart?
    private var lazyChecks: RepeatedTask?
    private var waitsForThreshold = false
    /// For the dashboard: where the link goes (or went), why it went down, when it tries again.
    private var address = ""
    private var lastError: String?
    private var retryAt: Date?
    /// Figures for the log and the dashboard.
    private(set) var forwarded: UInt64 = 0
    private(set) var received: UInt64 = 0
    private(set) var dropped: UInt64 = 0
    /// QoS 0 messages dropped because the remote's socket was full, and when that was last logged (at most every 10 s).
    private var droppedQoS0Count: UInt64 = 0
    private var droppedQoS0LoggedAt: NIODeadline?

    init(configuration: BridgeConfiguration, broker: Broker, listener: ListenerContext) {
        self.configuration = configuration
        self.broker = broker
        self.listener = listener
        map = BridgeTopicMap(rules: configuration.topics)
    }

    private var loop: any EventLoop { broker.eventLoop }
    /// Up: the remote is connected and the local side open.
    var isUp: Bool { local != nil }
    private var name: String { configuration.name }

    func start() {
        loop.execute {
            if self.configuration.startType == .lazy {
                self.startLazily()
            } else {
                // A kept session queues from now on, so what is published before the remote first answers
                // waits for it (as in mosquitto, whose bridges subscribe locally at start).
                if !(self.configuration.localCleanSession ?? self.configuration.cleanSession) { self.primeLocalSession() }
                self.connect()
            }
            let interval = self.broker.core.configuration.sysInterval
            guard interval > 0 else { return }
            self.figures = self.loop.scheduleRepeatedTask(initialDelay: .seconds(Int64(interval)), delay: .seconds(Int64(interval))) { _ in
                self.publishFigures()
            }
        }
    }

    /// Messages waiting in the bridge's local session for the remote: queued, and sent to a link that went down
    /// before the remote acknowledged them.
    private var queuedForRemote: Int {
        let session = broker.core.sessions[configuration.effectiveLocalClientID]
        return (session?.queue.count ?? 0) + (session?.inflight.count ?? 0)
    }

    /// `$SYS/broker/connection/REMOTE_CLIENT_ID/...` every `sys_interval`, retained, beside the state: what waits
    /// in the bridge's local session for the remote, and what was dropped because it was full.
    private func publishFigures() {
        let session = broker.core.sessions[configuration.effectiveLocalClientID]
        let base = "$SYS/broker/connection/\(configuration.effectiveRemoteClientID)/"
        let values = [
            ("queued", queuedForRemote),
            ("dropped", Int(clamping: (session?.droppedTotal ?? 0) + dropped)),
            ("forwarded", Int(clamping: forwarded)),
            ("received", Int(clamping: received)),
        ]
        for (name, value) in values {
            broker.handle(.publishFromBroker(StoredMessage(topic: base + name, payload: ByteBuffer(string: "\(value)"),
                                                          qos: .atMostOnce, retain: true)))
        }
        broker.finish()
    }

    /// Ends the link for good (broker shutdown): the remote hears DISCONNECT, so its will (state 0) is not sent;
    /// the local state notification says 0.
    func stop() async {
        let client: MQTTClient? = try? await loop.submit { self.stopLocally() }.get()
        await disconnectRemote(client)
    }

    /// On the loop: no more restarts, and the local side ends now. Returns the remote client to disconnect.
    func stopLocally() -> MQTTClient? {
        isStopped = true
        restart?.cancel()
        figures?.cancel()
        lazyChecks?.cancel()
        localDown()
        defer { self.client = nil }
        return client
    }

    /// `announce`: say state 0 on the remote first (not when a changed block's new link takes over at once).
    func disconnectRemote(_ client: MQTTClient?, announce: Bool = true) async {
        if let client {
            if announce && configuration.notifications && !configuration.notificationsLocalOnly {
                _ = try? await client.publish(topic: configuration.effectiveNotificationTopic, payload: ByteBuffer(string: "0"),
                                              qos: .atLeastOnce, retain: true)
            }
            await client.disconnect()
        }
    }

    func log(_ type: BrokerLog.LogType, _ line: String) {
        broker.log.log(type, line)
    }

    // MARK: The remote connection

    private func connect() {
        guard !isStopped else { return }
        let address = configuration.addresses[addressIndex % configuration.addresses.count]
        log(.notice, "Connecting bridge \(name) (\(address.host):\(address.port))")
        self.address = "\(address.host):\(address.port)"
        retryAt = nil
        let client = MQTTClient(configuration: clientConfiguration(for: address), eventLoopGroup: loop) { [weak self] message in
            self?.remoteMessage(message)
        }
        self.client = client
        Task {
            do {
                let ack = try await client.connect()
                self.loop.execute { self.remoteConnected(client, ack) }
                for await event in client.events {
                    if case .disconnected(let error) = event {
                        self.loop.execute { self.remoteLost(client, reason: error.map { "\($0)" } ?? "disconnected") }
                    }
                }
            } catch {
                self.loop.execute { self.remoteLost(client, reason: "\(error)") }
            }
        }
    }

    private func clientConfiguration(for address: BridgeConfiguration.Address) -> MQTTClientConfiguration {
        let tls = configuration.tls
        var tlsOptions: TLSOptions?
        if tls.isEnabled {
            var options = TLSOptions(caFile: tls.cafile, caPath: tls.capath, certificateFile: tls.certfile, keyFile: tls.keyfile,
                                     insecure: tls.insecure)
            options.version = tls.version.flatMap(TLSVersionChoice.init(rawValue:))
            options.applicationProtocols = tls.alpn.map { [$0] } ?? []
            if let identity = tls.pskIdentity, let hex = tls.pskHex {
                options.preSharedKey = PreSharedKey(identity: identity, hex: hex)
            }
            tlsOptions = options
        }
        let transport: Transport
        if let path = address.webSocketPath {
            transport = .webSocket(path: path, tls: tlsOptions)
        } else {
            transport = tlsOptions.map(Transport.tls) ?? .tcp
        }
        let v5 = configuration.protocolVersion == .v5
        var will: Will?
        if configuration.notifications && !configuration.notificationsLocalOnly {
            will = Will(topic: configuration.effectiveNotificationTopic, payload: ByteBuffer(string: "0"), qos: .atLeastOnce, retain: true)
        }
        var properties = Properties()
        if v5 && !configuration.cleanSession { properties.append(.sessionExpiryInterval(.max)) }
        var client = MQTTClientConfiguration(
            host: address.host, port: address.port, transport: transport, version: configuration.protocolVersion,
            clientID: configuration.effectiveRemoteClientID, cleanStart: configuration.cleanSession,
            keepAlive: UInt16(clamping: configuration.keepalive), username: configuration.remoteUsername,
            password: configuration.remotePassword, will: will, connectProperties: properties)
        client.isBridge = configuration.tryPrivate && !v5
        client.speaksMQTT31 = configuration.speaksMQTT31
        client.bindAddress = configuration.bindAddress
        let inFlight = broker.core.configuration.maxInflightMessages
        client.maximumInFlight = inFlight > 0 ? inFlight : nil
        return client
    }

    // MARK: start_type lazy

    private func startLazily() {
        lazyStart = BridgeLazyStart(threshold: configuration.threshold, idleTimeoutSeconds: configuration.idleTimeout)
        let first = configuration.addresses[0]
        address = "\(first.host):\(first.port)"
        primeLocalSession()
        waitForThreshold()
        lazyChecks = loop.scheduleRepeatedTask(initialDelay: BridgeLazyStart.checkInterval, delay: BridgeLazyStart.checkInterval) { _ in
            self.checkLazyStart()
        }
    }

    private func waitForThreshold() {
        waitsForThreshold = true
        retryAt = nil
        log(.notice, "Bridge \(name) waits for \(configuration.threshold) queued messages before connecting (start_type lazy).")
    }

    private func checkLazyStart() {
        guard !isStopped, var lazy = lazyStart else { return }
        defer { lazyStart = lazy }
        let queued = queuedForRemote
        if isUp {
            guard lazy.whileUp(queued: queued, carried: forwarded &+ received, now: .now()) == .disconnectIdle else { return }
            // mosquitto's line, with its id for the bridge (the local client id).
            log(.notice, "Bridge connection \(configuration.effectiveLocalClientID) has exceeded idle timeout, disconnecting.")
            let client = self.client
            self.client = nil
            localDown()
            waitForThreshold()
            Task { await self.disconnectRemote(client) }
        } else if waitsForThreshold && lazy.whileDown(queued: queued) == .connect {
            waitsForThreshold = false
            log(.notice, "Bridge \(name): \(queued) messages queued (threshold \(configuration.threshold)); starting it (start_type lazy).")
            connect()
        }
    }

    /// The link's local session has to exist, subscribed, before the link first comes up: it is what queues
    /// the messages that start it. Opened and closed at once; the session stays and queues.
    private func primeLocalSession() {
        let local = BridgeLocalSide(link: self, broker: broker)
        local.open(listener: listener, connect: localConnect(), subscribe: localSubscribe())
        local.close()
    }

    private func remoteConnected(_ client: MQTTClient, _ ack: ConnAckPacket) {
        guard client === self.client, !isStopped else { return }
        // The remote's kept session may still hold the local session's exchanges under their ids (QoS 2 awaiting
        // PUBREL, after a crash here or a lost link): the link's own SUBSCRIBE, UNSUBSCRIBE and state PUBLISH
        // must not take one of those ids before the local session sends them again.
        if let session = broker.core.sessions[configuration.effectiveLocalClientID] { client.reserveForRelay(session.inflight.keys) }
        failures = 0
        log(.notice, "Bridge \(name) connected to \(client.configuration.brokerURL).")
        let v5 = configuration.protocolVersion == .v5
        let remote = map.remoteSubscriptions.map { rule in
            // v5: nothing we publish comes back, retained flags stay as published; 3.1.1: try_private does it.
            // (No Local on a shared subscription is a Protocol Error: those go without it.)
            let shared = rule.remoteFilter.hasPrefix("$share/")
            return Subscription(filter: rule.remoteFilter,
                                options: SubscriptionOptions(qos: rule.qos, noLocal: v5 && !shared, retainAsPublished: v5))
        }
        let outOnly = configuration.topics.filter { $0.direction == .out }.map(\.remoteFilter)
        Task {
            if !remote.isEmpty {
                do {
                    let subAck = try await client.subscribe(remote)
                    let refused = zip(remote, subAck.reasonCodes).filter { $0.1.isFailure }.map(\.0.filter)
                    if !refused.isEmpty { self.log(.warning, "Bridge \(self.name): the remote refused the subscriptions \(refused).") }
                } catch {
                    self.log(.warning, "Bridge \(self.name): subscribing on the remote failed: \(error).")
                }
            }
            // A kept remote session may still hold subscriptions to `out` topics from an older configuration.
            if self.configuration.attemptUnsubscribe && !self.configuration.cleanSession && !outOnly.isEmpty {
                _ = try? await client.unsubscribe(outOnly)
            }
            // Up once the remote subscriptions are in place: from the state notification on, both ways work.
            self.loop.execute { self.linkUp(client) }
        }
    }

    private func linkUp(_ client: MQTTClient) {
        guard client === self.client, !isStopped else { return }
        // The local side first: what the remote still holds from before (QoS 2 awaiting PUBREL) fills its receive
        // quota, and only what the local session sends again (PUBREL, or the PUBLISH with its packet id) frees it.
        openLocal()
        if configuration.notifications && !configuration.notificationsLocalOnly {
            _ = client.publishInOrder(PublishPacket(topic: configuration.effectiveNotificationTopic, payload: ByteBuffer(string: "1"),
                                                    qos: .atLeastOnce, retain: true))
        }
        lazyStart?.linkUp(carried: forwarded &+ received, now: .now())
        if configuration.notifications { notifyLocally("1") }
    }

    private func remoteLost(_ client: MQTTClient, reason: String) {
        guard client === self.client, !isStopped else { return }
        self.client = nil
        lastError = reason
        log(.notice, "Bridge \(name) disconnected: \(reason).")
        localDown()
        failures += 1
        if !configuration.roundRobin && failures == 1 { addressIndex = 0 } else { addressIndex += 1 }
        guard configuration.startType != .once else {
            log(.notice, "Bridge \(name) is not restarted (start_type once).")
            return
        }
        if configuration.startType == .lazy && queuedForRemote < configuration.threshold {
            return waitForThreshold()
        }
        let delay = restartDelay()
        retryAt = Date().addingTimeInterval(delay)
        log(.notice, "Bridge \(name): next attempt in \(delay) s.")
        restart = loop.scheduleTask(in: .milliseconds(Int64(delay * 1000))) { [weak self] in self?.connect() }
    }

    /// `restart_timeout BASE CAP`: BASE doubling per failure up to CAP, with a fifth of jitter either way (so
    /// several bridges do not retry in step); `restart_timeout N`: N every time.
    private func restartDelay() -> Double {
        let base = Double(configuration.restartBase)
        guard let cap = configuration.restartCap.map(Double.init) else { return base }
        let grown = min(cap, base * pow(2, Double(min(failures - 1, 20))))
        return grown * Double.random(in: 0.8...1.2)
    }

    // MARK: The local side

    private func openLocal() {
        let local = BridgeLocalSide(link: self, broker: broker)
        self.local = local
        local.open(listener: listener, connect: localConnect(), subscribe: localSubscribe())
    }

    private func localConnect() -> ConnectPacket {
        // A lazy link's session is what brings it up: it is kept whatever local_cleansession says.
        let clean = configuration.startType != .lazy && (configuration.localCleanSession ?? configuration.cleanSession)
        return ConnectPacket(
            version: .v5, clientID: configuration.effectiveLocalClientID, cleanStart: clean, keepAlive: 0,
            username: configuration.localUsername, password: configuration.localPassword.map { ByteBuffer(string: $0) },
            properties: [.sessionExpiryInterval(clean ? 0 : .max), .receiveMaximum(Self.localWindow)])
    }

    private func localSubscribe() -> SubscribePacket? {
        let subscriptions = map.localSubscriptions.map { rule in
            // No Local: what the bridge brings in never goes back out. Retained messages go out once, when the
            // subscription is new, not again on every reconnect of the link.
            Subscription(filter: rule.localFilter, options: SubscriptionOptions(
                qos: rule.qos, noLocal: true, retainAsPublished: true, retainHandling: .sendOnNewSubscribe))
        }
        return subscriptions.isEmpty ? nil : SubscribePacket(packetID: 1, subscriptions: subscriptions)
    }

    /// How many messages the core may have in flight towards the remote at once.
    static let localWindow: UInt16 = 1_000

    private func localDown() {
        guard let local else { return }
        self.local = nil
        local.close()
        if configuration.notifications { notifyLocally("0") }
    }

    private func notifyLocally(_ state: String) {
        broker.handle(.publishFromBroker(StoredMessage(topic: configuration.effectiveNotificationTopic, payload: ByteBuffer(string: state),
                                                      qos: .atLeastOnce, retain: true)))
        broker.finish()
    }

    func localRefused(_ code: ReasonCode) {
        log(.error, "Bridge \(name): the local broker refused the bridge's session (\(code)); check local_username and local_password.")
    }

    func localSubscribed(_ ack: SubAckPacket) {
        let refused = zip(map.localSubscriptions, ack.reasonCodes).filter { $0.1.isFailure }.map(\.0.localFilter)
        if !refused.isEmpty { log(.warning, "Bridge \(name): the local broker refused the subscriptions \(refused) (ACL of local_username?).") }
    }

    /// The core closed the local side itself (a takeover of its client id, an error): the link starts over, so
    /// that it never carries on with the remote half alone.
    func localClosed() {
        local = nil
        guard let client, !isStopped else { return }
        log(.warning, "Bridge \(name): the local broker closed the bridge's session; restarting the link.")
        Task { await client.disconnect() }
    }

    // MARK: Messages

    /// A message of the bridge's local session: to the remote, acknowledged locally once the remote has it.
    func forward(_ message: PublishPacket) {
        guard let local else { return }
        guard let client, let (topic, _) = remoteTopics.remote(forLocal: message.topic, in: map) else {
            // Not ours to carry (a rule changed since it was queued): acknowledged so it does not stay forever.
            local.acknowledgeHere(message)
            return
        }
        var properties = Properties()
        if configuration.protocolVersion == .v5 {
            properties = Properties(message.properties.filter { $0.identifier != .subscriptionIdentifier && $0.identifier != .topicAlias })
        }
        let outgoing = PublishPacket(topic: topic, payload: message.payload, qos: message.qos,
                                     retain: configuration.outgoingRetain && message.retain, properties: properties)
        if configuration.maxPacketSize > 0,
           MQTTPacket.publish(outgoing).encodedSize(version: configuration.protocolVersion) > configuration.maxPacketSize {
            dropped += 1
            log(.notice, "Bridge \(name): a message on \(message.topic) is larger than bridge_max_packet_size \(configuration.maxPacketSize); not forwarded.")
            local.acknowledgeHere(message)
            return
        }
        let whenTheRemoteHasIt = { [weak self, weak local] (result: Result<PublishResult, any Error>) in
            guard let self, case .success = result else { return }
            // Failed: the remote went away; the message stays in the local session and goes again on the next link.
            self.forwarded += 1
            local?.acknowledge(message)
        }
        guard message.qos != .atMostOnce else {
            // QoS 0 has no window: past the socket's high-water mark it is dropped, as the core drops it for a client
            // that does not read, instead of piling up in the link's write buffer without bound.
            guard client.isWritable else { return droppedQoS0() }
            return client.publishInOrder(outgoing, whenDone: whenTheRemoteHasIt)
        }
        // With the local session's packet id and DUP flag: a QoS 2 message sent again after a restart (or on a
        // new link) is one a kept remote session recognises and does not deliver twice.
        var relayed = outgoing
        relayed.packetID = message.packetID
        relayed.dup = message.dup
        guard message.qos == .exactlyOnce else { return client.relayInOrder(relayed, whenReceived: whenTheRemoteHasIt) }
        // Only once the store has its packet id: after a crash it goes again under that id, never under a new
        // one that the remote would take for another message.
        onceStored(client) { client.relayInOrder(relayed, whenReceived: whenTheRemoteHasIt) }
    }

    /// Runs `send` (writes to the remote over `client`) once the store has committed every change this turn of the
    /// loop records; the sends of one turn wait for one commit and go out in one write, in order.
    private func onceStored(_ client: MQTTClient, _ send: @escaping () -> Void) {
        sendsAfterNextCommit.append(send)
        guard sendsAfterNextCommit.count == 1 else { return }
        loop.execute {
            // This turn's actions are carried out now, their changes recorded.
            let batch = self.sendsAfterNextCommit
            self.sendsAfterNextCommit = []
            self.broker.whenRecordedChangesAreDurable { [weak self] in
                guard let self, client === self.client else { return }
                client.batchingWrites { batch.forEach { $0() } }
            }
        }
    }

    /// The core released a QoS 2 message the remote has (PUBREC): once that is durable here, release it on the
    /// remote, so that a crash in between resends the PUBREL, never the message. Down: the core sends the PUBREL
    /// again on the next link. Its id counts towards the remote's receive maximum from now on.
    func release(_ packetID: UInt16) {
        guard let client, let local else { return }
        client.relayHold(packetID)
        onceStored(client) { [weak local] in
            client.relayRelease(packetID) { [weak local] result in
                guard case .success = result else { return }
                local?.completeRelease(packetID)
            }
        }
    }

    /// Runs `body`, which may forward many messages, with the remote connection's writes flushed once at its end.
    func batchingRemoteWrites(_ body: () -> Void) {
        guard let client else { return body() }
        client.batchingWrites(body)
    }

    /// A message from the remote subscription: into the core under its local name.
    private func remoteMessage(_ message: PublishPacket) {
        guard let local, let (topic, qos) = map.local(forRemote: message.topic) else { return }
        received += 1
        let properties = Properties(message.properties.filter { $0.identifier != .subscriptionIdentifier && $0.identifier != .topicAlias })
        local.publish(PublishPacket(topic: topic, payload: message.payload, qos: min(message.qos, qos), retain: message.retain,
                                    properties: properties))
    }

    /// A QoS 0 message the remote is not reading fast enough to take: counted, logged at most every 10 s (a socket
    /// that drains a little at a time would otherwise log a line per flap).
    private func droppedQoS0() {
        dropped += 1
        droppedQoS0Count += 1
        let now = NIODeadline.now()
        if let last = droppedQoS0LoggedAt, now - last < .seconds(10) { return }
        droppedQoS0LoggedAt = now
        log(.warning, "Bridge \(name): the remote is not reading; QoS 0 messages are dropped while its socket is full (\(droppedQoS0Count) so far).")
    }

    func droppedIncoming(_ message: PublishPacket, reason: String) {
        dropped += 1
        log(.warning, "Bridge \(name): dropped a message on \(message.topic) from the remote: \(reason).")
    }

    /// For the dashboard's broker pane; on the broker's event loop.
    func overview(in core: BrokerCore<EventLoopClock>) -> BrokerOverview.Bridge {
        let session = core.sessions[configuration.effectiveLocalClientID]
        return BrokerOverview.Bridge(
            name: name, isUp: isUp, address: address, queued: (session?.queue.count ?? 0) + (session?.inflight.count ?? 0),
            forwarded: forwarded, received: received, dropped: (session?.droppedTotal ?? 0) + dropped,
            lastError: lastError, retryAt: isUp ? nil : retryAt)
    }
}
