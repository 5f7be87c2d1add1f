// Release-mode benchmark of the payload decoders: decodes per second on one core, ~200-byte payloads.
// Run: swift build -c release --product decoder-bench && .build/release/decoder-bench
import BenchSupport
import CZlib
import PayloadDecoders

#if canImport(Glibc)
import Glibc
#endif

/// CPU time this thread has used, in seconds (steadier than wall time on a shared machine).
func threadCPUTime() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

func gzip(_ input: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    precondition(deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                               Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&stream) }
    var input = input
    var output = [UInt8](repeating: 0, count: input.count + 64)
    let written = input.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { target in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            stream.next_out = target.baseAddress
            stream.avail_out = UInt32(target.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return target.count - Int(stream.avail_out)
        }
    }
    return Array(output[0..<written])
}

func base64(_ input: [UInt8]) -> [UInt8] {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    for start in stride(from: 0, to: input.count, by: 3) {
        let chunk = Array(input[start..<min(start + 3, input.count)]) + [0, 0]
        let n = Int(chunk[0]) << 16 | Int(chunk[1]) << 8 | Int(chunk[2])
        let count = min(3, input.count - start) + 1
        for index in 0..<4 { out.append(index < count ? alphabet[(n >> (18 - 6 * index)) & 63] : UInt8(ascii: "=")) }
    }
    return out
}

let json = BenchPayloads.json
let cases: [(name: String, chain: String, payload: [UInt8], topic: String)] = [
    ("text", "text", json, "t"),
    ("json", "json", json, "t"),
    ("hex", "hex", json, "t"),
    ("msgpack", "msgpack", BenchPayloads.msgpack, "t"),
    ("cbor", "cbor", BenchPayloads.cbor, "t"),
    ("protobuf (schema-less)", "protobuf", BenchPayloads.protobuf, "t"),
    ("sparkplugb (NDATA, 10 metrics)", "sparkplugb", BenchPayloads.sparkplug, "spBv1.0/g/NDATA/n"),
    ("base64 | json", "base64 | json", base64(json), "t"),
    ("gzip | json", "gzip | json", gzip(json), "t"),
    ("base64 | gzip | json", "base64 | gzip | json", base64(gzip(json)), "t"),
]

let filter = CommandLine.arguments.dropFirst().first
let clock = ContinuousClock()
let operations = 100_000
print("| decoder | payload | wall rate | CPU-time rate | JSON text too |")
print("|---|---:|---:|---:|---:|")
for entry in cases where filter.map({ entry.name.contains($0) }) ?? true {
    let chain = try! DecoderChain(parsing: entry.chain)
    let context = DecodeContext(topic: entry.topic)
    // The decode alone, then decode + the one-line JSON that sub prints and the views read.
    func round(withText: Bool) -> (wall: Double, cpu: Double) {
        let cpuStart = threadCPUTime()
        let elapsed = clock.measure {
            for _ in 0..<operations {
                let value = try! chain.decode(entry.payload, context: context)
                if withText { blackHole(value.jsonBytes) } else { blackHole(value) }
            }
        }
        return (seconds(elapsed), threadCPUTime() - cpuStart)
    }
    func median(withText: Bool) -> (wall: Double, cpu: Double) {
        _ = round(withText: withText)
        let rounds = (0..<5).map { _ in round(withText: withText) }
        return (rounds.map(\.wall).sorted()[2], rounds.map(\.cpu).sorted()[2])
    }
    let plain = median(withText: false)
    let text = median(withText: true)
    func rate(_ seconds: Double) -> String { fixed(Double(operations) / seconds / 1000, 0) + " k/s" }
    print("| \(entry.name.split(separator: "|").joined(separator: "\\|")) | \(entry.payload.count) B | \(rate(plain.wall)) | \(rate(plain.cpu)) | \(rate(text.cpu)) |")
}
