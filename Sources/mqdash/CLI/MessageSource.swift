import ArgumentParser
import Foundation
import NIOCore

/// `-m`, `-f`, `-n`, `-s`: the one message `mqdash pub` and `mqdash rr` send, as mosquitto's tools read it.
enum MessageSource {
    /// The payload, or nil when none of the four was given.
    static func load(message: String?, file: String?, null: Bool, stdin: Bool) throws -> ByteBuffer? {
        if let message { return ByteBuffer(string: message) }
        if null { return ByteBuffer() }
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ExitWithMessage(message: "Error: Unable to open file \"\(file)\".", code: 1)
            }
            return ByteBuffer(bytes: data)
        }
        if stdin { return ByteBuffer(bytes: FileHandle.standardInput.readDataToEndOfFile()) }
        return nil
    }
}
