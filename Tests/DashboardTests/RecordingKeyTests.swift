import XCTest

@testable import Dashboard

/// `R`: the file prompt, the commands it gives, and what the status bar shows while recording.
final class RecordingKeyTests: XCTestCase {
    func testRAsksForATimestampedFileAndEnterStartsRecordingEverything() {
        var state = Fixture.house()
        XCTAssertEqual(Fixture.press(&state, .character("R")), [])
        // t0 + 5 s = 2023-11-14 22:13:25 UTC.
        XCTAssertEqual(state.prompt?.purpose, .recordFile)
        XCTAssertEqual(state.prompt?.text, "mqdash-20231114-221325.jsonl")
        XCTAssertTrue(Fixture.screen(state).last!.hasPrefix("record to (.gz compresses): mqdash-20231114-221325.jsonl"))
        Fixture.type(&state, ".gz")
        XCTAssertEqual(Fixture.press(&state, .enter), [.startRecording(path: "mqdash-20231114-221325.jsonl.gz", filter: nil)])
        XCTAssertNil(state.prompt)
    }

    func testWithALogFilterOnlyItsMatchesAreRecorded() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .character("f"))
        Fixture.type(&state, "livingroom/#")
        _ = Fixture.press(&state, .enter)
        _ = Fixture.press(&state, .character("R"), .control("u"))
        Fixture.type(&state, "out.jsonl")
        XCTAssertEqual(Fixture.press(&state, .enter), [.startRecording(path: "out.jsonl", filter: "livingroom/#")])
    }

    func testEscapeOrAnEmptyNameRecordsNothing() {
        var state = Fixture.house()
        XCTAssertEqual(Fixture.press(&state, .character("R"), .escape), [])
        XCTAssertEqual(Fixture.press(&state, .character("R"), .control("u"), .enter), [])
        XCTAssertNil(state.recording)
    }

    func testStatusBarShowsRECWithCountAndSizeAndRStops() {
        var state = Fixture.house(width: 100)
        _ = update(&state, .recording(.running(RecordingStatus(path: "a.jsonl", messages: 12_345, bytes: 1_234_567))))
        XCTAssertTrue(Fixture.screen(state).last!.hasPrefix(" connected  REC 12.3k 1.2 MB "), Fixture.screen(state).last!)
        XCTAssertEqual(Fixture.press(&state, .character("R")), [.stopRecording])
        XCTAssertNil(state.prompt, "R while recording stops, it does not ask")
        _ = update(&state, .recording(.stopped(RecordingStatus(path: "a.jsonl", messages: 12_400, bytes: 1_240_000), error: nil)))
        XCTAssertNil(state.recording)
        XCTAssertTrue(Fixture.screen(state).last!.contains("recorded 12.4k messages, 1.2 MB to a.jsonl"), Fixture.screen(state).last!)
    }

    func testDroppedMessagesAreShownWhileRecording() {
        var state = Fixture.house(width: 100)
        _ = update(&state, .recording(.running(RecordingStatus(path: "a.jsonl", messages: 5, bytes: 500, dropped: 7))))
        XCTAssertTrue(Fixture.screen(state).last!.contains("REC 5 500 B 7 dropped"), Fixture.screen(state).last!)
    }

    func testAWriteErrorStopsItWithTheReasonAndTheDashboardGoesOn() {
        var state = Fixture.house(width: 120)
        _ = update(&state, .recording(.running(RecordingStatus(path: "a.jsonl", messages: 5, bytes: 500))))
        _ = update(&state, .recording(.stopped(
            RecordingStatus(path: "a.jsonl", messages: 9, bytes: 900), error: "a.jsonl: No space left on device")))
        XCTAssertNil(state.recording)
        let bar = Fixture.screen(state).last!
        XCTAssertTrue(bar.contains("recording stopped: a.jsonl: No space left on device (9 messages, 900 B kept)"), bar)
        XCTAssertFalse(bar.contains("REC"))
        _ = update(&state, .message(Fixture.message("garage/door", "closed", at: 6)))
        XCTAssertEqual(state.totalMessages, 9)
    }

    func testFileStampAndSizes() {
        XCTAssertEqual(Format.fileStamp(0), "19700101-000000")
        XCTAssertEqual(Format.fileStamp(951_782_400), "20000229-000000")
        XCTAssertEqual(Format.fileStamp(1_798_761_599), "20261231-235959")
        XCTAssertEqual(Format.fileStamp(-1), "19691231-235959")
        XCTAssertEqual(Format.bytes(999), "999 B")
        XCTAssertEqual(Format.bytes(1_000), "1.0 kB")
        XCTAssertEqual(Format.bytes(45_600_000), "45.6 MB")
    }
}
