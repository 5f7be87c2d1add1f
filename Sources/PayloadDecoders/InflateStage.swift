import CZlib

/// gzip, zlib and raw deflate through the system zlib (the same `CZlib` module the recordings use),
/// inflating in chunks so that the output limit stops a decompression bomb before it takes the memory.
enum InflateStage {
    enum Format: String {
        case gzip, zlib, deflate

        /// zlib's windowBits: 16 + 15 reads gzip only, 15 zlib, -15 raw deflate.
        var windowBits: Int32 {
            switch self {
            case .gzip: 31
            case .zlib: 15
            case .deflate: -15
            }
        }
    }

    static func inflate(_ input: [UInt8], format: Format, limits: DecodeLimits) throws(DecodeFailure) -> [UInt8] {
        let name = format.rawValue
        guard !input.isEmpty else { throw DecodeFailure(name, "empty input") }
        var stream = z_stream()
        guard inflateInit2_(&stream, format.windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DecodeFailure(name, "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var input = input
        let failure: DecodeFailure? = input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if output.count + produced > limits.maximumOutputBytes {
                    return DecodeFailure(name, "output larger than \(limits.maximumOutputBytes) bytes (limit)")
                }
                output += chunk[0..<produced]
                switch status {
                case Z_STREAM_END:
                    // gzip allows members one after another (`cat a.gz b.gz`); the others end at their end.
                    if format == .gzip, stream.avail_in > 0 {
                        guard inflateReset(&stream) == Z_OK else { return DecodeFailure(name, "zlib could not reset") }
                        continue
                    }
                    if stream.avail_in > 0 { return DecodeFailure(name, "\(stream.avail_in) bytes after the end of the stream") }
                    return nil
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress was possible: all the input was used and the stream wants more.
                    if stream.avail_in == 0 { return DecodeFailure(name, "truncated: the stream ends early") }
                    if produced == 0 { return DecodeFailure(name, "no progress (corrupt stream)") }
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    return DecodeFailure(name, "corrupt stream at byte \(Int(stream.total_in)): \(message)")
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
