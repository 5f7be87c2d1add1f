import Dashboard
import DashboardApp
import Foundation
import MQTTCore
import MQTTRecording
import NIOCore
import TestSupport
import XCTest

@testable import mqdash

/// The file side of the dashboard's `R` and `e`: what reaches the file and what the UI is told.
final class DashboardFileTests: TemporaryDirectoryTestCase {
    private func packet(_ topic: String, _ payload: String) -> PublishPacket {
        PublishPacket(topic: topic, payload: ByteBuffer(string: payload), qos: .atMostOnce, retain: false)
    }

    private func reports(_ queue: EventQueue) -> [RecordingReport] {
        queue.drain().compactMap { if case .recording(let report) = $0 { report } else { nil } }
    }

    func testRecorderWritesWhatMatchesAndReportsStartAndStop() throws {
        let queue = EventQueue()
        let recorder = DashboardRecorder(queue: queue, brokerURL: "mqtt://127.0.0.1:1883", filters: ["#"])
        let file = path("r.jsonl")
        recorder.offer(packet("a/1", "before"), at: 1)  // not recording yet
        recorder.start(path: file, filter: "a/#")
        recorder.offer(packet("a/1", "x"), at: 1_796_289_120)
        recorder.offer(packet("b/1", "filtered out"), at: 1_796_289_121)
        recorder.offer(packet("a/2", "y"), at: 1_796_289_122)
        recorder.finish()
        recorder.offer(packet("a/3", "after"), at: 1_796_289_123)
        let reader = try RecordingReader(path: file)
        var topics: [String] = []
        while let next = reader.next() { topics.append(next.message.topic + "=" + String(decoding: next.message.payload, as: UTF8.self)) }
        XCTAssertEqual(topics, ["a/1=x", "a/2=y"])
        XCTAssertEqual(reader.header?.filters, ["a/#"])
        let seen = reports(queue)
        guard case .running(let started)? = seen.first, case .stopped(let stopped, let error)? = seen.last else { return XCTFail("\(seen)") }
        XCTAssertEqual(started.messages, 0)
        XCTAssertEqual(stopped.messages, 2)
        XCTAssertNil(error)
        XCTAssertEqual(stopped.bytes, Int64(try Data(contentsOf: URL(fileURLWithPath: file)).count))
    }

    func testRecorderRefusesAnExistingFileAndSaysWhyItCannotStart() throws {
        let queue = EventQueue()
        let recorder = DashboardRecorder(queue: queue, brokerURL: "b", filters: ["#"])
        let existing = path("exists.jsonl")
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: existing))
        recorder.start(path: existing, filter: nil)
        guard case .stopped(_, let error?)? = reports(queue).last else { return XCTFail("no error") }
        XCTAssertTrue(error.contains("exists"), error)
        XCTAssertEqual(try String(contentsOfFile: existing, encoding: .utf8), "keep me\n")
        // A file that cannot be created: the reason, and no recording running.
        recorder.start(path: path("missing-dir/r.jsonl"), filter: nil)
        guard case .stopped(_, let error?)? = reports(queue).last else { return XCTFail("no error") }
        XCTAssertTrue(error.contains("No such file or directory"), error)
    }

    func testExporterWritesJSONLinesCSVAndASeries() throws {
        let messages = [
            ReceivedMessage(topic: "t/a", payload: ByteBuffer(string: "1,5"), qos: .atLeastOnce, retain: true, receivedAt: 1_796_289_120),
            ReceivedMessage(topic: "t/b", payload: ByteBuffer(bytes: [0xFF, 0x01]), receivedAt: 1_796_289_120.5),
        ]
        let jsonl = path("e.jsonl")
        XCTAssertEqual(DashboardExporter.write(ExportRequest(path: jsonl, format: .jsonl, content: .messages(messages))),
                       ExportOutcome(path: jsonl, rows: 2))
        let reader = try RecordingReader(path: jsonl)
        XCTAssertEqual(reader.next()?.message.payload, Array("1,5".utf8))
        XCTAssertEqual(reader.next()?.message.payload, [0xFF, 0x01])

        let csv = path("e.csv")
        _ = DashboardExporter.write(ExportRequest(path: csv, format: .csv, content: .messages(messages)))
        XCTAssertEqual(try String(contentsOfFile: csv, encoding: .utf8),
                       "time,topic,qos,retain,payload,payload_b64\r\n2026-12-03T09:12:00.000000Z,t/a,1,true,\"1,5\",\r\n"
                       + "2026-12-03T09:12:00.500000Z,t/b,0,false,,/wE=\r\n")

        let series = path("s.csv")
        _ = DashboardExporter.write(ExportRequest(path: series, format: .csv, content: .series([
            PlotSeries(name: "t/a", points: [PlotPoint(time: 1_796_289_120, value: 21.5)]),
        ])))
        XCTAssertEqual(try String(contentsOfFile: series, encoding: .utf8), "time,value\r\n2026-12-03T09:12:00.000000Z,21.5\r\n")

        // With overlays: all points in time order, each naming its series (quoted when it holds a comma).
        let overlaid = path("o.csv")
        let outcome = DashboardExporter.write(ExportRequest(path: overlaid, format: .csv, content: .series([
            PlotSeries(name: "t/a", points: [PlotPoint(time: 1_796_289_120, value: 21.5), PlotPoint(time: 1_796_289_122, value: 22)]),
            PlotSeries(name: "t/b,c on", points: [PlotPoint(time: 1_796_289_121, value: 1)]),
        ])))
        XCTAssertEqual(outcome.rows, 3)
        XCTAssertEqual(try String(contentsOfFile: overlaid, encoding: .utf8),
                       "time,series,value\r\n2026-12-03T09:12:00.000000Z,t/a,21.5\r\n2026-12-03T09:12:01.000000Z,\"t/b,c on\",1.0\r\n"
                       + "2026-12-03T09:12:02.000000Z,t/a,22.0\r\n")

        let again = DashboardExporter.write(ExportRequest(path: csv, format: .csv, content: .messages(messages)))
        XCTAssertEqual(again.rows, 0)
        XCTAssertTrue(again.error?.contains("exists") == true)
    }

    /// A topic shown through a decoder: JSON Lines gain "decoded" (and still open as a recording), CSV a last
    /// column, empty for the topics shown as they came.
    func testExportsCarryTheDecodedValue() throws {
        let messages = [
            ReceivedMessage(topic: "t/a", payload: ByteBuffer(bytes: [0x81, 0xA1, 0x74, 0x01]), receivedAt: 1_796_289_120),
            ReceivedMessage(topic: "t/b", payload: ByteBuffer(string: "on"), receivedAt: 1_796_289_120.5),
        ]
        let decoded: [String?] = [#"{"t":1}"#, nil]
        let jsonl = path("d.jsonl")
        _ = DashboardExporter.write(ExportRequest(path: jsonl, format: .jsonl, content: .messages(messages), decoded: decoded))
        let lines = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(lines[0].hasSuffix(#","payload_b64":"gaF0AQ==","decoded":{"t":1}}"#), String(lines[0]))
        XCTAssertFalse(lines[1].contains("decoded"), String(lines[1]))
        let reader = try RecordingReader(path: jsonl)
        XCTAssertEqual(reader.next()?.message.payload, [0x81, 0xA1, 0x74, 0x01], "the file still opens as a recording")

        let csv = path("d.csv")
        _ = DashboardExporter.write(ExportRequest(path: csv, format: .csv, content: .messages(messages), decoded: decoded))
        XCTAssertEqual(try String(contentsOfFile: csv, encoding: .utf8),
                       "time,topic,qos,retain,payload,payload_b64,decoded\r\n2026-12-03T09:12:00.000000Z,t/a,0,false,,gaF0AQ==,\"{\"\"t\"\":1}\"\r\n"
                       + "2026-12-03T09:12:00.500000Z,t/b,0,false,on,,\r\n")
    }
}
