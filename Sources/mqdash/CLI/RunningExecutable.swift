import Foundation

/// The running binary's own path, symbolic links resolved, for finding what is installed next to it.
enum RunningExecutable {
    /// argv[0] is only "mqdash" when the shell found the binary on PATH, and a symbolic link such as
    /// ~/bin/mqdash -> /opt/mqdash/bin/mqdash must lead to /opt/mqdash/share; the kernel's
    /// /proc/self/exe has neither problem. Elsewhere (macOS) Foundation's idea, then argv[0].
    static var path: String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        let fallback = Bundle.main.executablePath ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: fallback).resolvingSymlinksInPath().path
    }
}
