/// What a piece of the screen is, so a theme can colour it. Widgets ask for roles, never colours.
public enum Role: String, CaseIterable, Sendable {
    case text
    case dim
    case border
    case title
    case selection
    case retained
    /// A value that just changed.
    case flash
    case statusBar = "status_bar"
    case statusConnected = "status_connected"
    case statusProblem = "status_problem"
    case jsonKey = "json_key"
    case jsonString = "json_string"
    case jsonNumber = "json_number"
    case jsonLiteral = "json_literal"
    case hex
    case plot
    case searchMatch = "search_match"
    case formLabel = "form_label"
    case formField = "form_field"
    case formFocus = "form_focus"
    case error
    case help
}

/// Roles mapped to styles. `Theme.monochrome` is what NO_COLOR gets.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    public func style(_ role: Role) -> Style { styles[role] ?? .plain }

    /// No colours, only attributes: for NO_COLOR and terminals without colour.
    public static let monochrome = Theme(
        name: "mono",
        styles: [
            .dim: Style(attributes: .dim), .border: Style(attributes: .dim), .title: Style(attributes: .bold),
            .selection: Style(attributes: .reverse), .retained: Style(attributes: .bold), .flash: Style(attributes: .bold),
            .statusBar: Style(attributes: .reverse), .statusConnected: Style(attributes: [.reverse, .bold]),
            .statusProblem: Style(attributes: [.reverse, .bold]), .jsonKey: Style(attributes: .bold),
            .searchMatch: Style(attributes: .underline), .formFocus: Style(attributes: .reverse),
            .error: Style(attributes: .bold), .formLabel: Style(attributes: .bold),
        ])
}
