#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConfigFile

/// `$XDG_CONFIG_HOME/mqdash/config.toml`: named connection profiles and the payload decoder rules.
public struct ProfileConfig: Equatable, Sendable {
    public var file: String
    /// In file order.
    public var profiles: [ConnectionProfile] = []
    /// The `[[decoders]]` tables, in file order, for the decoder library to read (not wired here).
    public var decoderRules: [DecoderRuleSetting] = []
    /// Whether some profile keeps its password in the file (`password = ...`).
    public var holdsPassword: Bool { profiles.contains { if case .literal? = $0.password { true } else { false } } }

    public init(file: String) { self.file = file }

    public func profile(named name: String) -> ConnectionProfile? { profiles.first { $0.name == name } }

    public static let defaultProfileName = "default"

    /// Reads the file at `path`; nil when there is none (having no profiles is normal).
    public static func load(path: String) throws(ProfileError) -> ProfileConfig? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProfileError(file: path, "cannot read the profiles file: permission denied or not a file")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ProfileError(file: path, "cannot read the profiles file: not valid UTF-8")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(ProfileError) -> ProfileConfig {
        let document: ConfigTable
        do {
            document = try ConfigDocument.parse(text)
        } catch {
            throw ProfileError(file: file, line: error.line, key: error.key, "syntax error: " + error.message)
        }
        var config = ProfileConfig(file: file)
        for entry in document.entries {
            switch entry.key {
            case "profiles":
                let reader = SettingReader(file: file, table: nil)
                for profileEntry in try reader.table(entry).entries {
                    config.profiles.append(try ProfileReader.read(profileEntry, file: file))
                }
            case "decoders":
                config.decoderRules = try DecoderRulesReader.read(entry, file: file)
            default:
                throw ProfileError(file: file, line: entry.line, key: entry.key,
                                   "unknown key \(entry.key); expected [profiles.NAME] or [[decoders]]")
            }
        }
        return config
    }
}
