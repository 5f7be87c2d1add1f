import Foundation
import XCTest

/// A fresh directory under the system temporary directory, removed by `cleanup()` or when it goes away.
public final class TemporaryDirectory {
    public let path: String

    public init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/mqdash-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let target = file(name)
        try contents.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    public func read(_ name: String) throws -> String {
        try String(contentsOfFile: file(name), encoding: .utf8)
    }

    public func cleanup() {
        try? FileManager.default.removeItem(atPath: path)
    }

    deinit { cleanup() }
}

/// A test case with a fresh `directory` for each test, removed after it.
open class TemporaryDirectoryTestCase: XCTestCase {
    public private(set) var directory: TemporaryDirectory!

    override open func setUpWithError() throws {
        try super.setUpWithError()
        directory = try TemporaryDirectory()
    }

    override open func tearDownWithError() throws {
        directory = nil
        try super.tearDownWithError()
    }

    /// The path of `name` in `directory`.
    public func path(_ name: String) -> String { directory.file(name) }
}
