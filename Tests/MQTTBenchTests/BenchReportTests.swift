import Foundation
import Histogram
import NIOCore
import XCTest

@testable import MQTTBench

/// Percentiles, the per-second and summary lines, JSON, and the payload header that feeds them.
final class BenchReportTests: XCTestCase {
    func testMilliseconds() {
        let microseconds: [(UInt64, String)] = [(0, "0.000 ms"), (7, "0.007 ms"), (412, "0.412 ms"), (1_210, "1.210 ms"), (12_345_678, "12345.678 ms")]
        for (value, text) in microseconds { XCTAssertEqual(BenchFormat.milliseconds(value), text) }
        XCTAssertEqual(BenchFormat.seconds(9.96), "10.0 s")
        XCTAssertEqual(BenchFormat.secondLabel(3), "[   3s]")
        XCTAssertEqual(BenchFormat.perSecond(1500, seconds: 0.5), 3000)
        XCTAssertEqual(BenchFormat.perSecond(10, seconds: 0), 0)
    }

    func testPercentilesFromTheHistogram() throws {
        var histogram = LatencyHistogram.latencies()
        // 1..1000 µs once each: p50 is 500, p99 990, p99.9 999, max 1000.
        for value in 1...1000 { histogram.recordMicroseconds(fromNanoseconds: UInt64(value) * 1000) }
        let summary = try XCTUnwrap(LatencySummary(histogram))
        XCTAssertEqual(summary.count, 1000)
        XCTAssertEqual(summary.p50, 500)
        XCTAssertEqual(summary.p99, 990)
        XCTAssertEqual(summary.p999, 999)
        XCTAssertEqual(summary.max, 1000)
        XCTAssertEqual(summary.mean, 500.5, accuracy: 0.5)
        XCTAssertEqual(summary.text, "p50 0.500 ms  p99 0.990 ms  p99.9 0.999 ms  max 1.000 ms")
        XCTAssertNil(LatencySummary(LatencyHistogram.latencies()), "no samples, no percentiles")
    }

    func testOutOfRangeLatenciesAreClampedNotLost() {
        var histogram = LatencyHistogram.latencies()
        histogram.recordMicroseconds(fromNanoseconds: 0)
        histogram.recordMicroseconds(fromNanoseconds: 3_600_000_000_000)
        XCTAssertEqual(histogram.totalCount, 2)
        XCTAssertEqual(histogram.min, 1)
    }

    func testSamplesAdd() {
        var total = BenchSample()
        var first = BenchSample()
        first.sent = 10
        first.received = 8
        first.latency.record(100)
        first.lastReceivedAt = 50
        var second = BenchSample()
        second.sent = 5
        second.duplicated = 1
        second.latency.record(300)
        second.lastReceivedAt = 40
        second.firstError = "boom"
        total.add(first)
        total.add(second)
        XCTAssertEqual(total.sent, 15)
        XCTAssertEqual(total.received, 8)
        XCTAssertEqual(total.duplicated, 1)
        XCTAssertEqual(total.latency.totalCount, 2)
        XCTAssertEqual(total.lastReceivedAt, 50)
        XCTAssertEqual(total.firstError, "boom")
    }

    func testRecorderCollectStartsAgain() {
        let recorder = BenchRecorder()
        recorder.current.sent = 3
        recorder.current.latency.record(10)
        recorder.recordFailure("refused")
        let sample = recorder.collect()
        XCTAssertEqual(sample.sent, 3)
        XCTAssertEqual(sample.failed, 1)
        XCTAssertEqual(sample.latency.totalCount, 1)
        let next = recorder.collect()
        XCTAssertEqual(next.sent, 0)
        XCTAssertEqual(next.failed, 0)
        XCTAssertEqual(next.latency.totalCount, 0)
        XCTAssertNil(next.firstError)
    }

    /// A `bench pub` of one publisher and one subscriber, everything delivered; the arguments change what a variant changes.
    private func result(
        mode: String = "pub", publishers: Int = 1, subscribers: Int = 1, qos: Int = 1, acked: UInt64? = 1000,
        expected: UInt64? = 1000, lost: UInt64? = 0,
        latency: LatencySummary? = LatencySummary(count: 1000, p50: 412, p99: 1210, p999: 2003, max: 3100, mean: 450)
    ) -> PubSubResult {
        PubSubResult(
            mode: mode, broker: "mqtt://127.0.0.1:1883", publishers: publishers, subscribers: subscribers, qos: qos, payloadBytes: 64,
            seconds: 10, sent: 1000, acked: acked, received: 1000, expected: expected, lost: lost, duplicated: 0, sentPerSecond: 100,
            receivedPerSecond: 100, latency: latency, failures: 0)
    }

    func testSummaryLine() {
        XCTAssertEqual(
            result().summaryLine,
            "bench pub: 10.0 s, 1 publisher -> 1 subscriber, QoS 1, 64 B: sent 1000 (100/s), acked 1000, received 1000 (100/s), "
                + "lost 0, duplicated 0, latency p50 0.412 ms  p99 1.210 ms  p99.9 2.003 ms  max 3.100 ms")
        let publishOnly = result(publishers: 3, subscribers: 0, qos: 0, acked: nil, expected: nil, lost: nil)
        XCTAssertEqual(publishOnly.summaryLine, "bench pub: 10.0 s, 3 publishers, QoS 0, 64 B: sent 1000 (100/s)")
        let sub = result(mode: "sub", publishers: 0, subscribers: 2, acked: nil, lost: nil, latency: nil)
        XCTAssertEqual(sub.summaryLine, "bench sub: 10.0 s, 2 subscribers, QoS 1: received 1000 (100/s), duplicated 0, latency n/a")
    }

    func testJSON() throws {
        let text = BenchFormat.json(result())
        XCTAssertFalse(text.contains("\n"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(object["sent"] as? Int, 1000)
        XCTAssertEqual(object["received_per_s"] as? Int, 100)
        XCTAssertEqual(object["lost"] as? Int, 0)
        let latency = try XCTUnwrap(object["latency"] as? [String: Any])
        XCTAssertEqual(latency["p50_us"] as? Int, 412)
        XCTAssertEqual(latency["p99_9_us"] as? Int, 2003)
        XCTAssertEqual(latency["max_us"] as? Int, 3100)
        let decoded = try JSONDecoder().decode(PubSubResult.self, from: Data(text.utf8))
        XCTAssertEqual(decoded, result())
    }

    func testIntervalAndConnLines() {
        let line = IntervalLine(
            second: 2, showsSent: true, showsReceived: true, sent: 150_000, received: 149_990,
            latency: LatencySummary(count: 1, p50: 500, p99: 900, p999: 950, max: 1000, mean: 500), failures: 0)
        XCTAssertEqual(line.text, "[   2s]  sent 150000/s  recv 149990/s  p50 0.500 ms  p99 0.900 ms  p99.9 0.950 ms  max 1.000 ms")
        let conn = ConnResult(
            broker: "mqtt://127.0.0.1:1883", connections: 50, connected: 50, failed: 0, dropped: 0, heldSeconds: 2,
            connectPerSecond: 500, connectLatency: LatencySummary(count: 50, p50: 800, p99: 2000, p999: 2100, max: 2100, mean: 900),
            firstError: nil)
        XCTAssertEqual(
            conn.summaryLine,
            "bench conn: 50 connections, 50 connected (500/s), 0 failed, 0 dropped, held 2.0 s, connect p50 0.800 ms  p99 2.000 ms  p99.9 2.100 ms  max 2.100 ms")
    }

    func testPayloadHeaderRoundTrip() throws {
        let header = BenchPayloadHeader(sentAt: 123_456_789, publisher: 7, sequence: 42)
        let payload = header.payload(size: 64, allocator: ByteBufferAllocator())
        XCTAssertEqual(payload.readableBytes, 64)
        XCTAssertEqual(BenchPayloadHeader(reading: payload), header)
        XCTAssertEqual(payload.getInteger(at: 0, as: UInt64.self), 123_456_789, "the send time is in the first 8 bytes")
        XCTAssertNil(BenchPayloadHeader(reading: ByteBuffer(string: "24.1")), "other payloads carry no header")
        XCTAssertNil(BenchPayloadHeader(reading: ByteBuffer(repeating: 0, count: 64)), "no marker, no header")
    }

    func testSequenceTrackerCountsRepeatsInAnyOrder() {
        var tracker = SequenceTracker()
        XCTAssertTrue(tracker.insert(0))
        XCTAssertTrue(tracker.insert(2))
        XCTAssertFalse(tracker.insert(0))
        XCTAssertFalse(tracker.insert(2))
        XCTAssertTrue(tracker.insert(1))
        XCTAssertEqual(tracker.contiguous, 3)
        XCTAssertFalse(tracker.insert(1))
        XCTAssertTrue(tracker.insert(3))
    }
}
