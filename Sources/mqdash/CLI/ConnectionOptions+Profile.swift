import ArgumentParser
import Foundation
import Profiles

/// The connection flags a profile can fill, shared by ConnectionOptions (sub, pub, the dashboard, ...) and
/// BenchConnectionOptions, so that both choose and apply a profile the same way.
protocol ProfileFillableOptions {
    var profile: String? { get }
    var host: String? { get set }
    var port: Int? { get set }
    var url: String? { get set }
    var username: String? { get set }
    var password: String? { get set }
    var protocolVersion: String? { get set }
    var keepAlive: UInt16? { get set }
    var cafile: String? { get set }
    var capath: String? { get set }
    var cert: String? { get set }
    var key: String? { get set }
    var insecure: Bool { get set }

    /// What a profile sets beyond the shared flags (ConnectionOptions: client id, --max-packet).
    mutating func fillOwnSettings(from profile: ConnectionProfile)
}

extension ProfileFillableOptions {
    mutating func fillOwnSettings(from profile: ConnectionProfile) {}

    /// These options with the settings of `--profile NAME` (or of the `default` profile) where no flag was
    /// given, and the profile for the settings a command has of its own (topics, theme, limits).
    /// - Parameter allowDefault: false where a connection is not the user's to choose (the dashboard's own broker).
    func applyingProfile(allowDefault: Bool = true) throws -> (options: Self, profile: ConnectionProfile?) {
        // With -h or -L and no --profile, the file is not read: a mistake in it must not stop a plain command.
        guard profile != nil || (allowDefault && host == nil && url == nil) else { return (self, nil) }
        let environment = ProcessInfo.processInfo.environment
        let config = try ProfileConfig.loadForCommandLine(environment: environment)
        return try applyingProfile(from: config, allowDefault: allowDefault, passwords: PasswordResolver(environment: environment))
    }

    func applyingProfile(
        from config: ProfileConfig?, allowDefault: Bool = true, passwords: PasswordResolver
    ) throws -> (options: Self, profile: ConnectionProfile?) {
        let chosen: ConnectionProfile
        if let name = profile {
            guard let config else {
                throw ExitWithMessage(message: "Error: --profile \(name): there is no profiles file (\(ProfileConfig.pathForMessages)).", code: 1)
            }
            guard let named = config.profile(named: name) else {
                let names = config.profiles.map(\.name)
                throw ExitWithMessage(
                    message: "Error: --profile \(name): \(config.file) has no [profiles.\(name)]"
                        + (names.isEmpty ? "." : "; profiles: \(names.joined(separator: ", ")).") , code: 1)
            }
            chosen = named
        } else if allowDefault, host == nil, url == nil, let defaultProfile = config?.profile(named: ProfileConfig.defaultProfileName) {
            chosen = defaultProfile
        } else {
            return (self, nil)
        }
        return (try filled(from: chosen, passwords: passwords), chosen)
    }

    /// Flags given on the command line win; the profile fills the rest.
    private func filled(from profile: ConnectionProfile, passwords: PasswordResolver) throws -> Self {
        var options = self
        // -h or -L on the command line choose the broker: the profile's host, port and URL no longer apply.
        if host == nil && url == nil {
            options.host = profile.host
            options.url = profile.url
            options.port = port ?? profile.port
        }
        options.username = username ?? profile.user
        if password == nil {
            do { options.password = try passwords.password(of: profile) } catch {
                throw ExitWithMessage(message: "Error: \(error)", code: 1)
            }
        }
        options.protocolVersion = protocolVersion ?? profile.protocolVersion
        options.keepAlive = keepAlive ?? profile.keepAlive.map { UInt16($0) }
        options.cafile = cafile ?? profile.cafile
        options.capath = capath ?? profile.capath
        options.cert = cert ?? profile.cert
        options.key = key ?? profile.key
        options.insecure = insecure || profile.insecure == true
        options.fillOwnSettings(from: profile)
        return options
    }
}

extension ConnectionOptions: ProfileFillableOptions {
    mutating func fillOwnSettings(from profile: ConnectionProfile) {
        if clientID == nil && clientIDPrefix == nil {
            clientID = profile.clientID
            clientIDPrefix = profile.clientIDPrefix
        }
        maxPacket = maxPacket ?? profile.maxPacket
    }
}

extension ProfileConfig {
    /// Where the profiles file is, as messages name it.
    static var pathForMessages: String {
        ConfigPaths.profilesFile(environment: ProcessInfo.processInfo.environment) ?? "$XDG_CONFIG_HOME/mqdash/config.toml"
    }

    /// The user's profiles file, nil when there is none; an error in it stops the command (a typo in a
    /// profile must not connect somewhere else), and a password readable by others gets a warning.
    static func loadForCommandLine(environment: [String: String]) throws -> ProfileConfig? {
        guard let path = ConfigPaths.profilesFile(environment: environment) else { return nil }
        let config: ProfileConfig?
        do { config = try load(path: path) } catch { throw ExitWithMessage(message: "Error: \(error)", code: 1) }
        if let config, let warning = PasswordFilePermissions.warning(for: config) { Console.error(warning) }
        return config
    }
}
