import ConfigFile
import Foundation
import XCTest

@testable import Dashboard

/// The shipped theme files, read from the repository's `themes/` directory.
final class ThemeFileTests: XCTestCase {
    static let shipped = ["default", "light", "solarized-dark", "high-contrast", "mono"]

    /// `<repo>/themes`, found from this file so the tests do not depend on the working directory.
    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path

    private func source(_ name: String) throws -> String {
        try String(contentsOfFile: Self.themesDirectory + "/\(name).toml", encoding: .utf8)
    }

    func testEveryShippedThemeLoadsAndDefinesEveryRole() throws {
        let roles = Set(Role.allCases.map(\.rawValue))
        for name in Self.shipped {
            let theme = try Theme.load(nameOrPath: name, searchDirectories: [Self.themesDirectory])
            XCTAssertEqual(theme.name, name)
            XCTAssertEqual(Set(theme.styles.keys), Set(Role.allCases), name)
            let tables = try ConfigDocument.parse(try source(name)).entries.filter {
                if case .table = $0.value { true } else { false }
            }.map(\.key)
            XCTAssertEqual(Set(tables), roles, "\(name).toml should have a table for every role")
        }
        XCTAssertEqual(
            Set(try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory).filter { $0.hasSuffix(".toml") }),
            Set(Self.shipped.map { $0 + ".toml" }))
    }

    func testBuiltInThemesAreTheFiles() throws {
        XCTAssertEqual(Set(BuiltinThemes.sources.keys), Set(Self.shipped))
        for name in Self.shipped {
            XCTAssertEqual(BuiltinThemes.sources[name].map { $0 + "\n" }, try source(name),
                           "BuiltinThemes.swift is stale for \(name): run scripts/embed-themes.sh")
            XCTAssertEqual(try Theme.load(nameOrPath: name, searchDirectories: []),
                           try Theme.load(nameOrPath: name, searchDirectories: [Self.themesDirectory]))
        }
    }

    func testMonoFileLooksLikeMonochrome() throws {
        let mono = try Theme.load(nameOrPath: "mono", searchDirectories: [Self.themesDirectory])
        for role in Role.allCases {
            XCTAssertEqual(mono.style(role), Theme.monochrome.style(role), role.rawValue)
        }
    }

    func testShippedColoursAsWritten() throws {
        let theme = try Theme.load(nameOrPath: "default", searchDirectories: [Self.themesDirectory])
        XCTAssertEqual(theme.style(.selection), Style(foreground: .ansi(0), background: .rgb(0x5F, 0xAF, 0xD7), attributes: .bold))
        XCTAssertEqual(theme.style(.dim), Style(foreground: .indexed(244)))
        let solarized = try Theme.load(nameOrPath: "solarized-dark", searchDirectories: [Self.themesDirectory])
        XCTAssertEqual(solarized.style(.jsonKey).background, .rgb(0x00, 0x2B, 0x36), "keeps the background of [text]")
        let contrast = try Theme.load(nameOrPath: "high-contrast", searchDirectories: [Self.themesDirectory])
        XCTAssertEqual(contrast.style(.text), Style(foreground: .ansi(15), background: .ansi(0)))
    }

    func testMissingRolesAndKeysComeFromText() throws {
        let theme = try Theme.parse("""
            [text]
            fg = "white"
            bg = 17
            attrs = ["italic"]
            [selection]
            bg = "#ffffff"
            attrs = []
            """, file: "t.toml", name: "t")
        XCTAssertEqual(theme.name, "t")
        XCTAssertEqual(theme.style(.help), Style(foreground: .ansi(7), background: .indexed(17), attributes: .italic))
        XCTAssertEqual(theme.style(.selection), Style(foreground: .ansi(7), background: .rgb(255, 255, 255)))
        XCTAssertEqual(try Theme.parse("", file: "empty.toml").style(.title), .plain)
    }

    func testColourSpellings() throws {
        let theme = try Theme.parse("""
            [text]
            fg = "Bright-Magenta"
            bg = "42"
            [dim]
            fg = 0
            bg = "#A0b1C2"
            """, file: "t.toml")
        XCTAssertEqual(theme.style(.text), Style(foreground: .ansi(13), background: .indexed(42)))
        XCTAssertEqual(theme.style(.dim), Style(foreground: .indexed(0), background: .rgb(0xA0, 0xB1, 0xC2)))
    }

    func testLoadByPathAndNameFromAnyDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mqdash-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = "name = \"mine\"\n[title]\nfg = \"red\"\n"
        try text.write(to: directory.appendingPathComponent("custom.toml"), atomically: true, encoding: .utf8)
        // A user's file of a shipped name wins over the built-in one.
        try text.write(to: directory.appendingPathComponent("default.toml"), atomically: true, encoding: .utf8)

        let byPath = try Theme.load(nameOrPath: directory.path + "/custom.toml", searchDirectories: [])
        XCTAssertEqual(byPath.name, "mine")
        XCTAssertEqual(byPath.style(.title).foreground, .ansi(1))
        let byName = try Theme.load(nameOrPath: "custom", searchDirectories: ["/nonexistent", directory.path])
        XCTAssertEqual(byName, byPath)
        XCTAssertEqual(try Theme.load(nameOrPath: "default", searchDirectories: [directory.path]).name, "mine")
        XCTAssertEqual(Theme.availableNames(searchDirectories: [directory.path]),
                       ["custom", "default", "high-contrast", "light", "mono", "solarized-dark"])
    }

    func testSearchPath() {
        XCTAssertEqual(
            ThemeSearchPath.directories(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/u"],
                                        executablePath: "/usr/local/bin/mqdash", repositoryThemes: "/src/mqdash/themes"),
            ["/cfg/mqdash/themes", "/src/mqdash/themes", "/usr/local/bin/../share/mqdash/themes"])
        XCTAssertEqual(
            ThemeSearchPath.directories(environment: ["HOME": "/home/u"], executablePath: "mqdash", repositoryThemes: nil),
            ["/home/u/.config/mqdash/themes", "./../share/mqdash/themes"])
    }

    func testCheckoutThemesAreFoundFromTheBinaryInsideTheCheckout() {
        let checkout: Set = ["/src/mqdash/Package.swift", "/src/mqdash/themes"]
        XCTAssertEqual(
            ThemeSearchPath.checkoutThemes(executablePath: "/src/mqdash/.build/x86_64-unknown-linux-gnu/debug/mqdash",
                                           exists: checkout.contains),
            "/src/mqdash/themes")
        // Installed: no Package.swift above the binary, so no checkout (the share/ folder serves instead).
        XCTAssertNil(ThemeSearchPath.checkoutThemes(executablePath: "/usr/local/bin/mqdash", exists: checkout.contains))
        // The nearest package wins even without themes/: an outer checkout's themes are not ours.
        let nested: Set = ["/src/mqdash/Package.swift", "/src/mqdash/themes", "/src/mqdash/vendor/other/Package.swift"]
        XCTAssertNil(ThemeSearchPath.checkoutThemes(executablePath: "/src/mqdash/vendor/other/.build/release/mqdash",
                                                    exists: nested.contains))
        XCTAssertNil(ThemeSearchPath.checkoutThemes(executablePath: "mqdash", exists: { _ in true }))
    }
}
