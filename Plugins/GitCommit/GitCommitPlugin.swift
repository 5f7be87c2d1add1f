import Foundation
import PackagePlugin

/// Gives the `mqdash` target a generated `GitCommit.swift` holding the commit the checkout is at,
/// for `mqdash --version`. SwiftPM has no string defines, and a generated file kept out of git needs
/// no Makefile step: plain `swift build` from a clean clone gets it too.
///
/// A prebuild command runs before every build because git's HEAD is not an input SwiftPM can watch.
/// It is one `git` call through `/bin/sh` (a prebuild command may not run a tool built from source),
/// and it rewrites the file only when the text changes, so an unchanged checkout recompiles nothing.
@main
struct GitCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let outputDirectory = context.pluginWorkDirectoryURL.appending(path: "GitCommit")
        return [
            .prebuildCommand(
                displayName: "Recording the git commit of \(target.name) for --version",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [
                    "-c", Self.script, "git-commit",
                    context.package.directoryURL.path,
                    outputDirectory.appending(path: "GitCommit.swift").path,
                ],
                outputFilesDirectory: outputDirectory)
        ]
    }

    /// $1: the package directory, $2: the Swift file to write. "unknown" outside a git checkout (a source
    /// tarball); a checkout unpacked inside some other repository does not take that repository's commit.
    /// "-dirty" when tracked files differ from the commit, since then the binary is not that commit.
    static let script = #"""
        set -u
        package=$1 output=$2 commit=unknown
        top=$(git -C "$package" rev-parse --show-toplevel 2>/dev/null || true)
        if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$(cd "$package" && pwd -P)" ]; then
            commit=$(git -C "$package" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$commit" != unknown ] && ! git -C "$package" diff --quiet HEAD -- 2>/dev/null; then
                commit="$commit-dirty"
            fi
        fi
        text="// Generated at build time by Plugins/GitCommit; not in the repository.
        enum GitCommit { static let value: String = \"$commit\" }"
        mkdir -p "$(dirname "$output")"
        if [ "$(cat "$output" 2>/dev/null || true)" != "$text" ]; then printf '%s\n' "$text" > "$output"; fi
        """#
}
