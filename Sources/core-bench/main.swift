// Release-mode micro benchmarks of the codec and the subscription trie, printed as a Markdown table.
// Run: swift build -c release --product core-bench && .build/release/core-bench [codec [ROW]|trie]
// (ROW picks codec rows by name, e.g. `codec "16 B decode"`, for profiling one of them.)
import BenchSupport

let arguments = Array(CommandLine.arguments.dropFirst())
let only = arguments.first
var results: [BenchResult] = []
if only == nil || only == "codec" { results += CodecBenchmarks.all(matching: arguments.dropFirst().first) }
var deliveriesPerTopic: Double?
if only == nil || only == "trie" {
    let trie = TrieMatchBenchmark.run()
    results.append(trie.result)
    deliveriesPerTopic = trie.deliveriesPerTopic
}
printTable(results)
if let deliveriesPerTopic { print("trie: \(fixed(deliveriesPerTopic, 3)) deliveries per topic on average") }
if only == nil {
    // The topics branch's own trie sets (10k topics repeated 100 times), with CPU-time rates.
    print()
    TrieBenchmark.run()
}
