extension DashboardState {
    /// The detail view of the selected topic as the pane shows it (view mode or decoder, plotted field), which
    /// the plot export reads too, so that a CSV holds what the plot showed.
    func selectedDetailView() -> DetailView {
        let node = selection.map { tree.nodes[$0] }
        let payloadView = self.payloadView
        var mode = PayloadViewMode.automatic
        if case .mode(let chosen) = payloadView { mode = chosen }
        var view = DetailView(message: node?.last, history: selection.map { tree.history(of: $0) } ?? [], mode: mode,
                              plotField: plotField, scroll: detailScroll, now: now)
        if payloadView.chain != nil {
            view.decode = { self.decoded($0) }
            view.folds = node.flatMap { decodedFolds[$0.topic] } ?? []
            view.showsCursor = focus == .detail
        }
        if showDiff { view.diff = .some(selectedDiff()) }
        if !plotOverlays.isEmpty, let node {
            view.overlays = overlaidSeries(except: TileKey(topic: node.topic, field: plotField))
        }
        return view
    }
}
