import ArgumentParser
import PayloadDecoders

extension DecoderRules {
    /// The rules of repeated `--decode FILTER=CHAIN` options, in the order given; a bad one is a usage error.
    static func validated(_ options: [String]) throws -> DecoderRules {
        do throws(DecoderRuleError) {
            return try DecoderRules.parseOptions(options)
        } catch {
            throw ValidationError(error.message)
        }
    }
}
