import Foundation
import PackagePlugin

/// Gives the `mqdash` target a generated `GitCommit.swift` holding the commit the checkout is at,
/// for `mqdash --version`. SwiftPM has no string defines, and a generated file kept out of git needs
/// no Makefile step: plain `swift build` from a clean clone gets it too.
///
/// A build command (not a prebuild one: SwiftPM reuses a cached build plan, and with it skips prebuild
/// commands, when no file was added or removed) whose inputs are git's HEAD, its reflog (moved by every
/// commit, checkout and reset) and index, and every Swift source of the package (for "-dirty"). It is
/// one `git` call through `/bin/sh`, and it rewrites the file only when the text changes, so an
/// unchanged checkout recompiles nothing.
@main
struct GitCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "GitCommit").appending(path: "GitCommit.swift")
        let package = context.package.directoryURL
        let sources = context.package.targets.compactMap { $0 as? SourceModuleTarget }
            .flatMap { $0.sourceFiles(withSuffix: "swift").map(\.url) }
        return [
            .buildCommand(
                displayName: "Recording the git commit of \(target.name) for --version",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "git-commit", package.path, output.path],
                inputFiles: Self.gitStateFiles(package: package) + sources,
                outputFiles: [output])
        ]
    }

    /// The files git changes when the commit or the staged state changes; none outside a checkout.
    static func gitStateFiles(package: URL) -> [URL] {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", package.path, "rev-parse", "--absolute-git-dir"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = FileHandle.nullDevice
        guard (try? git.run()) != nil else { return [] }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        git.waitUntilExit()
        let directory = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard git.terminationStatus == 0, !directory.isEmpty else { return [] }
        return ["HEAD", "logs/HEAD", "index"].map { URL(fileURLWithPath: directory).appending(path: $0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
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
