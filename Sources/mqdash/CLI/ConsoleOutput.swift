import Foundation

/// Unbuffered-enough writes to stdout and stderr: each message is flushed, as mosquitto_sub does,
/// so a pipe reader sees it at once.
enum Console {
    static func write(_ bytes: [UInt8]) {
        // write(2) straight to fd 1: nothing is buffered, so there is nothing to flush.
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBufferPointer { Foundation.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }

    static func line(_ text: String) {
        write(Array((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Ends the process with an exit code after printing why; used where mosquitto's tools exit.
struct ExitWithMessage: Error {
    var message: String?
    var code: Int32
}
