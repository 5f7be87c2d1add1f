import Dashboard
import Foundation
import MQTTClient
import MQTTCore
import NIOCore
import Synchronization
import DashboardApp

/// The dashboard's connection to its broker: keeps a client connected, turns its events into dashboard events
/// on the UI queue, and runs the commands `update` returns. Nothing here touches the terminal.
///
/// A first connection that fails (refused, unreachable) is shown as `.refused(reason)` and tried
/// again after a backoff with a fresh client (a client whose first connect failed is closed for good);
/// once connected, the client's own reconnect policy keeps it up, so a lost connection never ends the app.
actor DashboardConnection {
    private(set) var configuration: MQTTClientConfiguration
    /// No -V given: MQTT 5 first, 3.1.1 when the broker refuses it (see `refusesV5`).
    let fallsBackTo311: Bool
    /// Closed by `stop(closingOutlet:)` when `c` moves to another broker.
    let outlet: ConnectionOutlet
    let maximumStoredPayload: Int
    /// `R`: sees every PUBLISH as it arrives, before the UI queue (which may skip in a flood).
    let recorder: DashboardRecorder?
    private var filters: [String: QoS] = [:]
    private var filterOrder: [String] = []
    private var client: MQTTClient?
    private var stopped = false
    /// The commands `update` returned, run one after another in that order (see `perform`).
    private nonisolated let commands: AsyncStream<DashboardCommand>.Continuation
    private let pendingCommands: AsyncStream<DashboardCommand>

    init(configuration: MQTTClientConfiguration, subscriptions: [Dashboard.Subscription], queue: EventQueue, maximumStoredPayload: Int,
         recorder: DashboardRecorder? = nil, fallsBackTo311: Bool = false) {
        self.fallsBackTo311 = fallsBackTo311
        var configuration = configuration
        configuration.reconnect = configuration.reconnect ?? ReconnectPolicy()
        configuration.tracePackets = false
        self.configuration = configuration
        self.outlet = ConnectionOutlet(queue: queue)
        self.maximumStoredPayload = maximumStoredPayload
        self.recorder = recorder
        (pendingCommands, commands) = AsyncStream.makeStream()
        for subscription in subscriptions where self.filters[subscription.filter] == nil {
            self.filters[subscription.filter] = subscription.qos
            filterOrder.append(subscription.filter)
        }
    }

    /// Connects (retrying until it works or `stop` is called), then follows the client's events.
    func run() async {
        let commandRunner = Task { for await command in pendingCommands { await execute(command) } }
        defer { commandRunner.cancel() }
        var attempt = 0
        let policy = configuration.reconnect ?? ReconnectPolicy()
        while !stopped {
            outlet.push(.connection(.connecting))
            // Messages go straight from the event loop into the UI queue: a stream would wake a task per message.
            let client = MQTTClient(configuration: configuration) { [outlet, maximumStoredPayload, recorder] packet in
                let now = Date().timeIntervalSince1970
                recorder?.offer(packet, at: now)
                outlet.push(.message(Self.received(packet, maximumStoredPayload: maximumStoredPayload, at: now)))
            }
            self.client = client
            let pump = Task.detached { [outlet, maximumStoredPayload] in
                for await event in client.events {
                    if let mapped = Self.map(event, maximumStoredPayload: maximumStoredPayload) { outlet.push(mapped) }
                }
            }
            do {
                _ = try await client.connect()
                attempt = 0
                let subscriptions = filterOrder.compactMap { filter in
                    filters[filter].map { MQTTCore.Subscription(filter: filter, options: subscriptionOptions(qos: $0)) }
                }
                if !subscriptions.isEmpty {
                    do {
                        let subAck = try await client.subscribe(subscriptions)
                        reportRefusals(subAck.reasonCodes, filters: subscriptions.map(\.filter))
                    } catch {
                        outlet.push(.connection(.disconnected("subscribe failed: \(Self.describe(error))")))
                    }
                }
                await pump.value
                return
            } catch {
                pump.cancel()
                if stopped { return }
                if fallsBackTo311 && configuration.version == .v5 && Self.refusesV5(error) {
                    // An older broker: go on at once with 3.1.1; the status bar and the form follow.
                    configuration.version = .v3_1_1
                    outlet.push(.protocolVersion(isV5: false))
                    continue
                }
                attempt += 1
                outlet.push(.connection(.refused(Self.describe(error))))
                try? await Task.sleep(for: policy.delay(attempt: attempt))
            }
        }
    }

    /// How a broker without MQTT 5 answers a v5 CONNECT: CONNACK 0x84 (Unsupported Protocol Version) or,
    /// in 3.1.1 terms, 0x01 (unacceptable protocol version); a CONNACK we cannot read as v5; or closing
    /// the connection before any CONNACK (mosquitto 1.x and others).
    static func refusesV5(_ error: any Error) -> Bool {
        guard let error = error as? MQTTClientError else { return false }
        switch error {
        case .refused(let code, _): return code.rawValue == 0x84 || code.rawValue == 0x01
        case .decodeFailed, .protocolViolation, .connectionLost, .closed: return true
        default: return false
        }
    }

    /// A SUBACK's failure codes (0x80 on 3.1.1; 0x87 not authorized, 0x8F bad filter, ... on v5), one per
    /// filter in order: shown to the user, and not subscribed again after a reconnect.
    private func reportRefusals(_ codes: [ReasonCode], filters requested: [String]) {
        for (filter, code) in zip(requested, codes) where code.isFailure {
            forget(filter)
            outlet.push(.subscriptionFailed(SubscriptionFailure(filter: filter, reason: code.description)))
        }
    }

    private func forget(_ filter: String) {
        filters[filter] = nil
        filterOrder.removeAll { $0 == filter }
    }

    /// On v5, retain-as-published keeps the retain flag on live messages too, so the tree's retained
    /// marker follows the broker's view; 3.1.1 brokers clear it on everything but the initial delivery.
    private func subscriptionOptions(qos: QoS) -> SubscriptionOptions {
        SubscriptionOptions(qos: qos, retainAsPublished: configuration.version == .v5)
    }

    /// Sends DISCONNECT and stops reconnecting, waiting at most `timeout` for the broker.
    /// - Parameter closingOutlet: `c`: nothing more from this connection reaches the UI.
    func stop(timeout: Duration = .seconds(1), closingOutlet: Bool = false) async {
        stopped = true
        if closingOutlet { outlet.close() }
        guard let client else { return }
        let done = Mutex(false)
        let disconnecting = Task.detached {
            await client.disconnect()
            done.withLock { $0 = true }
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline && !done.withLock({ $0 }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        _ = disconnecting
    }

    /// Called on the UI thread with each command `update` returned. They run in order, each to its end, on
    /// `run`'s command task: a request subscribes to its response topic and then publishes, and a task per
    /// command could send the PUBLISH first, so that a quick responder's answer came before the subscription.
    nonisolated func perform(_ command: DashboardCommand) {
        commands.yield(command)
    }

    private func execute(_ command: DashboardCommand) async {
        switch command {
        case .publish(let topic, let payload, let qos, let retain, let properties):
            let outcome = await publish(topic: topic, payload: payload, qos: qos, retain: retain, properties: properties)
            outlet.push(.published(outcome))
        case .subscribe(let filter, let qos):
            if filters.updateValue(qos, forKey: filter) == nil { filterOrder.append(filter) }
            guard let client else {
                forget(filter)
                return outlet.push(.subscriptionFailed(SubscriptionFailure(filter: filter, reason: "not connected")))
            }
            do {
                let subAck = try await client.subscribe([MQTTCore.Subscription(filter: filter, options: subscriptionOptions(qos: qos))])
                reportRefusals(subAck.reasonCodes, filters: [filter])
            } catch {
                forget(filter)
                outlet.push(.subscriptionFailed(SubscriptionFailure(filter: filter, reason: Self.describe(error))))
            }
        case .unsubscribe(let filter):
            forget(filter)
            guard let client else { return }
            do {
                let unsubAck = try await client.unsubscribe([filter])
                if let code = unsubAck.reasonCodes.first, code.isFailure {
                    outlet.push(.subscriptionFailed(SubscriptionFailure(filter: filter, isUnsubscribe: true, reason: code.description)))
                }
            } catch {
                outlet.push(.subscriptionFailed(SubscriptionFailure(filter: filter, isUnsubscribe: true, reason: Self.describe(error))))
            }
        case .clearRetained(let topics):
            var failures: [String] = []
            for topic in topics {
                let outcome = await publish(topic: topic, payload: [], qos: .atLeastOnce, retain: true, properties: [])
                if let error = outcome.error { failures.append("\(topic): \(error)") }
            }
            let label = topics.count == 1 ? topics[0] : "\(topics.count) retained topics"
            outlet.push(.published(PublishOutcome(
                topic: label, acknowledgement: failures.isEmpty ? "cleared" : "failed",
                error: failures.isEmpty ? nil : failures.joined(separator: "; "))))
        case .quit, .copyToClipboard, .watchBroker, .disconnectClient, .restartBridge, .startRecording, .stopRecording, .export,
             .playback, .switchConnection, .ringBell, .runAlertCommand, .saveBoards:
            // The broker's commands go to `BrokerWatch` (and exist only with `--broker`); `c` to `ConnectionSwitcher`.
            break
        }
    }

    private func publish(topic: String, payload: [UInt8], qos: QoS, retain: Bool, properties: Properties) async -> PublishOutcome {
        guard let client else { return PublishOutcome(topic: topic, acknowledgement: "failed", error: "not connected") }
        do {
            let result = try await client.publish(
                topic: topic, payload: ByteBuffer(bytes: payload), qos: qos, retain: retain, properties: properties)
            let acknowledgement = switch qos {
            case .atMostOnce: "sent"
            case .atLeastOnce: "PUBACK"
            case .exactlyOnce: "PUBCOMP"
            }
            return PublishOutcome(topic: topic, acknowledgement: acknowledgement, reasonCode: result.reasonCode)
        } catch {
            return PublishOutcome(topic: topic, acknowledgement: "failed", error: Self.describe(error))
        }
    }

    // MARK: - Mapping (pure)

    static func map(_ event: MQTTClientEvent, maximumStoredPayload: Int) -> DashboardEvent? {
        switch event {
        case .connected:
            return .connection(.connected)
        case .message(let packet):
            return .message(received(packet, maximumStoredPayload: maximumStoredPayload, at: Date().timeIntervalSince1970))
        case .disconnected(let error):
            return .connection(.disconnected(error.map { describe($0) } ?? "disconnected"))
        case .reconnecting(let attempt, let delay):
            let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            return .connection(.reconnecting(at: Date().timeIntervalSince1970 + seconds, attempt: attempt))
        case .packetSent, .packetReceived:
            return nil
        }
    }

    /// The message as the dashboard keeps it: the payload copied (a slice would pin the whole
    /// network read buffer) and cut to `maximumStoredPayload`, `size` keeping the real length.
    static func received(_ packet: PublishPacket, maximumStoredPayload: Int, at time: Double) -> ReceivedMessage {
        let size = packet.payload.readableBytes
        let kept = min(size, max(0, maximumStoredPayload))
        var payload = ByteBufferAllocator().buffer(capacity: kept)
        payload.writeBytes(packet.payload.readableBytesView.prefix(kept))
        return ReceivedMessage(
            topic: packet.topic, payload: payload, size: size, qos: packet.qos, retain: packet.retain, dup: packet.dup,
            properties: packet.properties, receivedAt: time)
    }

    /// One line for the status bar, in the words `mqdash sub` uses.
    static func describe(_ error: any Error) -> String {
        if case MQTTClientError.incomingPacketTooLarge(let size, let maximum)? = error as? MQTTClientError {
            // Short enough for the bar's 60 characters, with the size and the flag that raises the maximum.
            return "got a " + (size.map { "\($0)-byte packet" } ?? "WebSocket frame") + ", over --max-packet \(maximum)"
        }
        var text = CommandFailure.connect(error, quiet: false).message ?? "\(error)"
        for prefix in ["Error: ", "Connection error: "] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        return text
    }
}
