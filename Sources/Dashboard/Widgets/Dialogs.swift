import MQTTCore

/// `S`: the current subscriptions, the selected one highlighted, and the line being added.
struct SubscriptionEditorView: Widget {
    var editor: SubscriptionEditor
    var subscriptions: [Subscription]

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        Frame(title: "Subscriptions", note: "Esc closes", focused: true).render(in: area, buffer: &buffer, theme: theme)
        let inner = Frame.inner(area)
        guard inner.height >= 3 else { return }
        let listHeight = inner.height - 2
        let first = max(0, editor.selected - listHeight + 1)
        for (line, index) in (first..<min(subscriptions.count, first + listHeight)).enumerated() {
            let subscription = subscriptions[index]
            let row = Rect(x: inner.x, y: inner.y + line, width: inner.width, height: 1)
            let selected = index == editor.selected && editor.newFilter == nil
            if selected { buffer.fill(row, style: theme.style(.selection)) }
            buffer.write(" QoS \(subscription.qos.rawValue)  " + SafeText.line(subscription.filter), x: row.x, y: row.y,
                         style: theme.style(selected ? .selection : .text), maxWidth: row.width)
        }
        if subscriptions.isEmpty {
            buffer.write(" no subscriptions", x: inner.x, y: inner.y, style: theme.style(.dim), maxWidth: inner.width)
        }
        let bottom = inner.maxY - 1
        if let error = editor.error {
            buffer.write(" " + SafeText.line(error), x: inner.x, y: bottom - 1, style: theme.style(.error), maxWidth: inner.width)
        }
        if let filter = editor.newFilter {
            var x = inner.x
            x += buffer.write(" add: ", x: x, y: bottom, style: theme.style(.formLabel), maxWidth: inner.width)
            x += buffer.write(SafeText.line(filter) + "▏", x: x, y: bottom, style: theme.style(.formFocus), maxWidth: inner.maxX - x)
            buffer.write("  QoS \(editor.newQoS.rawValue) (Tab)  Enter subscribes", x: x, y: bottom, style: theme.style(.dim), maxWidth: inner.maxX - x)
        } else {
            buffer.write(" a add  d remove  0 1 2 QoS  ↑↓ select", x: inner.x, y: bottom, style: theme.style(.dim), maxWidth: inner.width)
        }
    }
}

/// A yes/no question in a small box.
struct ConfirmationView: Widget {
    var confirmation: Confirmation

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        Frame(title: "Confirm", focused: true).render(in: area, buffer: &buffer, theme: theme)
        let inner = Frame.inner(area)
        guard inner.height >= 1 else { return }
        buffer.write(" " + confirmation.question, x: inner.x, y: inner.y, style: theme.style(.text), maxWidth: inner.width)
        buffer.write(" y yes   n no", x: inner.x, y: inner.maxY - 1, style: theme.style(.formLabel), maxWidth: inner.width)
    }
}
