/// `O`: the detail pane's plot can show other topics (or fields) with the selected one, on one time axis:
/// `O` adds the selected topic, at the field `F` chose, to the overlaid series, or takes it out again.
extension DashboardState {
    /// As many as the plot has dash patterns besides the selected topic's own.
    static let maximumPlotOverlays = SeriesPlot.marks.count - 1

    mutating func togglePlotOverlay() {
        guard let id = selection, tree.nodes[id].last != nil else {
            notice = "O overlays the selected topic on the plot: select one with a value first"
            return
        }
        let key = TileKey(topic: tree.nodes[id].topic, field: plotField)
        let name = SafeText.line(key.name, maxCharacters: 60)
        if let index = plotOverlays.firstIndex(of: key) {
            plotOverlays.remove(at: index)
            notice = "plot: \(name) no longer overlaid"
        } else if plotOverlays.count >= Self.maximumPlotOverlays {
            notice = "plot: \(Self.maximumPlotOverlays) series overlaid at most; O on one of them takes it out"
        } else {
            plotOverlays.append(key)
            notice = "plot: \(name) overlaid; select another topic to compare, O again takes it out"
        }
    }

    /// The overlaid series other than the selected topic's own, with their points, for the detail view.
    func overlaidSeries(except own: TileKey?) -> [PlotSeries] {
        plotOverlays.filter { $0 != own }.map { key in
            let history = tree.node(key.topic).map { tree.history(of: $0) } ?? []
            return PlotSeries(name: key.name, points: DetailView.plotPoints(history, field: key.field, decode: { self.decoded($0) }))
        }
    }
}
