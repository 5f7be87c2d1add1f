import MQTTCore
import NIOCore

/// The publish form's request toggle (v5): the message goes out with a response topic and fresh
/// correlation data, and the form shows the response that carries them back.
public struct PendingRequest: Sendable, Equatable {
    public var responseTopic: String
    public var correlation: [UInt8]
    /// When the request was sent, for the response's delay.
    public var sentAt: Double
}

/// The response the form shows, with how long it took.
public struct RequestResponse: Sendable, Equatable {
    public var message: ReceivedMessage
    public var seconds: Double
}

extension PublishFormState {
    /// Seconds a request waits before the form says no response came (a late one still shows).
    public static let requestTimeout: Double = 10

    /// The default response topic for a request to `topic`.
    static func defaultResponseTopic(for topic: String) -> String {
        (topic.isEmpty ? "mqdash" : topic) + "/response"
    }

    /// Space or x on the request row: on fills an empty response topic with `TOPIC/response`.
    mutating func toggleRequest() {
        isRequest.toggle()
        if isRequest && responseTopicEditor.text.isEmpty {
            responseTopicEditor = FormEditor(text: Self.defaultResponseTopic(for: topic), multiline: false)
        }
    }

    /// The request's properties, or an error for a bad response topic.
    func requestProperties(correlation: [UInt8]) -> Result<Properties, PublishFormError> {
        let responseTopic = responseTopicEditor.text
        do throws(TopicValidationError) {
            try Topic.validateName(responseTopic)
        } catch {
            return .failure(PublishFormError(message: "Response topic: \(error.description)"))
        }
        return .success([.responseTopic(responseTopic), .correlationData(ByteBuffer(bytes: correlation))])
    }

    /// A message on the awaited response topic with our correlation data (or none, for responders that
    /// do not copy it) is the response. O(1): a message costs one comparison while a request waits.
    mutating func receive(_ message: ReceivedMessage) {
        guard let pending = pendingRequest, message.topic == pending.responseTopic else { return }
        if let data = message.properties.correlationData, !data.readableBytesView.elementsEqual(pending.correlation) { return }
        response = RequestResponse(message: message, seconds: max(0, message.receivedAt - pending.sentAt))
        pendingRequest = nil
        requestTimedOut = false
    }

    /// On the clock's tick: past `requestTimeout` with no response, the form says so. The request stays
    /// pending, so a slow device's answer still shows when it comes.
    mutating func expireRequest(now: Double) {
        guard let pending = pendingRequest, !requestTimedOut, now - pending.sentAt >= Self.requestTimeout else { return }
        requestTimedOut = true
    }
}

extension DashboardState {
    /// Submitting a request: subscribe to the response topic first (unless a subscription covers it),
    /// then publish with the response topic and correlation data.
    mutating func sendRequest(_ publish: DashboardCommand) -> [DashboardCommand] {
        guard case .publish(let topic, let payload, let qos, let retain, var properties) = publish else { return [publish] }
        let correlation = Array("mqdash-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))".utf8)
        switch publishForm.requestProperties(correlation: correlation) {
        case .failure(let failure):
            publishForm.error = failure.message
            publishForm.cancelAwaiting()
            return []
        case .success(let extra):
            for property in extra { properties.append(property) }
        }
        let responseTopic = publishForm.responseTopicEditor.text
        publishForm.pendingRequest = PendingRequest(responseTopic: responseTopic, correlation: correlation, sentAt: now)
        publishForm.response = nil
        publishForm.requestTimedOut = false
        var commands: [DashboardCommand] = []
        if !subscriptions.contains(where: { Topic.matches(filter: $0.filter, topic: responseTopic) }) {
            subscriptions.append(Subscription(filter: responseTopic, qos: qos))
            commands.append(.subscribe(filter: responseTopic, qos: qos))
        }
        commands.append(.publish(topic: topic, payload: payload, qos: qos, retain: retain, properties: properties))
        return commands
    }
}
