/// Where `--theme NAME` looks, for the executable to pass to `Theme.load(nameOrPath:searchDirectories:)`.
public enum ThemeSearchPath {
    /// In order: the user's own themes first (so a file there can replace a shipped theme of the
    /// same name), then the repository's `themes/` when running from a checkout, then the themes
    /// installed next to the executable. The built-in themes come after all of these.
    /// - Parameters:
    ///   - repositoryThemes: `<repo>/themes`, or nil when not running from a checkout.
    ///   - executablePath: the running binary; `<bin>/../share/mqdash/themes` is searched.
    public static func directories(environment: [String: String], executablePath: String, repositoryThemes: String?) -> [String] {
        var result: [String] = []
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            result.append(config + "/mqdash/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            // The XDG default, also when XDG_CONFIG_HOME is relative (the spec says to ignore that).
            result.append(home + "/.config/mqdash/themes")
        }
        if let repositoryThemes { result.append(repositoryThemes) }
        let binDirectory = executablePath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        result.append((binDirectory.isEmpty ? "." : binDirectory) + "/../share/mqdash/themes")
        return result
    }
}
