import ArgumentParser
import Foundation
import MQTTClient
import MQTTCore
import MQTTRecording
import NIOCore

/// `mqdash replay`: publishes a recording (mqdash's own, or `-F %J` output of mqdash sub / mosquitto_sub) with
/// its original timing scaled by `--speed`, or flat out with `--max`. Streams the file: memory stays flat.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Publish the messages of a recording again, with their original timing.",
        helpNames: [.long])

    @Argument(help: ArgumentHelp("The recording (.jsonl, .jsonl.gz, or mosquitto_sub -F %J output).", valueName: "file"))
    var file: String

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Play faster (2) or slower (0.5) than recorded.")
    var speed: Double = 1

    @Flag(help: "Publish as fast as possible, ignoring the recorded timing.")
    var max = false

    @Option(help: "Put this before every topic (after --strip-prefix).")
    var prefix: String?

    @Option(help: "Remove this from the start of every topic that has it.")
    var stripPrefix: String?

    @Option(name: .customShort("t"), help: "Replay only the messages whose recorded topic matches this filter; may be repeated.")
    var topics: [String] = []

    @Option(help: ArgumentHelp("Skip messages before this time (2026-12-03T09:12:00Z, or seconds after the first message).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Stop after this time (same forms as --from).", valueName: "time"))
    var to: String?

    @Flag(help: "Start over at the end of the file, until interrupted.")
    var loop = false

    @Option(name: [.customShort("q"), .customLong("qos")], help: "Publish every message with this QoS instead of its recorded one.")
    var qos: UInt8?

    @Flag(help: "Publish every message without the retain flag.")
    var noRetain = false

    /// Messages handed to the client before waiting for the oldest of them: keeps the pipe full at --max
    /// while packet ids (65535) and memory stay bounded.
    static let window = 4096

    func validate() throws {
        if let qos, !(0...2).contains(qos) { throw ValidationError("Invalid QoS given: \(qos)") }
        guard speed > 0, speed.isFinite else { throw ValidationError("Invalid --speed \(speed): must be above 0.") }
        if max && speed != 1 { throw ValidationError("Use --speed or --max, not both.") }
        if let from, ReplayPlan.TimeBound(argument: from) == nil { throw ValidationError("Invalid --from '\(from)': use 2026-12-03T09:12:00Z or seconds.") }
        if let to, ReplayPlan.TimeBound(argument: to) == nil { throw ValidationError("Invalid --to '\(to)': use 2026-12-03T09:12:00Z or seconds.") }
        for filter in topics {
            do throws(TopicValidationError) { try Topic.validateFilter(filter) } catch {
                throw ValidationError("Invalid topic filter '\(filter)', are all '+' and '#' wildcards correct?")
            }
        }
        if let prefix, prefix.contains(where: { $0 == "+" || $0 == "#" }) { throw ValidationError("--prefix may not contain + or #.") }
    }

    func run() async throws {
        let (configuration, properties, _) = try self.connection.applyingProfile().options.publisherConfiguration()
        let plan = ReplayPlan(
            filters: topics, from: from.flatMap(ReplayPlan.TimeBound.init(argument:)), to: to.flatMap(ReplayPlan.TimeBound.init(argument:)),
            stripPrefix: stripPrefix, prefix: prefix, qos: qos.flatMap(QoS.init(rawValue:)), noRetain: noRetain)
        // Read up to the first message before connecting: a missing file or one that is not a recording
        // is one clear error, and nothing is published.
        var reader = try Self.open(file)
        guard var next = reader.next() else {
            if let first = reader.skipped.first {
                throw ExitWithMessage(message: "Error: \(file) is not a recording: line \(first.lineNumber): \(first.reason).", code: 1)
            }
            throw ExitWithMessage(message: "Error: \(file) holds no messages.", code: 1)
        }
        let fileSize = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value

        let client = MQTTClient(configuration: configuration)
        let tally = ReplayTally()
        let status = StatusLine(enabled: isatty(STDERR_FILENO) == 1 && !connection.quiet)
        let quiet = connection.quiet
        let file = self.file
        SignalHandling.onInterrupt {
            status.end()
            await client.disconnect(properties: properties.disconnect)
            if !quiet { tally.summary(file: file, interrupted: true).forEach(Console.error) }
        }
        do {
            _ = try await client.connect()
        } catch {
            throw CommandFailure.connect(error, quiet: connection.quiet)
        }
        let started = ContinuousClock.now
        var schedule = ReplaySchedule(clock: ContinuousClock(), speed: max ? nil : speed)
        var pending: [EventLoopFuture<Void>] = []
        var batch = ReplayBatch()
        var lastStatus = started
        var pass = 1
        while true {
            let firstMessage = next.message.time
            while true {
                let (line, message) = next
                let batchesBefore = pending.count
                // --to: a recording is in time order, so nothing after it is wanted.
                if let to = plan.to, message.time > to.resolved(firstMessage: firstMessage) { break }
                switch plan.decide(message, firstMessage: firstMessage) {
                case .filtered: tally.filtered()
                case .invalid(let reason): tally.invalid(line: line, reason: reason)
                case .send(let packet):
                    if let deadline = schedule.deadline(for: message.time), deadline > .now {
                        // Send what is due before sleeping until this one is.
                        submit(&batch, client: client, tally: tally, into: &pending)
                        try? await ContinuousClock().sleep(until: deadline)
                    }
                    batch.append(line: line, packet: packet)
                    if batch.packets.count >= 256 { submit(&batch, client: client, tally: tally, into: &pending) }
                }
                // Bounded: at most `window` messages in the client, and a short list of batches to wait for. Both
                // grow only when a batch is handed over, so only then is the tally (a lock) asked.
                let handedABatch = pending.count > batchesBefore
                while handedABatch, !pending.isEmpty, pending.count > 64 || tally.outstanding > Self.window {
                    try? await pending.removeFirst().get()
                }
                if status.isEnabled, lastStatus.duration(to: .now) >= .milliseconds(250) {
                    lastStatus = .now
                    status.show(
                        tally.progressText(
                            fileOffset: reader.fileOffset, fileSize: fileSize, pass: loop ? pass : nil, elapsed: started.duration(to: .now)))
                }
                guard let following = reader.next() else { break }
                next = following
            }
            submit(&batch, client: client, tally: tally, into: &pending)
            tally.finishedReading(reader)
            guard loop else { break }
            pass += 1
            reader = try Self.open(file)
            guard let first = reader.next() else { break }
            next = first
            schedule.restart()
        }
        for future in pending { try? await future.get() }
        status.end()
        await client.disconnect(properties: properties.disconnect)
        if !connection.quiet { tally.summary(file: file, interrupted: false).forEach(Console.error) }
        if tally.failedCount > 0 { throw ExitWithMessage(message: nil, code: 1) }
    }

    private static func open(_ file: String) throws -> RecordingReader {
        do { return try RecordingReader(path: file) } catch { throw ExitWithMessage(message: "Error: \(error)", code: 1) }
    }

    /// Hands `batch` to the client in one event-loop turn (in order, one flush): one hop and one promise per
    /// batch, which succeeds once every message of it is written (QoS 0), acknowledged or failed.
    private func submit(_ batch: inout ReplayBatch, client: MQTTClient, tally: ReplayTally, into pending: inout [EventLoopFuture<Void>]) {
        guard !batch.packets.isEmpty else { return }
        let (lines, packets) = (batch.lines, batch.packets)
        batch.removeAll()
        tally.handed(packets.count)
        let done = client.eventLoop.makePromise(of: Void.self)
        client.eventLoop.execute {
            var remaining = packets.count
            client.publishInOrder(batch: packets) { index, result in
                switch result {
                case .success(let result): tally.completed(line: lines[index], qos: packets[index].qos, result: result)
                case .failure(let error): tally.failed(line: lines[index], error: error)
                }
                remaining -= 1
                if remaining == 0 { done.succeed() }
            }
        }
        pending.append(done.futureResult)
    }
}

/// Messages read and not yet handed to the client, with their line numbers for the summary.
struct ReplayBatch {
    private(set) var lines: [Int] = []
    private(set) var packets: [PublishPacket] = []

    mutating func append(line: Int, packet: PublishPacket) {
        lines.append(line)
        packets.append(packet)
    }

    mutating func removeAll() {
        lines.removeAll(keepingCapacity: true)
        packets.removeAll(keepingCapacity: true)
    }
}
