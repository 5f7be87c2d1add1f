import MQTTCore
import NIOCore
import PayloadDecoders

/// Applies one event and returns the IO it asks for.
public func update(_ state: inout DashboardState, _ event: DashboardEvent) -> [DashboardCommand] {
    state.detachRowCache()
    switch event {
    case .message(let message):
        state.apply(message)
        return state.applyToBoard(message)
    case .key(let key):
        return state.handle(key)
    case .mouse(let mouse):
        state.handle(mouse)
    case .paste(let text):
        state.paste(text)
    case .resize(let width, let height):
        state.screenWidth = max(0, width)
        state.screenHeight = max(0, height)
    case .connection(let status):
        state.connection = status
        switch status {
        case .refused(let reason), .disconnected(let reason): state.lastConnectionProblem = reason
        case .connected: state.lastConnectionProblem = nil
        case .connecting, .reconnecting, .file: break
        }
    case .published(let outcome):
        state.publishForm.lastResult = outcome
    case .tick(let now):
        state.now = now
        state.observeTraffic()
        state.publishForm.expireRequest(now: now)
        return state.tickBoard()
    case .messagesSkipped(let count):
        state.skippedMessages += max(0, count)
    case .subscriptionFailed(let failure):
        state.noteSubscriptionFailure(failure)
    case .brokerReport(let report):
        state.brokerPane.receive(report)
    case .recording(let report):
        state.receive(report)
    case .exported(let outcome):
        state.receive(outcome)
    case .playback(let status):
        state.playback = status
    case .protocolVersion(let isV5):
        state.settings.isV5 = isV5
    case .connectionSwitch(let outcome):
        state.receive(outcome)
    case .boardsNotSaved(let why):
        state.notice = "board not saved: " + SafeText.line(why, maxCharacters: 120)
    }
    return []
}

extension DashboardState {
    /// The per-message path: cap the payload once, then tree, log and rate share the capped copy.
    mutating func apply(_ incoming: ReceivedMessage) {
        var message = incoming
        let cap = max(0, settings.maximumStoredPayload)
        let readable = message.payload.readableBytes
        if readable > cap {
            // A copy, not a slice: a slice would keep the whole 16 MB buffer alive. `size` keeps the real length.
            message.payload = ByteBuffer(bytes: message.payload.readableBytesView.prefix(cap))
        } else if message.payload.storageCapacity > 2 * readable + 256 {
            // A slice of a larger read buffer: kept in the history, it would pin the whole buffer.
            message.payload = ByteBuffer(bytes: message.payload.readableBytesView)
        }
        if message.receivedAt > now { now = message.receivedAt }
        // Births name the aliases of later Sparkplug messages: learnt as they come, whatever is selected.
        if DecoderRules.isSparkplug(message.topic) {
            decoding.observe(topic: message.topic, payload: Array(message.payload.readableBytesView))
        }
        let id = tree.apply(message)
        if !tree.nodes[id].isSystem || settings.showSystemTopics { log.append(message) }
        rate.record(at: message.receivedAt)
        publishForm.receive(message)
    }

    /// A refused subscribe is not active: it leaves the list, and the status line (and the
    /// subscription editor, when open) says why.
    mutating func noteSubscriptionFailure(_ failure: SubscriptionFailure) {
        let filter = SafeText.line(failure.filter, maxCharacters: 60)
        let text = (failure.isUnsubscribe ? "unsubscribe " : "subscribe ") + filter + " failed: "
            + SafeText.line(failure.reason, maxCharacters: 80)
        if !failure.isUnsubscribe { subscriptions.removeAll { $0.filter == failure.filter } }
        if var editor = subscriptionEditor {
            editor.error = text
            editor.selected = min(editor.selected, max(0, subscriptions.count - 1))
            subscriptionEditor = editor
        }
        notice = text
    }

    mutating func paste(_ text: String) {
        // Prompts are one line: a pasted newline would otherwise end up inside a topic filter.
        let oneLine = String(text.filter { $0 != "\n" && $0 != "\r" })
        if prompt != nil {
            prompt?.text += oneLine
        } else if exportDialog != nil {
            exportDialog?.path += oneLine
        } else if subscriptionEditor?.newFilter != nil {
            subscriptionEditor?.newFilter? += oneLine
        } else if publishFormOpen {
            publishForm.paste(text)
        }
    }
}
