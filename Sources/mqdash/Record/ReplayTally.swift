import Foundation
import MQTTClient
import MQTTCore
import MQTTRecording
import NIOConcurrencyHelpers

/// The counts of a replay, updated from the client's event loop (acks) and the reading task; read for the
/// progress line and the summary.
final class ReplayTally: Sendable {
    private struct Counts {
        var handed = 0
        var written = 0
        var acknowledged = 0
        var refused: [(line: Int, reason: String)] = []
        var failed: [(line: Int, reason: String)] = []
        var filtered = 0
        var invalid: [(line: Int, reason: String)] = []
        var skippedLines = 0
        var skipped: [RecordingReader.SkippedLine] = []
        var readErrors: [String] = []
    }

    /// Lines named one by one in the summary; the rest are counted.
    static let namedLines = 20
    private let counts = NIOLockedValueBox(Counts())

    func handed(_ count: Int) { counts.withLockedValue { $0.handed += count } }
    func filtered() { counts.withLockedValue { $0.filtered += 1 } }
    func invalid(line: Int, reason: String) { counts.withLockedValue { $0.invalid.append((line, reason)) } }

    func completed(line: Int, qos: QoS, result: PublishResult) {
        counts.withLockedValue {
            if result.reasonCode.isFailure {
                $0.refused.append((line, result.reasonCode.name))
            } else if qos == .atMostOnce {
                $0.written += 1
            } else {
                $0.acknowledged += 1
            }
        }
    }

    func failed(line: Int, error: any Error) {
        counts.withLockedValue { $0.failed.append((line, "\(error)")) }
    }

    func finishedReading(_ reader: RecordingReader) {
        counts.withLockedValue {
            // --loop reads the file again: its bad lines are the same, so count them once.
            guard $0.skipped.isEmpty && $0.readErrors.isEmpty else { return }
            $0.skippedLines += reader.skippedCount
            $0.skipped += reader.skipped
            if let error = reader.readError { $0.readErrors.append(error) }
        }
    }

    /// Handed to the client and not yet written or acknowledged.
    var outstanding: Int {
        counts.withLockedValue { $0.handed - $0.written - $0.acknowledged - $0.refused.count - $0.failed.count }
    }

    var failedCount: Int { counts.withLockedValue { $0.failed.count + $0.refused.count } }

    func progressText(fileOffset: Int64, fileSize: Int64?, pass: Int?, elapsed: Duration) -> String {
        let sent = counts.withLockedValue { $0.handed }
        var text = "replaying: \(sent) messages"
        if let fileSize, fileSize > 0 {
            let fraction = min(1, Double(fileOffset) / Double(fileSize))
            text += String(format: ", %.0f%%", fraction * 100)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if fraction > 0.01 && pass == nil { text += ", ETA \(Int(seconds / fraction - seconds)) s" }
        }
        if let pass { text += ", pass \(pass)" }
        return text
    }

    func summary(file: String, interrupted: Bool) -> [String] {
        counts.withLockedValue { counts in
            var lines = [
                "\(interrupted ? "Interrupted" : "Replayed") \(file): \(counts.handed) sent, \(counts.written) written (QoS 0), "
                    + "\(counts.acknowledged) acknowledged (QoS 1/2), \(counts.refused.count) refused, \(counts.failed.count) failed, "
                    + "\(counts.filtered) filtered out, \(counts.skippedLines + counts.invalid.count) lines skipped."
            ]
            let named: [(Int, String)] =
                (counts.skipped.map { ($0.lineNumber, $0.reason) } + counts.invalid + counts.refused.map { ($0.line, "refused: \($0.reason)") }
                + counts.failed.map { ($0.line, "failed: \($0.reason)") }).sorted { $0.0 < $1.0 }
            for (line, reason) in named.prefix(Self.namedLines) { lines.append("  line \(line): \(reason)") }
            if named.count > Self.namedLines { lines.append("  ... and \(named.count - Self.namedLines) more") }
            for error in counts.readErrors { lines.append("  the file ends early: \(error)") }
            return lines
        }
    }
}
