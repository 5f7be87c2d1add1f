#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Finds and reads theme files for `--theme NAME|PATH`.
extension Theme {
    /// Loads a theme by name or by path.
    ///
    /// A path (it contains `/` or ends in `.toml`) is read as it is. A name is looked up as
    /// `NAME.toml` in `searchDirectories` in order, first match wins; then among the built-in
    /// themes, so an installed mqdash without its themes directory still has all five.
    public static func load(nameOrPath: String, searchDirectories: [String]) throws(ThemeError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            return try loadFile(nameOrPath)
        }
        for directory in searchDirectories {
            let path = directory + "/" + nameOrPath + ".toml"
            if FileManager.default.fileExists(atPath: path) { return try loadFile(path) }
        }
        if let source = BuiltinThemes.sources[nameOrPath] {
            return try parse(source, file: "built-in theme \(nameOrPath)", name: nameOrPath)
        }
        throw ThemeError(.unknownTheme(name: nameOrPath, available: availableNames(searchDirectories: searchDirectories)))
    }

    /// Every name `load` accepts: the `.toml` files in the directories and the built-in themes, sorted.
    public static func availableNames(searchDirectories: [String]) -> [String] {
        var names = Set(BuiltinThemes.sources.keys)
        for directory in searchDirectories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files where file.hasSuffix(".toml") { names.insert(String(file.dropLast(5))) }
        }
        return names.sorted()
    }

    private static func loadFile(_ path: String) throws(ThemeError) -> Theme {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
            throw ThemeError(.unreadable(reason: reason), file: path)
        }
        guard let source = String(validating: data, as: UTF8.self) else {
            throw ThemeError(.unreadable(reason: "not valid UTF-8"), file: path)
        }
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let stem = fileName.hasSuffix(".toml") ? String(fileName.dropLast(5)) : fileName
        return try parse(source, file: path, name: stem)
    }
}
