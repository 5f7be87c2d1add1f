import XCTest

@testable import Dashboard

/// Every shipped theme draws the same screen text and colours each part by its own role, so a theme
/// can only change colours, never what is on the screen.
final class ThemeSnapshotTests: XCTestCase {
    func testEveryShippedThemeDrawsTheSameTextWithItsOwnRoleStyles() throws {
        let state = Fixture.house()
        let expected = Fixture.screen(state)
        for name in BuiltinThemes.sources.keys.sorted() {
            let theme = try Theme.load(nameOrPath: name, searchDirectories: [])
            XCTAssertEqual(Fixture.screen(state, theme: theme), expected, "text differs with theme \(name)")

            var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
            render(state, into: &buffer, theme: theme)
            // The status bar's last cell and the selected tree row carry the theme's styles.
            let statusCell = buffer[state.screenWidth - 1, state.screenHeight - 1]
            XCTAssertEqual(statusCell.style, theme.style(.statusBar), "status bar style with theme \(name)")
            let selectedRow = (0..<state.screenHeight).first { y in
                (0..<state.screenWidth).contains { buffer[$0, y].style == theme.style(.selection) }
            }
            XCTAssertNotNil(selectedRow, "no cell in the selection style with theme \(name)")
        }
    }
}
