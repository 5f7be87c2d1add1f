/// Draws the whole screen for `state` into `buffer` (sized screenWidth x screenHeight).
public func render(_ state: DashboardState, into buffer: inout Buffer, theme: Theme) {
    let layout = ScreenLayout(width: buffer.width, height: buffer.height)
    buffer.fill(buffer.area, style: theme.style(.text))
    if layout.isTooSmall {
        let lines = ["terminal too small", "(need \(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight))"]
        let oneLine = lines.joined(separator: " ")
        let fitsOneLine = DisplayWidth.of(oneLine) <= buffer.width
        let shown = fitsOneLine ? [oneLine] : lines
        let top = (buffer.height - shown.count) / 2
        for (index, line) in shown.enumerated() {
            let x = max(0, (buffer.width - DisplayWidth.of(line)) / 2)
            buffer.write(line, x: x, y: top + index, style: theme.style(.error))
        }
        return
    }
    // What a view covers is not drawn: it would only cost frame time. The traffic view and the broker
    // pane fill everything above the status bar (traffic on top); the board covers the panes.
    let coveredToStatusBar = state.traffic.isOpen || state.brokerPane.isOpen
    if !coveredToStatusBar && !state.board.isOpen {
        TreePane(state: state).render(in: layout.tree, buffer: &buffer, theme: theme)
        renderDetail(state, in: layout.detail, buffer: &buffer, theme: theme)
        LogPane(state: state).render(in: layout.log, buffer: &buffer, theme: theme)
    }
    StatusBar(state: state).render(in: layout.status, buffer: &buffer, theme: theme)
    if !coveredToStatusBar {
        renderBoard(state, layout: layout, buffer: &buffer, theme: theme)
    }
    if state.brokerPane.isOpen && !state.traffic.isOpen {
        BrokerPaneView(pane: state.brokerPane, now: state.now).render(in: BrokerPaneView.area(layout), buffer: &buffer, theme: theme)
    }

    if state.traffic.isOpen {
        TrafficView(state: state).render(in: TrafficView.area(layout), buffer: &buffer, theme: theme)
    }

    if let area = overlayArea(state, layout: layout) {
        if state.publishFormOpen {
            buffer.fill(area, style: theme.style(.text))
            Frame(title: "Publish", focused: true).render(in: area, buffer: &buffer, theme: theme)
            PublishFormView(form: state.publishForm, isV5: state.settings.isV5)
                .render(in: Frame.inner(area), buffer: &buffer, theme: theme)
        } else if let editor = state.subscriptionEditor {
            SubscriptionEditorView(editor: editor, subscriptions: state.subscriptions).render(in: area, buffer: &buffer, theme: theme)
        } else if let dialog = state.exportDialog {
            ExportDialogView(dialog: dialog).render(in: area, buffer: &buffer, theme: theme)
        } else if let picker = state.connectionPicker {
            ConnectionPickerView(picker: picker, current: state.settings.brokerURL).render(in: area, buffer: &buffer, theme: theme)
        } else if state.showHelp {
            HelpOverlay(isV5: state.settings.isV5).render(in: area, buffer: &buffer, theme: theme)
        } else if let confirmation = state.confirmation {
            ConfirmationView(confirmation: confirmation).render(in: area, buffer: &buffer, theme: theme)
        }
    }
}

/// The box of the open overlay, if any. Only one can be open: each one takes the keys that would open another.
func overlayArea(_ state: DashboardState, layout: ScreenLayout) -> Rect? {
    if state.publishFormOpen { return layout.centered(width: 76, height: 20) }
    if state.subscriptionEditor != nil { return layout.centered(width: 64, height: max(7, min(16, state.subscriptions.count + 5))) }
    if state.exportDialog != nil { return layout.centered(width: 64, height: ExportDialogView.height) }
    if let picker = state.connectionPicker { return layout.centered(width: 76, height: ConnectionPickerView.height(picker)) }
    if state.showHelp {
        let size = HelpOverlay.size(screen: layout.screen)
        return layout.centered(width: size.width, height: size.height)
    }
    if let confirmation = state.confirmation {
        let width = min(layout.screen.width - 2, DisplayWidth.of(confirmation.question) + 4)
        return layout.centered(width: max(20, width), height: 4)
    }
    return nil
}

/// The detail pane: a frame naming the topic and the view mode, with `DetailView` inside.
private func renderDetail(_ state: DashboardState, in area: Rect, buffer: inout Buffer, theme: Theme) {
    let id = state.selection
    let node = id.map { state.tree.nodes[$0] }
    let title = node.map { SafeText.line($0.topic, maxCharacters: 200) } ?? "Detail"
    let payloadView = state.payloadView
    Frame(title: title, note: payloadView.name, focused: state.focus == .detail).render(in: area, buffer: &buffer, theme: theme)
    let inner = Frame.inner(area)
    guard !inner.isEmpty else { return }
    state.selectedDetailView().render(in: inner, buffer: &buffer, theme: theme)
}
