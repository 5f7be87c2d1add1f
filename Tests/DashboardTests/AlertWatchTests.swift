import Dashboard
import XCTest

/// Every rule driven by hand-picked times (the watch has no clock of its own).
final class AlertWatchTests: XCTestCase {
    private func feed(_ watch: inout AlertWatch, _ topic: String, _ payload: String, at time: Double) -> [String] {
        watch.received(topic: topic, payload: Array(payload.utf8), at: time).map(Self.line)
    }

    private func tick(_ watch: inout AlertWatch, at time: Double) -> [String] {
        watch.tick(at: time).map(Self.line)
    }

    private static func line(_ event: AlertEvent) -> String {
        "\(event.kind.rawValue) \(event.topic) \(event.value) @\(AlertCondition.format(event.time))"
    }

    func testAboveFiresOnceAndClearsOnlyPastTheHysteresis() {
        var watch = AlertWatch(rule: AlertRule(filter: "home/+/temp", condition: .above(30), damping: AlertDamping(hysteresis: 1)), start: 0)
        XCTAssertEqual(feed(&watch, "home/living/temp", "29.5 °C", at: 1), [])
        XCTAssertEqual(feed(&watch, "home/living/temp", "30.5 °C", at: 2), ["ALERT home/living/temp 30.5 °C @2"])
        XCTAssertEqual(feed(&watch, "home/living/temp", "31", at: 3), [], "already firing")
        XCTAssertEqual(feed(&watch, "home/living/temp", "29.5", at: 4), [], "within the hysteresis band")
        XCTAssertEqual(feed(&watch, "home/living/temp", "28.9", at: 5), ["CLEAR home/living/temp 28.9 @5"])
        XCTAssertEqual(feed(&watch, "home/kitchen/hum", "99", at: 6), [], "not the rule's filter")
    }

    func testEachTopicHasItsOwnState() {
        var watch = AlertWatch(rule: AlertRule(filter: "t/#", condition: .below(0)), start: 0)
        XCTAssertEqual(feed(&watch, "t/a", "-1", at: 1), ["ALERT t/a -1 @1"])
        XCTAssertEqual(feed(&watch, "t/b", "-2", at: 2), ["ALERT t/b -2 @2"])
        XCTAssertEqual(feed(&watch, "t/a", "1", at: 3), ["CLEAR t/a 1 @3"])
    }

    func testOutsideWithAJSONField() {
        var watch = AlertWatch(rule: AlertRule(filter: "s", field: "sensor.temp", condition: .outside(18, 26)), start: 0)
        XCTAssertEqual(feed(&watch, "s", #"{"sensor":{"temp":21}}"#, at: 1), [])
        XCTAssertEqual(feed(&watch, "s", #"{"sensor":{"temp":17.5}}"#, at: 2), ["ALERT s 17.5 @2"])
        XCTAssertEqual(feed(&watch, "s", #"{"other":1}"#, at: 3), [], "no value: nothing changes")
        XCTAssertEqual(feed(&watch, "s", #"{"sensor":{"temp":20}}"#, at: 4), ["CLEAR s 20 @4"])
        XCTAssertEqual(feed(&watch, "s", #"{"sensor":{"temp":27}}"#, at: 5), ["ALERT s 27 @5"])
    }

    func testAPayloadThatIsNotANumberIsIgnoredByNumericRules() {
        var watch = AlertWatch(rule: AlertRule(filter: "x", condition: .above(1)), start: 0)
        XCTAssertEqual(feed(&watch, "x", "offline", at: 1), [])
        XCTAssertEqual(feed(&watch, "x", "\u{1B}[31m5", at: 2), [])
        XCTAssertEqual(feed(&watch, "x", "5", at: 3), ["ALERT x 5 @3"])
    }

    func testChangedFiresOnEveryNewValueButNotOnTheFirst() {
        var watch = AlertWatch(rule: AlertRule(filter: "door", condition: .changed), start: 0)
        XCTAssertEqual(feed(&watch, "door", "closed", at: 1), [])
        XCTAssertEqual(feed(&watch, "door", "closed", at: 2), [])
        XCTAssertEqual(feed(&watch, "door", "open", at: 3), ["ALERT door open @3"])
        XCTAssertEqual(feed(&watch, "door", "closed", at: 4), ["ALERT door closed @4"])
    }

    func testEqualsFiresAndClears() {
        var watch = AlertWatch(rule: AlertRule(filter: "state", condition: .equals("alarm")), start: 0)
        XCTAssertEqual(feed(&watch, "state", "ok", at: 1), [])
        XCTAssertEqual(feed(&watch, "state", "alarm", at: 2), ["ALERT state alarm @2"])
        XCTAssertEqual(feed(&watch, "state", "ok", at: 3), ["CLEAR state ok @3"])
    }

    func testSilentCountsFromTheStartForATopicThatNeverSpeaks() {
        var watch = AlertWatch(rule: AlertRule(filter: "livingroom/temp", condition: .silent(seconds: 60)), start: 100)
        XCTAssertEqual(tick(&watch, at: 159), [])
        XCTAssertEqual(tick(&watch, at: 160), ["ALERT livingroom/temp  @160"])
        XCTAssertEqual(tick(&watch, at: 200), [], "fires once")
        XCTAssertEqual(feed(&watch, "livingroom/temp", "21", at: 201), ["CLEAR livingroom/temp 21 @201"])
        XCTAssertEqual(tick(&watch, at: 260), [])
        XCTAssertEqual(tick(&watch, at: 261), ["ALERT livingroom/temp  @261"])
    }

    func testSilentWithAWildcardWatchesOnlyTopicsSeen() {
        var watch = AlertWatch(rule: AlertRule(filter: "sensors/#", condition: .silent(seconds: 10)), start: 0)
        XCTAssertEqual(tick(&watch, at: 100), [])
        XCTAssertEqual(feed(&watch, "sensors/a", "1", at: 100), [])
        XCTAssertEqual(tick(&watch, at: 110), ["ALERT sensors/a  @110"])
    }

    func testRateAboveFiresOnAFloodAndClearsWhenItStops() {
        var watch = AlertWatch(rule: AlertRule(filter: "f", condition: .rateAbove(10)), start: 0)
        var fired: [String] = []
        for index in 0..<(100 * MessageRate.window) {
            fired += feed(&watch, "f", "x", at: 1 + Double(index) / 100)  // 100 messages a second
        }
        XCTAssertEqual(fired.count, 1, "\(fired)")
        XCTAssertTrue(fired.first?.hasPrefix("ALERT f x @") == true, "\(fired)")
        XCTAssertEqual(tick(&watch, at: 30).map { $0.hasPrefix("CLEAR f 0/s") }, [true])
    }

    func testMinimumDurationWaitsAndAShortSpikeNeverFires() {
        var watch = AlertWatch(rule: AlertRule(filter: "p", condition: .above(5), damping: AlertDamping(minimumDuration: 10)), start: 0)
        XCTAssertEqual(feed(&watch, "p", "6", at: 1), [])
        XCTAssertEqual(tick(&watch, at: 5), [])
        XCTAssertEqual(feed(&watch, "p", "4", at: 6), [], "the spike ended before 10 s")
        XCTAssertEqual(tick(&watch, at: 20), [])
        XCTAssertEqual(feed(&watch, "p", "7", at: 21), [])
        XCTAssertEqual(tick(&watch, at: 30), [])
        XCTAssertEqual(tick(&watch, at: 31), ["ALERT p 7 @31"])
    }

    /// The tick looks only at the topics waiting out the minimum duration, and reports them in topic order.
    func testWaitingTopicsFireOnTheTickInTopicOrder() {
        var watch = AlertWatch(rule: AlertRule(filter: "s/+", condition: .above(5), damping: AlertDamping(minimumDuration: 10)), start: 0)
        for (time, topic) in [(1.0, "s/c"), (2, "s/a"), (3, "s/b")] { XCTAssertEqual(feed(&watch, topic, "9", at: time), []) }
        XCTAssertEqual(feed(&watch, "s/quiet", "1", at: 4), [])
        XCTAssertEqual(feed(&watch, "s/b", "1", at: 5), [], "s/b stops waiting")
        XCTAssertEqual(tick(&watch, at: 13), ["ALERT s/a 9 @13", "ALERT s/c 9 @13"])
        XCTAssertEqual(tick(&watch, at: 14), [], "fired once, waiting no more")
    }

    func testTopicsBeyondTheLimitAreCountedNotKept() {
        var watch = AlertWatch(rule: AlertRule(filter: "#", condition: .changed), start: 0)
        for index in 0..<(AlertWatch.topicLimit + 5) {
            _ = watch.received(topic: "t/\(index)", payload: [0x31], at: 1)
        }
        XCTAssertEqual(watch.topicsNotWatched, 5)
    }
}
