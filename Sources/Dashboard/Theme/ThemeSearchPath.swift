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
        result.append(directory(of: executablePath) + "/../share/mqdash/themes")
        return result
    }

    /// The checkout's `themes/` when the binary was built inside a checkout (SwiftPM puts it under
    /// `<checkout>/.build/...`): the nearest ancestor of the executable holding a `Package.swift`, if it
    /// also holds `themes/`. Found from where the binary is, not from where its sources were compiled,
    /// so a binary copied elsewhere does not read a source tree it no longer belongs to.
    /// - Parameters:
    ///   - executablePath: the running binary, symbolic links resolved.
    ///   - exists: whether a path exists (a file for `Package.swift`, a directory for `themes`).
    public static func checkoutThemes(executablePath: String, exists: (String) -> Bool) -> String? {
        var folder = directory(of: executablePath)
        while folder.hasPrefix("/"), folder != "/" {
            if exists(folder + "/Package.swift") {
                return exists(folder + "/themes") ? folder + "/themes" : nil
            }
            folder = directory(of: folder)
        }
        return nil
    }

    private static func directory(of path: String) -> String {
        let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if parent.isEmpty { return path.hasPrefix("/") ? "/" : "." }
        return parent
    }
}
