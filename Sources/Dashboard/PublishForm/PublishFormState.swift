import MQTTCore

/// What a key did to the form.
public enum PublishFormAction: Hashable, Sendable {
    case none
    /// Send this command (a publish) and keep the form open to show the result.
    case submit(DashboardCommand)
    /// Close the form.
    case close
}

/// The form's fields in focus order; the last two only exist with MQTT 5.
public enum PublishFormField: CaseIterable, Hashable, Sendable {
    case topic, payload, qos, retain, request, responseTopic, contentType, userProperties

    static func order(isV5: Bool, isRequest: Bool = false) -> [PublishFormField] {
        guard isV5 else { return [.topic, .payload, .qos, .retain] }
        return isRequest ? allCases : allCases.filter { $0 != .responseTopic }
    }
}

/// One sent message, kept to recall and send again.
public struct PublishDraft: Hashable, Sendable {
    public var topic: String
    public var payload: String
    public var qos: QoS
    public var retain: Bool
    public var contentType: String
    /// `key=value` lines.
    public var userProperties: String

    public init(topic: String, payload: String = "", qos: QoS = .atMostOnce, retain: Bool = false,
                contentType: String = "", userProperties: String = "") {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.contentType = contentType
        self.userProperties = userProperties
    }
}

/// The publish form: topic, multi-line payload editor, QoS, retain, v5 content type and user
/// properties, the last result, and a history of sent messages to send again.
///
/// Keys: Tab/BackTab move focus; Ctrl-S sends from any field, Enter sends from the one-line
/// fields (Enter in the payload and user properties is a newline); Space or Left/Right or 0-2
/// change QoS, Space toggles retain; Ctrl-P/Ctrl-N recall older/newer sent messages; Esc closes.
public struct PublishFormState: Sendable, Equatable {
    /// Sent messages kept for recall.
    public static let historyLimit = 50

    public var topicEditor: FormEditor
    public var payloadEditor = FormEditor(multiline: true)
    public var contentTypeEditor = FormEditor(multiline: false)
    /// One `key=value` per line.
    public var userPropertiesEditor = FormEditor(multiline: true)
    /// v5: send as a request (response topic + correlation data) and show the response.
    public var isRequest = false
    public var responseTopicEditor = FormEditor(multiline: false)
    /// The request sent last, until its response comes.
    public internal(set) var pendingRequest: PendingRequest?
    /// The response to the last request.
    public internal(set) var response: RequestResponse?
    /// The pending request waited `requestTimeout` seconds without a response.
    public internal(set) var requestTimedOut = false
    public var qos = QoS.atMostOnce
    public var retain = false
    public var focus = PublishFormField.topic
    /// Why the last submit was refused (bad topic, malformed user property), shown in the form.
    public var error: String?
    /// Oldest first, at most `historyLimit`.
    public private(set) var history: [PublishDraft] = []
    /// Which history entry is shown while recalling; nil when editing a fresh message.
    public private(set) var historyIndex: Int?
    /// What was being edited before recalling began, restored by Ctrl-N past the newest entry.
    private var unsentDraft: PublishDraft?
    /// True from a submit until its outcome arrives in `lastResult`.
    public private(set) var isAwaitingResult = false

    public var lastResult: PublishOutcome? {
        didSet { if lastResult != nil { isAwaitingResult = false } }
    }

    public var topic: String {
        get { topicEditor.text }
        set { topicEditor = FormEditor(text: newValue, multiline: false) }
    }

    public var payload: String { payloadEditor.text }

    public init(topic: String = "") {
        topicEditor = FormEditor(text: topic, multiline: false)
        // Prefilled from the selected topic: start in the payload, where the typing goes.
        if !topic.isEmpty { focus = .payload }
    }

    public mutating func handle(_ key: Key, isV5: Bool) -> PublishFormAction {
        let order = PublishFormField.order(isV5: isV5, isRequest: isRequest)
        if !order.contains(focus) { focus = .topic }
        switch key {
        case .escape:
            return .close
        case .tab, .backTab:
            let index = order.firstIndex(of: focus)! + (key == .tab ? 1 : order.count - 1)
            focus = order[index % order.count]
            return .none
        case .control("s"):
            return submit(isV5: isV5)
        case .control("p"):
            recall(older: true)
            return .none
        case .control("n"):
            recall(older: false)
            return .none
        case .enter where focus != .payload && focus != .userProperties:
            return submit(isV5: isV5)
        default:
            break
        }
        switch focus {
        case .topic: _ = topicEditor.handle(key)
        case .payload: _ = payloadEditor.handle(key)
        case .contentType: _ = contentTypeEditor.handle(key)
        case .userProperties: _ = userPropertiesEditor.handle(key)
        case .responseTopic: _ = responseTopicEditor.handle(key)
        case .request:
            switch key {
            case .character(" "), .character("x"), .left, .right: toggleRequest()
            default: break
            }
        case .qos:
            switch key {
            case .character(" "), .right: qos = QoS(rawValue: (qos.rawValue + 1) % 3)!
            case .left: qos = QoS(rawValue: (qos.rawValue + 2) % 3)!
            case .character("0"): qos = .atMostOnce
            case .character("1"): qos = .atLeastOnce
            case .character("2"): qos = .exactlyOnce
            default: break
            }
        case .retain:
            switch key {
            case .character(" "), .character("x"), .left, .right: retain.toggle()
            default: break
            }
        }
        return .none
    }

    /// Pasted text goes into the focused text field (line breaks kept only where newlines are allowed).
    public mutating func paste(_ text: String) {
        switch focus {
        case .topic: topicEditor.insert(text)
        case .payload: payloadEditor.insert(text)
        case .contentType: contentTypeEditor.insert(text)
        case .userProperties: userPropertiesEditor.insert(text)
        case .responseTopic: responseTopicEditor.insert(String(text.filter { $0 != "\n" && $0 != "\r" }))
        case .qos, .retain, .request: break
        }
    }

    // MARK: submit

    /// The publish command for the form's contents, or the reason it cannot be sent.
    public func command(isV5: Bool) -> Result<DashboardCommand, PublishFormError> {
        do throws(TopicValidationError) {
            try Topic.validateName(topic)
        } catch {
            return .failure(PublishFormError(message: "Topic: \(error.description)"))
        }
        var properties = Properties()
        if isV5 {
            let type = contentTypeEditor.text
            if !type.isEmpty { properties.append(.contentType(type)) }
            for (number, line) in userPropertiesEditor.lines.enumerated() {
                let text = String(line)
                if text.allSatisfy(\.isWhitespace) { continue }
                guard let equals = text.firstIndex(of: "=") else {
                    return .failure(PublishFormError(message: "User properties line \(number + 1): write key=value"))
                }
                let key = text[..<equals].trimmingSpaces
                let value = text[text.index(after: equals)...].trimmingSpaces
                guard !key.isEmpty else {
                    return .failure(PublishFormError(message: "User properties line \(number + 1): the key is empty"))
                }
                properties.append(.userProperty(key, value))
            }
        }
        return .success(.publish(topic: topic, payload: Array(payloadEditor.text.utf8), qos: qos, retain: retain, properties: properties))
    }

    private mutating func submit(isV5: Bool) -> PublishFormAction {
        switch command(isV5: isV5) {
        case .failure(let failure):
            error = failure.message
            return .none
        case .success(let command):
            error = nil
            remember(draft)
            historyIndex = nil
            unsentDraft = nil
            isAwaitingResult = true
            lastResult = nil
            return .submit(command)
        }
    }

    // MARK: history

    /// The form's contents as a history entry.
    public var draft: PublishDraft {
        PublishDraft(topic: topic, payload: payloadEditor.text, qos: qos, retain: retain,
                     contentType: contentTypeEditor.text, userProperties: userPropertiesEditor.text)
    }

    public mutating func load(_ draft: PublishDraft) {
        topic = draft.topic
        payloadEditor = FormEditor(text: draft.payload, multiline: true)
        qos = draft.qos
        retain = draft.retain
        contentTypeEditor = FormEditor(text: draft.contentType, multiline: false)
        userPropertiesEditor = FormEditor(text: draft.userProperties, multiline: true)
        error = nil
    }

    /// A submit that did not go out after all (a request with a bad response topic).
    mutating func cancelAwaiting() { isAwaitingResult = false }

    private mutating func remember(_ draft: PublishDraft) {
        // Sending the same message again does not push the older entries out.
        if history.last != draft { history.append(draft) }
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }

    private mutating func recall(older: Bool) {
        guard !history.isEmpty else { return }
        switch (historyIndex, older) {
        case (nil, true):
            unsentDraft = draft
            historyIndex = history.count - 1
        case (nil, false):
            return
        case (let index?, true):
            historyIndex = max(0, index - 1)
        case (let index?, false):
            if index + 1 < history.count {
                historyIndex = index + 1
            } else {
                historyIndex = nil
                load(unsentDraft ?? PublishDraft(topic: topic))
                unsentDraft = nil
                return
            }
        }
        load(history[historyIndex!])
    }
}

/// Why the form refused to send, in words for the form's error line.
public struct PublishFormError: Error, Hashable, Sendable {
    public var message: String
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
