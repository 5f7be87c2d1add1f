import MQTTClient
import MQTTCore
import NIOCore
import Synchronization

/// `mqdash --demo`: publishes simulated home readings (see `DemoReadings`) to a broker with its own
/// client (`mqdash-demo`), a few messages per second, so the dashboard has something to show. It
/// announces itself with a retained `demo/README` and `demo/status` "online", and its will sets the
/// status to "offline" should it vanish; `stop()` does that itself.
actor DemoSimulator {
    static let clientID = "mqdash-demo"

    private let configuration: MQTTClientConfiguration
    private let interval: Duration
    private var readings: DemoReadings
    private var client: MQTTClient?
    private var publishing: Task<Void, Never>?

    /// `base` gives the broker and credentials (the dashboard's own); client id, will and session are the demo's.
    init(base: MQTTClientConfiguration, interval: Duration = .milliseconds(250), readings: DemoReadings = DemoReadings()) {
        var configuration = base
        configuration.clientID = Self.clientID
        configuration.cleanStart = true
        configuration.tracePackets = false
        configuration.reconnect = configuration.reconnect ?? ReconnectPolicy()
        let goodbye = DemoReadings.goodbye
        configuration.will = Will(topic: goodbye.topic, payload: ByteBuffer(bytes: goodbye.payload), qos: .atLeastOnce, retain: true)
        self.configuration = configuration
        self.interval = interval
        self.readings = readings
    }

    init(host: String, port: Int) {
        self.init(base: MQTTClientConfiguration(host: host, port: port))
    }

    /// Connects, publishes the retained announcements, then keeps publishing until `stop`.
    /// Throws when the first connection fails.
    func start() async throws {
        guard client == nil else { return }
        let client = MQTTClient(configuration: configuration)
        self.client = client
        // Nobody reads the demo client's events; drain them so they do not pile up.
        Task.detached { for await _ in client.events {} }
        do {
            _ = try await client.connect()
            for message in DemoReadings.announcements { try await send(message, qos: .atLeastOnce, on: client) }
        } catch {
            self.client = nil
            await client.closeAbruptly()
            throw error
        }
        publishing = Task { await self.publishReadings() }
    }

    /// Sets the retained status to "offline" and disconnects, waiting at most `timeout` for the broker
    /// so that quitting the dashboard never hangs on it.
    func stop(timeout: Duration = .seconds(1)) async {
        publishing?.cancel()
        publishing = nil
        guard let client else { return }
        self.client = nil
        let done = Mutex(false)
        let goodbye = DemoReadings.goodbye
        Task.detached {
            _ = try? await client.publish(topic: goodbye.topic, payload: ByteBuffer(bytes: goodbye.payload), retain: true)
            await client.disconnect()
            done.withLock { $0 = true }
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline && !done.withLock({ $0 }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func publishReadings() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled, let client else { return }
            // A reading lost while reconnecting is simply skipped: the next one is due shortly.
            try? await send(readings.next(), qos: .atMostOnce, on: client)
        }
    }

    private func send(_ message: DemoMessage, qos: QoS, on client: MQTTClient) async throws {
        _ = try await client.publish(topic: message.topic, payload: ByteBuffer(bytes: message.payload), qos: qos, retain: message.retain)
    }
}
