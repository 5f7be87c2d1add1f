import XCTest

@testable import Dashboard

/// `mqdash open --play`: the keys become player commands only while a recording plays; the status bar shows where.
final class PlaybackTests: XCTestCase {
    func testPlaybackKeysOnlyWhilePlaying() {
        var state = Fixture.house()
        XCTAssertEqual(Fixture.press(&state, .character("]")), [], "no player: not a playback key")
        _ = update(&state, .playback(PlaybackStatus(start: 100, end: 160, position: 112)))
        XCTAssertEqual(Fixture.press(&state, .character(" ")), [.playback(.togglePause)])
        XCTAssertEqual(Fixture.press(&state, .character("[")), [.playback(.scaleSpeed(0.5))])
        XCTAssertEqual(Fixture.press(&state, .character("]")), [.playback(.scaleSpeed(2))])
        XCTAssertEqual(Fixture.press(&state, .character("{")), [.playback(.jump(seconds: -10))])
        XCTAssertEqual(Fixture.press(&state, .character("}")), [.playback(.jump(seconds: 10))])
        XCTAssertEqual(Fixture.press(&state, .character("q")), [.quit], "the other keys keep their meaning")
    }

    func testStatusBarShowsStateSpeedAndPosition() {
        var state = Fixture.house(width: 100)
        _ = update(&state, .connection(.file))
        _ = update(&state, .playback(PlaybackStatus(start: 100, end: 3_800, position: 112.7, speed: 2)))
        XCTAssertTrue(Fixture.screen(state).last!.hasPrefix(" file  ▶ 2× 00:12 / 1:01:40 "), Fixture.screen(state).last!)
        _ = update(&state, .playback(PlaybackStatus(start: 100, end: 160, position: 160, speed: 0.25, paused: true)))
        XCTAssertTrue(Fixture.screen(state).last!.contains("⏸ 1/4× 01:00 / 01:00"), Fixture.screen(state).last!)
        _ = update(&state, .playback(PlaybackStatus(start: 100, end: 160, position: 160, finished: true)))
        XCTAssertTrue(Fixture.screen(state).last!.contains("■ 1× 01:00 / 01:00"), Fixture.screen(state).last!)
    }
}
