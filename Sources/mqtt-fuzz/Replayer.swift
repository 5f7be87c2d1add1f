#if !FUZZING
import Foundation
import NIOCore

/// The normal build: replays corpus files through the same check libFuzzer runs, so a found crash
/// can be reproduced and CI can run the corpus without a fuzzing toolchain.
@main
struct Replayer {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--write-seeds", arguments.count == 2 {
            writeSeeds(to: arguments[1])
        } else if !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("-") }) {
            replay(arguments)
        } else {
            fail("usage: mqtt-fuzz DIR_OR_FILE...   |   mqtt-fuzz --write-seeds DIR")
        }
    }

    private static func replay(_ paths: [String]) {
        var tally = RoundTripCheck.Tally()
        var files = 0
        for path in paths {
            for file in filesIn(path) {
                guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                RoundTripCheck.run(ByteBuffer(bytes: data), tally: &tally)
                files += 1
            }
        }
        print("ran \(files) files: \(tally.packets) packets round-tripped, \(tally.errors) inputs refused, no crash")
    }

    /// A directory's regular files (not recursive), or the path itself when it is a file.
    private static func filesIn(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("no such file or directory: \(path)") }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") && $0 != "README.md" }.map { path + "/" + $0 }
    }

    private static func writeSeeds(to directory: String) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let seeds = Seeds.files()
            for seed in seeds {
                try Data(seed.bytes.readableBytesView).write(to: URL(fileURLWithPath: directory + "/" + seed.name))
            }
            print("wrote \(seeds.count) seed files to \(directory)")
        } catch {
            fail("cannot write seeds: \(error)")
        }
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}
#endif
