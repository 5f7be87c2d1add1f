import Foundation
import XCTest

/// The real mosquitto broker on a config file, for the tests that compare against it; stopped by `stop()`.
struct RunningMosquitto {
    private let process = Process()

    /// Starts `mosquitto -c configPath` and waits (10 s at most) until `port` accepts connections.
    init(executable: String, configPath: String, port: Int) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-c", configPath]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !canConnect(port: port) && Date() < deadline && process.isRunning {
            usleep(50_000)
        }
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
