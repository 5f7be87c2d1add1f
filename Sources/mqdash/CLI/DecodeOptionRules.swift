import ArgumentParser
import Foundation
import PayloadDecoders
import Profiles

extension DecoderRules {
    /// The rules of repeated `--decode FILTER=CHAIN` options, in the order given; a bad one is a usage error.
    static func validated(_ options: [String]) throws -> DecoderRules {
        do throws(DecoderRuleError) {
            return try DecoderRules.parseOptions(options)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// What the dashboard, `open` and `sub` decode with: the `--decode` options first (the command line wins),
    /// then the `[[decoders]]` of the profiles file, which apply with or without a profile.
    static func forCommand(options: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DecoderRules {
        let fromOptions = try validated(options)
        guard let path = ConfigPaths.profilesFile(environment: environment) else { return fromOptions }
        let settings: [DecoderRuleSetting]
        do throws(ProfileError) {
            settings = try ProfileConfig.load(path: path)?.decoderRules ?? []
        } catch {
            // A plain `-h host` command does not need the file; its other mistakes must not stop it.
            Console.error("Warning: the [[decoders]] of \(path) are not used: \(error)")
            return fromOptions
        }
        return fromOptions.followed(by: try fromFile(settings))
    }

    /// The file's `[[decoders]]`; a bad chain names its file and line.
    private static func fromFile(_ settings: [DecoderRuleSetting]) throws -> DecoderRules {
        do throws(DecoderRuleError) {
            return try DecoderRules(rules: settings.map { (filter: $0.filter, chain: $0.decode) })
        } catch {
            let setting = settings[error.index]
            let place = setting.file + (setting.line.map { ":\($0)" } ?? "")
            throw ExitWithMessage(message: "Error: \(place): [[decoders]] \(error.message)", code: 1)
        }
    }
}
