import MQTTCore
import NIOCore
import XCTest

@testable import Dashboard

/// The publish form's request toggle: response topic and correlation data out, the matching response shown.
final class PublishRequestTests: XCTestCase {
    private func openRequestForm() -> DashboardState {
        var state = Fixture.house(width: 120, height: 40)
        state.select(state.tree.node("garage/door")!)
        _ = Fixture.press(&state, .character("p"))
        Fixture.type(&state, "open")
        _ = Fixture.press(&state, .tab, .tab, .tab)
        XCTAssertEqual(state.publishForm.focus, .request)
        _ = Fixture.press(&state, .character(" "))
        XCTAssertTrue(state.publishForm.isRequest)
        XCTAssertEqual(state.publishForm.responseTopicEditor.text, "garage/door/response")
        return state
    }

    private func response(_ payload: String, correlation: [UInt8]?, at offset: Double) -> ReceivedMessage {
        var properties = Properties()
        if let correlation { properties.append(.correlationData(ByteBuffer(bytes: correlation))) }
        return ReceivedMessage(topic: "garage/door/response", payload: ByteBuffer(string: payload), properties: properties,
                               receivedAt: Fixture.t0 + offset)
    }

    func testARequestSubscribesThenPublishesWithResponseTopicAndCorrelationData() throws {
        var state = openRequestForm()
        // The house subscribes to `#` (covering the response topic): narrow it to see the subscribe.
        state.subscriptions = [Subscription(filter: "garage/door")]
        let commands = Fixture.press(&state, .control("s"))
        XCTAssertEqual(commands.count, 2)
        XCTAssertEqual(commands.first, .subscribe(filter: "garage/door/response", qos: .atMostOnce))
        guard case .publish(let topic, let payload, _, _, let properties) = commands.last else { return XCTFail("\(commands)") }
        XCTAssertEqual(topic, "garage/door")
        XCTAssertEqual(payload, Array("open".utf8))
        XCTAssertEqual(properties.responseTopic, "garage/door/response")
        let correlation = try XCTUnwrap(properties.correlationData)
        XCTAssertTrue(String(buffer: correlation).hasPrefix("mqdash-"))
        XCTAssertEqual(state.subscriptions.map(\.filter), ["garage/door", "garage/door/response"])
        XCTAssertEqual(state.publishForm.pendingRequest?.correlation, Array(correlation.readableBytesView))
    }

    func testTheMatchingResponseShowsInTheForm() throws {
        var state = openRequestForm()
        let commands = Fixture.press(&state, .control("s"))
        XCTAssertEqual(commands.count, 1, "`#` covers the response topic: no second subscription")
        let correlation = try XCTUnwrap(state.publishForm.pendingRequest?.correlation)
        let view = { DetailFixture.render(PublishFormView(form: state.publishForm, isV5: true), width: 76, height: 18) }
        XCTAssertTrue(view().contains("Response: waiting on garage/door/response…"), view().joined(separator: "\n"))

        // Another request's answer is not ours.
        _ = update(&state, .message(response("someone else's", correlation: Array("other".utf8), at: 5.1)))
        XCTAssertNil(state.publishForm.response)
        _ = update(&state, .message(response("opened", correlation: correlation, at: 5.25)))
        XCTAssertEqual(state.publishForm.response?.seconds ?? 0, 0.25, accuracy: 1e-6)
        XCTAssertNil(state.publishForm.pendingRequest)
        XCTAssertTrue(view().contains("Response (250 ms) on garage/door/response: opened"), view().joined(separator: "\n"))
        // Later messages on the topic do not replace it.
        _ = update(&state, .message(response("late", correlation: nil, at: 6)))
        XCTAssertEqual(String(buffer: state.publishForm.response!.message.payload), "opened")
    }

    func testWithoutAResponseTheFormSaysSoAfterTheTimeoutAndALateOneStillShows() throws {
        var state = openRequestForm()
        _ = Fixture.press(&state, .control("s"))
        let correlation = try XCTUnwrap(state.publishForm.pendingRequest?.correlation)
        let sentAt = try XCTUnwrap(state.publishForm.pendingRequest?.sentAt)
        let view = { DetailFixture.render(PublishFormView(form: state.publishForm, isV5: true), width: 120, height: 18) }
        _ = update(&state, .tick(now: sentAt + PublishFormState.requestTimeout - 0.1))
        XCTAssertTrue(view().contains("Response: waiting on garage/door/response…"), view().joined(separator: "\n"))
        _ = update(&state, .tick(now: sentAt + PublishFormState.requestTimeout))
        XCTAssertTrue(view().contains { $0 == "No response within 10 s (is a responder running?) on garage/door/response" },
                      view().joined(separator: "\n"))
        _ = update(&state, .message(response("slow but here", correlation: correlation, at: 30)))
        XCTAssertTrue(view().contains { $0.contains("on garage/door/response: slow but here") }, view().joined(separator: "\n"))
        XCTAssertFalse(state.publishForm.requestTimedOut)
    }

    func testAResponseWithoutCorrelationDataIsTaken() {
        var state = openRequestForm()
        _ = Fixture.press(&state, .control("s"))
        _ = update(&state, .message(response("ok", correlation: nil, at: 6)))
        XCTAssertEqual(state.publishForm.response.map { String(buffer: $0.message.payload) }, "ok")
    }

    func testABadResponseTopicIsAnErrorAndNothingIsSent() {
        var state = openRequestForm()
        _ = Fixture.press(&state, .tab)
        XCTAssertEqual(state.publishForm.focus, .responseTopic)
        Fixture.type(&state, "/#")
        XCTAssertEqual(Fixture.press(&state, .control("s")), [])
        XCTAssertTrue(state.publishForm.error?.hasPrefix("Response topic:") ?? false, state.publishForm.error ?? "")
        XCTAssertFalse(state.publishForm.isAwaitingResult)
    }

    func testOver311ThereIsNoRequestRow() {
        var settings = Fixture.settings()
        settings.isV5 = false
        var state = DashboardState(settings: settings)
        _ = Fixture.press(&state, .character("p"))
        _ = Fixture.press(&state, .tab, .tab, .tab, .tab)
        XCTAssertEqual(state.publishForm.focus, .topic)
    }
}
