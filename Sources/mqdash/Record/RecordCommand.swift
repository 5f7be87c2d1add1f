import ArgumentParser
import Foundation
import MQTTClient
import MQTTCore
import MQTTRecording

/// `mqdash record`: subscribes like `mqdash sub` (same connection flags) and writes every message to a
/// recording (JSON Lines, see docs/usage/record.md) until stopped.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", abstract: "Record messages to a JSON Lines file (.gz: compressed), for 'mqdash replay'.",
        helpNames: [.long])

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customShort("t"), help: "Topic filter to record; may be repeated.")
    var topics: [String] = []

    @Option(name: .customShort("T"), help: "Topic filter whose messages are not recorded; may be repeated.")
    var filterOut: [String] = []

    @Option(name: .customShort("o"), help: ArgumentHelp("The recording to write (emptied first); a name ending in .gz is compressed.", valueName: "file"))
    var output: String

    @Option(name: .customShort("q"), help: "QoS of the subscriptions (a message is recorded with the lower of its own and this).")
    var qos: UInt8 = 2

    @Flag(help: "Record only the retained messages (a backup of the broker's retained topics), then exit.")
    var retainedOnly = false

    @Option(help: "Exit after recording this many messages.")
    var count: Int?

    @Option(help: ArgumentHelp("Exit after this many seconds.", valueName: "seconds"))
    var duration: Double?

    @Option(help: ArgumentHelp("Stop before the file would grow past this size (10k, 5M, 1G).", valueName: "bytes"))
    var maxSize: ByteSize?

    @Option(help: ArgumentHelp("At this size, rename the file to NAME.1.EXT (replacing the older one) and start a new one.", valueName: "bytes"))
    var rotate: ByteSize?

    /// `--retained-only`: the broker sends retained messages right after SUBACK; this long without one means all came.
    static let retainedQuietPeriod: Duration = .seconds(1)

    func validate() throws {
        guard (0...2).contains(qos) else { throw ValidationError("Invalid QoS given: \(qos)") }
        if let count, count <= 0 { throw ValidationError("Invalid --count \(count).") }
        if let duration, !(duration > 0) { throw ValidationError("Invalid --duration \(duration).") }
        if maxSize != nil && rotate != nil {
            throw ValidationError("Use --max-size (stop at a size) or --rotate (keep two files of that size), not both.")
        }
        try validateSubscriptionFilters(topics + filterOut)
    }

    func run() async throws {
        let (connection, _) = try self.connection.applyingProfile()
        let (configuration, properties, urlTopic) = try connection.subscriberConfiguration()
        let filters = topics + (urlTopic.map { [$0] } ?? [])
        guard !filters.isEmpty else { throw ValidationError("You must specify a topic to record (-t).") }

        let header = RecordingHeader(
            broker: "\(configuration.host):\(configuration.port)", filters: filters, start: .now(), tool: VersionText.line)
        let recorder: Recorder
        do {
            recorder = try Recorder(
                path: output, header: header, limits: Recorder.Limits(maximumSize: maxSize?.bytes, rotateSize: rotate?.bytes))
        } catch {
            throw ExitWithMessage(message: "Error: \(error)", code: 1)
        }
        // Messages are written from the client's event loop: a disk that lags holds the broker back through
        // TCP instead of filling memory.
        let intake = RecorderIntake(recorder: recorder, filterOut: filterOut, count: count, retainedOnly: retainedOnly)
        let client = MQTTClient(configuration: configuration, messageHandler: intake.take)
        let session = SubscriberSession(
            client: client, debug: connection.debug, quiet: connection.quiet, clientID: configuration.clientID,
            // -T, --count and --retained-only are the intake's: no message reaches the session.
            output: .recorderIntake, filterOut: [], count: nil, noRetained: false, retainedOnly: false,
            removeRetained: false)
        let quiet = connection.quiet
        intake.onEnd { reason in
            Task {
                switch reason {
                case .done: await session.stop()
                case .failed(let message): await session.fail(ExitWithMessage(message: quiet ? nil : message, code: 1))
                }
            }
        }
        let status = StatusLine(enabled: isatty(STDERR_FILENO) == 1 && !connection.quiet)
        let ticker = Task { await Self.tick(recorder: recorder, status: status) }
        // Records until the session ends, then closes the file and prints the summary: the one way out, which
        // the signal handler waits for too (it exits the process once its action returns).
        let recording = Task { () -> ExitWithMessage? in
            await session.consume()
            ticker.cancel()
            status.end()
            do { try recorder.finish() } catch { return ExitWithMessage(message: quiet ? nil : "Error: \(error)", code: 1) }
            Self.summary(recorder, quiet: quiet)
            return await session.failure
        }
        if let duration {
            Task {
                try await Task.sleep(for: .seconds(duration))
                await session.stop()
            }
        }
        SignalHandling.onInterrupt {
            // Stop taking messages first, so the file ends with a complete line; `recording` then closes it.
            await session.stop()
            _ = await recording.value
        }

        do {
            _ = try await client.connect()
        } catch {
            try? recorder.finish()
            throw CommandFailure.connect(error, quiet: connection.quiet)
        }
        // Retain as published (v5): a live message keeps its retain flag, so a replay sends it as it came.
        let subscriptions = filters.map {
            Subscription(filter: $0, options: SubscriptionOptions(qos: QoS(rawValue: qos)!, retainAsPublished: true))
        }
        do {
            _ = try await client.subscribe(subscriptions, properties: properties.subscribe)
        } catch {
            if await !session.isStopping {
                try? recorder.finish()
                throw CommandFailure.connect(error, quiet: connection.quiet)
            }
        }
        if retainedOnly {
            // The quiet period counts from the SUBACK, after which the broker sends the retained messages.
            intake.noteActivity()
            Task { await Self.endWhenRetainedStop(session, intake: intake) }
        }
        if let failure = await recording.value { throw failure }
    }

    /// `--retained-only`: ends the session once no message has come for `retainedQuietPeriod` (the session itself
    /// ends at the first live message).
    private static func endWhenRetainedStop(_ session: SubscriberSession, intake: RecorderIntake) async {
        while await !session.isStopping {
            let quiet = intake.lastMessageAt.duration(to: .now)
            if quiet >= retainedQuietPeriod {
                await session.stop()
                return
            }
            try? await Task.sleep(for: retainedQuietPeriod - quiet)
        }
    }

    /// The live counter (terminal only) and gzip's periodic flush.
    private static func tick(recorder: Recorder, status: StatusLine) async {
        var previous = (count: 0, time: ContinuousClock.now)
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            recorder.flush()
            let counts = recorder.counts
            let now = ContinuousClock.now
            let elapsed = previous.time.duration(to: now).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            let rate = seconds > 0 ? Double(counts.messages - previous.count) / seconds : 0
            previous = (counts.messages, now)
            status.show("recording: \(counts.messages) messages, \(StatusLine.bytes(counts.bytes)), \(Int(rate)) msg/s")
        }
    }

    private static func summary(_ recorder: Recorder, quiet: Bool) {
        guard !quiet else { return }
        let counts = recorder.counts
        var text = "Recorded \(counts.messages) messages (\(StatusLine.bytes(counts.bytes))) to \(recorder.path)"
        if counts.rotations > 0 { text += ", rotated \(counts.rotations) times (previous file: \(Recorder.rotatedPath(recorder.path)))" }
        if counts.stoppedAtLimit { text += "; stopped at --max-size" }
        Console.error(text + ".")
    }
}
