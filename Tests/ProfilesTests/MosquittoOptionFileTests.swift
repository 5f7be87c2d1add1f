import Profiles
import XCTest

/// mosquitto_sub's defaults file, split as client_shared.c splits it.
final class MosquittoOptionFileTests: XCTestCase {
    func testOneOptionPerLineTheRestIsItsArgument() {
        let file = MosquittoOptionFile(path: "f", text: "# a comment\n-h broker\r\n\n   \n  -v\n-t a b  \n -t #\n  # not a comment\n-i  two\n-u \n")
        XCTAssertEqual(file.lines, [
            .init(number: 2, arguments: ["-h", "broker"]),
            .init(number: 5, arguments: ["-v"]),
            .init(number: 6, arguments: ["-t", "a b  "]),
            .init(number: 7, arguments: ["-t", "#"]),
            .init(number: 8, arguments: ["#", "not a comment"]),
            .init(number: 9, arguments: ["-i", " two"]),
            .init(number: 10, arguments: ["-u"]),
        ])
        XCTAssertEqual(MosquittoOptionFile(path: "f", text: "").arguments, [])
    }
}
