import MQTTCore

/// What `mqdash --version` prints: the release number and the commit the binary was built from
/// (`GitCommit` is generated at build time by Plugins/GitCommit).
enum VersionText {
    static let line = "mqdash \(MQDashRelease.version) (commit \(GitCommit.value))"
}
