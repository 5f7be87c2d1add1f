import Foundation

/// The normal build's behaviour: replays corpus files (or writes the seeds) through the same
/// `run` libFuzzer calls.
struct CorpusReplayer<Target: FuzzTarget> {
    func run(_ arguments: [String]) -> Never {
        if arguments.first == "--write-seeds", arguments.count == 2 {
            writeSeeds(to: arguments[1])
        } else if !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("-") }) {
            replay(arguments)
        } else {
            fail("usage: \(Target.name) DIR_OR_FILE...   |   \(Target.name) --write-seeds DIR")
        }
        exit(0)
    }

    private func replay(_ paths: [String]) {
        var target = Target()
        var files = 0
        for path in paths {
            for file in filesIn(path) {
                guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                data.withUnsafeBytes { target.run($0.bindMemory(to: UInt8.self)) }
                files += 1
            }
        }
        print("ran \(files) files: \(target.summary)")
    }

    /// A directory's regular files (not recursive), or the path itself when it is a file.
    private func filesIn(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("no such file or directory: \(path)") }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") && $0 != "README.md" }.map { path + "/" + $0 }
    }

    private func writeSeeds(to directory: String) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let seeds = Target.seeds()
            for seed in seeds {
                try Data(seed.bytes).write(to: URL(fileURLWithPath: directory + "/" + seed.name))
            }
            print("wrote \(seeds.count) seed files to \(directory)")
        } catch {
            fail("cannot write seeds: \(error)")
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}
