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
        return try fromOptions.followed(by: settings)
    }

    /// These rules, then the file's; a bad chain in the file names its file and line.
    func followed(by settings: [DecoderRuleSetting]) throws -> DecoderRules {
        let pairs = rules.map { (filter: $0.filter, chain: $0.chain.description) } + settings.map { (filter: $0.filter, chain: $0.decode) }
        do throws(DecoderRuleError) {
            return try DecoderRules(rules: pairs)
        } catch {
            let setting = settings[error.index - rules.count]
            let place = setting.file + (setting.line.map { ":\($0)" } ?? "")
            throw ExitWithMessage(message: "Error: \(place): [[decoders]] \(error.message)", code: 1)
        }
    }
}
