/// Sparkplug B payloads (placeholder until the generated schema is in).
enum SparkplugDecoder {
    static func decode(_ bytes: [UInt8], context: DecodeContext) throws(DecodeFailure) -> DecodedValue {
        throw DecodeFailure("sparkplugb", "not available yet")
    }
}
