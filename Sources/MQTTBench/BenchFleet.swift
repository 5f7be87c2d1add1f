import NIOCore
import NIOPosix
import NIOSSL

/// A bench connection once opened: its channel (nil when it never connected) and its futures.
struct OpenedClient: Sendable {
    var channel: (any Channel)?
    var ready: EventLoopFuture<Void>
    var finished: EventLoopFuture<Int>
}

/// The event loops, their recorders, and the opening of many connections spread across them.
struct BenchFleet: Sendable {
    let target: BenchTarget
    let group: MultiThreadedEventLoopGroup
    let loops: [any EventLoop]
    let recorders: [BenchRecorder]
    private let tlsContext: NIOSSLContext?
    private let address: SocketAddress

    init(target: BenchTarget) throws {
        self.target = target
        tlsContext = try target.makeTLSContext()
        address = try target.resolveAddress()
        group = MultiThreadedEventLoopGroup(numberOfThreads: target.threads)
        loops = Array(group.makeIterator())
        recorders = loops.map { _ in BenchRecorder() }
    }

    func shutdown() async {
        try? await group.shutdownGracefully()
    }

    /// Starts opening one connection on loop `slot % loops.count`; never throws, the futures tell.
    func open(_ plan: BenchClientPlan, slot: Int) -> (channel: EventLoopFuture<any Channel>, ready: EventLoopFuture<Void>, finished: EventLoopFuture<Int>) {
        let loop = loops[slot % loops.count]
        let recorder = recorders[slot % loops.count]
        let ready = loop.makePromise(of: Void.self)
        let finished = loop.makePromise(of: Int.self)
        let connect = target.connectPacket(clientID: plan.clientID)
        let startedAt = BenchClock.nanoseconds()
        let target = self.target
        let channel = target.connect(to: address, on: loop, tlsContext: tlsContext) {
            BenchConnection(plan: plan, connect: connect, recorder: recorder, startedAt: startedAt, ready: ready, finished: finished)
        }
        channel.whenFailure { error in
            let reason = ConnectErrorText.describe(error, host: target.host, port: target.port)
            ready.fail(BenchError.connection(reason))
            finished.succeed(0)
        }
        // A failing connection reports on its loop; the first reason is kept for the error line.
        ready.futureResult.whenFailure { error in recorder.recordFailure("\(error)") }
        return (channel, ready.futureResult, finished.futureResult)
    }

    /// Opens `plans` at `rate` connections per second; `onAttempt` hears of each attempt as it starts.
    func openAll(_ plans: [BenchClientPlan], rate: Double) async -> [OpenedClient] {
        var opened: [(channel: EventLoopFuture<any Channel>, ready: EventLoopFuture<Void>, finished: EventLoopFuture<Int>)] = []
        opened.reserveCapacity(plans.count)
        let start = ContinuousClock.now
        for (index, plan) in plans.enumerated() {
            let due = start + .seconds(Double(index) / rate)
            // Sleep only when a millisecond or more ahead: high rates open in small bursts.
            if due - ContinuousClock.now > .milliseconds(1) { try? await Task.sleep(until: due, clock: .continuous) }
            opened.append(open(plan, slot: index))
        }
        var clients: [OpenedClient] = []
        clients.reserveCapacity(opened.count)
        for entry in opened {
            let channel = try? await entry.channel.get()
            clients.append(OpenedClient(channel: channel, ready: entry.ready, finished: entry.finished))
        }
        return clients
    }

    /// What every loop counted since the last call.
    func collect() async -> BenchSample {
        var total = BenchSample()
        for (loop, recorder) in zip(loops, recorders) {
            if let sample = try? await loop.submit({ recorder.collect() }).get() { total.add(sample) }
        }
        return total
    }

    static func send(_ control: BenchControl, to clients: [OpenedClient]) {
        for client in clients { client.channel?.pipeline.fireUserInboundEventTriggered(control) }
    }

    /// DISCONNECTs and closes every client; one that has not closed within `timeout` is closed hard.
    static func closeAll(_ clients: [OpenedClient], timeout: TimeAmount = .seconds(5)) async {
        send(.close, to: clients)
        for client in clients {
            guard let channel = client.channel else { continue }
            let forced = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
            try? await channel.closeFuture.get()
            forced.cancel()
        }
    }
}
