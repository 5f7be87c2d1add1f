import NIOConcurrencyHelpers
import NIOCore

/// Runs `bench pub` (publishers, optionally with subscribers for latency) and `bench sub`.
public struct PubSubRunner: Sendable {
    public enum Mode: String, Sendable { case pub, sub }

    var mode: Mode
    var target: BenchTarget
    var shape: LoadShape
    var connectRate: Double
    /// Per-second lines go here (stdout, or stderr when stdout carries JSON).
    var printLine: @Sendable (String) -> Void

    public init(mode: Mode, target: BenchTarget, shape: LoadShape, connectRate: Double, printLine: @escaping @Sendable (String) -> Void) {
        self.mode = mode
        self.target = target
        self.shape = shape
        self.connectRate = connectRate
        self.printLine = printLine
    }

    /// How long publishers may take to get their last acknowledgements after stopping.
    static let ackGrace: Duration = .seconds(10)
    /// How long subscribers may take to receive the last messages after the publishers stopped.
    static let drainGrace: Duration = .seconds(3)

    public func run() async throws -> PubSubResult {
        let publisherCount = mode == .pub ? shape.publishers : 0
        try FileDescriptorLimit.ensureRoom(for: publisherCount + shape.subscribers)
        let fleet = try BenchFleet(target: target)
        do {
            let result = try await run(fleet: fleet, publisherCount: publisherCount)
            await fleet.shutdown()
            return result
        } catch {
            await fleet.shutdown()
            throw error
        }
    }

    private func run(fleet: BenchFleet, publisherCount: Int) async throws -> PubSubResult {
        let subscriberPlans = (0..<shape.subscribers).map { index in
            BenchClientPlan(
                role: .subscriber(index: index, filter: shape.filter(forSubscriber: index)),
                clientID: "\(target.clientIDPrefix)-sub-\(index)", qos: shape.qos)
        }
        let subscribers = await fleet.openAll(subscriberPlans, rate: connectRate)
        try await Self.awaitReady(subscribers, closingOnFailure: subscribers, fleet: fleet)

        let publisherPlans = (0..<publisherCount).map { index in
            BenchClientPlan(
                role: .publisher(index: index, topic: shape.topic(forPublisher: index)),
                clientID: "\(target.clientIDPrefix)-pub-\(index)", qos: shape.qos, payloadSize: shape.payloadSize,
                inflight: shape.inflight, rate: shape.rate, count: shape.count)
        }
        let publishers = await fleet.openAll(publisherPlans, rate: connectRate)
        try await Self.awaitReady(publishers, closingOnFailure: subscribers + publishers, fleet: fleet)

        // Counting starts now: connecting is not part of the load.
        _ = await fleet.collect()
        let publishersDone = NIOLockedValueBox(0)
        for publisher in publishers {
            publisher.finished.whenComplete { _ in publishersDone.withLockedValue { $0 += 1 } }
        }
        let start = BenchClock.nanoseconds()
        let clockStart = ContinuousClock.now
        BenchFleet.send(.startPublishing(at: start), to: publishers)

        var total = BenchSample()
        var second = 0
        let end = clockStart + .seconds(shape.duration)
        let receiveTarget = mode == .sub ? shape.count.map { UInt64($0) * UInt64(shape.subscribers) } : nil
        while ContinuousClock.now < end {
            let nextReport = min(clockStart + .seconds(second + 1), end)
            while ContinuousClock.now < nextReport {
                // Short naps that end on the report time, so that --duration ends the run on time.
                try? await Task.sleep(until: min(ContinuousClock.now + .milliseconds(20), nextReport), clock: .continuous)
                if mode == .pub && publishersDone.withLockedValue({ $0 }) == publisherCount { break }
            }
            let sample = await fleet.collect()
            total.add(sample)
            second += 1
            let elapsed = ContinuousClock.now - clockStart
            let window = elapsed - .seconds(second - 1)
            let seconds = window.asSeconds > 0.05 ? window.asSeconds : 1
            printLine(
                IntervalLine(
                    second: second, showsSent: mode == .pub, showsReceived: shape.subscribers > 0,
                    sent: BenchFormat.perSecond(sample.sent, seconds: seconds),
                    received: BenchFormat.perSecond(sample.received, seconds: seconds),
                    latency: LatencySummary(sample.latency), failures: sample.failed + sample.dropped
                ).text)
            if mode == .pub && publishersDone.withLockedValue({ $0 }) == publisherCount { break }
            if let receiveTarget, total.received >= receiveTarget { break }
            if total.dropped > 0 { break }
        }

        // Stop, let acknowledgements and the last deliveries arrive, then close.
        BenchFleet.send(.stopPublishing, to: publishers)
        let stoppedAt = BenchClock.nanoseconds()
        let ackDeadline = ContinuousClock.now + Self.ackGrace
        while publishersDone.withLockedValue({ $0 }) < publisherCount && ContinuousClock.now < ackDeadline {
            try? await Task.sleep(for: .milliseconds(10))
            total.add(await fleet.collect())
        }
        var sentPerPublisher = [Int](repeating: 0, count: publisherCount)
        var expected: UInt64?
        if mode == .pub {
            let receivers = shape.receiversPerPublisher(subscriberCount: shape.subscribers)
            if publishersDone.withLockedValue({ $0 }) == publisherCount {
                for (index, publisher) in publishers.enumerated() { sentPerPublisher[index] = (try? await publisher.finished.get()) ?? 0 }
                expected = zip(sentPerPublisher, receivers).reduce(0) { $0 + UInt64($1.0) * UInt64($1.1) }
            }
            let drainDeadline = ContinuousClock.now + Self.drainGrace
            while let expected, total.received - total.duplicated < expected, ContinuousClock.now < drainDeadline {
                try? await Task.sleep(for: .milliseconds(10))
                total.add(await fleet.collect())
            }
        }
        total.add(await fleet.collect())
        await BenchFleet.closeAll(subscribers + publishers)
        let closing = await fleet.collect()
        total.failed += closing.failed

        let sendSeconds = Double(stoppedAt - start) / 1e9
        let lastPublisherEnd = mode == .pub ? sendSeconds : Double(stoppedAt - start) / 1e9
        let receiveSeconds = total.lastReceivedAt > start ? Double(total.lastReceivedAt - start) / 1e9 : lastPublisherEnd
        let unique = total.received - total.duplicated
        var result = PubSubResult(
            mode: mode.rawValue, broker: target.description, publishers: publisherCount, subscribers: shape.subscribers,
            qos: Int(shape.qos.rawValue), payloadBytes: shape.payloadSize, seconds: (sendSeconds * 1000).rounded() / 1000,
            sent: total.sent, acked: mode == .pub && shape.qos.rawValue > 0 ? total.acked : nil, received: total.received,
            expected: expected, lost: expected.map { $0 > unique ? $0 - unique : 0 }, duplicated: total.duplicated,
            sentPerSecond: BenchFormat.perSecond(total.sent, seconds: sendSeconds),
            receivedPerSecond: BenchFormat.perSecond(total.received, seconds: mode == .pub ? receiveSeconds : sendSeconds),
            latency: LatencySummary(total.latency), failures: total.failed + total.dropped)
        if shape.subscribers == 0 { result.expected = nil; result.lost = nil }
        if result.failures > 0, let reason = total.firstError {
            throw BenchFailure(result: result, reason: reason)
        }
        return result
    }

    /// Waits for every client to be connected (and subscribed); on the first failure closes them all and throws.
    static func awaitReady(_ clients: [OpenedClient], closingOnFailure all: [OpenedClient], fleet: BenchFleet) async throws {
        for client in clients {
            do {
                try await client.ready.get()
            } catch {
                await BenchFleet.closeAll(all, timeout: .seconds(1))
                throw error
            }
        }
    }
}

/// A run that finished but lost connections: the summary still prints, then the error line.
public struct BenchFailure: Error {
    public var result: PubSubResult
    public var reason: String
}

extension Duration {
    var asSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
