#if !FUZZING
import Foundation

/// The normal build: replays corpus files through the same program libFuzzer runs, so a found crash
/// can be reproduced (and stepped through in a debugger) without a fuzzing toolchain.
@main
struct Replayer {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--write-seeds", arguments.count == 2 {
            writeSeeds(to: arguments[1])
        } else if !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("-") }) {
            replay(arguments)
        } else {
            fail("usage: broker-fuzz DIR_OR_FILE...   |   broker-fuzz --write-seeds DIR")
        }
    }

    private static func replay(_ paths: [String]) {
        var files = 0
        var tally = BrokerWorld.Tally()
        for path in paths {
            for file in filesIn(path) {
                guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                tally = tally + BrokerProgram.run(Array(data))
                files += 1
            }
        }
        print("ran \(files) files, \(tally.steps) steps: \(tally.deliveriesChecked) deliveries checked against the ACL, "
              + "\(tally.acknowledgementsChecked) acknowledged messages accounted for; every invariant held")
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
            for seed in Seeds.files() {
                try Data(seed.bytes).write(to: URL(fileURLWithPath: directory + "/" + seed.name))
            }
            print("wrote \(Seeds.files().count) seed files to \(directory)")
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
