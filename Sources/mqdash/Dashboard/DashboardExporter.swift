import Dashboard
import DashboardApp
import Foundation
import MQTTCore
import MQTTRecording

/// The file side of the dashboard's `e`: writes the rows `update` collected as recording lines (JSONL) or
/// CSV, off the UI thread, and reports the outcome. A name ending in `.gz` is compressed, as for recordings.
struct DashboardExporter: Sendable {
    let queue: EventQueue

    /// The export command; false for the others.
    func perform(_ command: DashboardCommand) -> Bool {
        guard case .export(let request) = command else { return false }
        let queue = queue
        Task.detached { queue.push(.exported(Self.write(request))) }
        return true
    }

    static func write(_ request: ExportRequest) -> ExportOutcome {
        // An existing file is refused, not overwritten: nothing is lost to a second `e` with the same name.
        if FileManager.default.fileExists(atPath: request.path) {
            return ExportOutcome(path: request.path, rows: 0, error: "\(request.path) exists; choose another name")
        }
        var rows = 0
        do throws(RecordingFileError) {
            let writer = try RecordingWriter(path: request.path)
            switch request.content {
            case .messages(let messages):
                // The decoded column only when some topic shows through a decoder: plain exports keep their shape.
                let hasDecoded = !request.decoded.isEmpty
                if request.format == .csv { try writer.write(line: hasDecoded ? CSVExport.decodedMessageHeader : CSVExport.messageHeader) }
                for (index, message) in messages.enumerated() {
                    let recorded = RecordedMessage(message)
                    let decoded = hasDecoded ? request.decoded[index] : nil
                    switch (request.format, hasDecoded) {
                    case (.csv, true): try writer.write(line: CSVExport.row(for: recorded, decoded: decoded))
                    case (.csv, false): try writer.write(line: CSVExport.row(for: recorded))
                    case (.jsonl, _): try writer.write(line: RecordLineEncoder.line(for: recorded, decodedJSON: decoded))
                    }
                    rows += 1
                }
            case .series(let series) where series.count == 1:
                try writer.write(line: CSVExport.seriesHeader)
                for point in series[0].points {
                    try writer.write(line: CSVExport.row(time: RecordTimestamp(seconds: point.time), value: point.value))
                    rows += 1
                }
            case .series(let series):
                // Overlays: every point of every series in time order, each row naming its series.
                try writer.write(line: CSVExport.namedSeriesHeader)
                let points = series.flatMap { one in one.points.map { (name: one.name, point: $0) } }
                for (name, point) in points.sorted(by: { $0.point.time < $1.point.time }) {
                    try writer.write(line: CSVExport.row(time: RecordTimestamp(seconds: point.time), series: name, value: point.value))
                    rows += 1
                }
            }
            try writer.close()
        } catch {
            return ExportOutcome(path: request.path, rows: rows, error: error.message)
        }
        return ExportOutcome(path: request.path, rows: rows)
    }
}

extension RecordTimestamp {
    /// Seconds since 1970, as the dashboard keeps times.
    init(seconds: Double) {
        self.init(microsecondsSince1970: Int64((seconds * 1_000_000).rounded()))
    }
}

extension RecordedMessage {
    /// A message as the dashboard kept it (its payload cut at `--max-payload`), with its v5 properties.
    init(_ message: ReceivedMessage) {
        let properties = message.properties
        self.init(
            time: RecordTimestamp(seconds: message.receivedAt), topic: message.topic,
            payload: Array(message.payload.readableBytesView), qos: message.qos.rawValue, retain: message.retain,
            userProperties: properties.userProperties.map { UserProperty($0.key, $0.value) },
            contentType: properties.contentType, responseTopic: properties.responseTopic,
            correlationData: properties.correlationData.map { Array($0.readableBytesView) },
            messageExpiry: properties.messageExpiryInterval, payloadFormat: properties.payloadFormatIndicator)
    }
}
