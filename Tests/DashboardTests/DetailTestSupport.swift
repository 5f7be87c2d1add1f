import Foundation
import MQTTCore
import NIOCore

@testable import Dashboard

/// Builds messages and renders widgets for the detail-view and publish-form tests.
enum DetailFixture {
    static func message(_ payload: [UInt8], topic: String = "livingroom/temp", size: Int? = nil, qos: QoS = .atMostOnce,
                        retain: Bool = false, dup: Bool = false, properties: Properties = [], at time: Double = 3600 * 20 + 60 * 11 + 5) -> ReceivedMessage {
        ReceivedMessage(topic: topic, payload: ByteBuffer(bytes: payload), size: size, qos: qos, retain: retain, dup: dup,
                        properties: properties, receivedAt: time)
    }

    static func message(_ text: String, topic: String = "livingroom/temp", at time: Double = 3600 * 20 + 60 * 11 + 5) -> ReceivedMessage {
        message(Array(text.utf8), topic: topic, at: time)
    }

    static func render(_ widget: some Widget, width: Int, height: Int) -> [String] {
        var buffer = Buffer(width: width, height: height)
        widget.render(in: buffer.area, buffer: &buffer, theme: .monochrome)
        return buffer.lines().map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }

    static func renderBuffer(_ widget: some Widget, width: Int, height: Int, theme: Theme = .monochrome) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        widget.render(in: buffer.area, buffer: &buffer, theme: theme)
        return buffer
    }
}

extension Buffer {
    /// The style of the first cell of `text` on row `y`.
    func detailStyle(of text: String, row y: Int) -> Style? {
        let line = lines()[y]
        guard let range = line.range(of: text) else { return nil }
        var x = 0
        for character in line[..<range.lowerBound] { x += DisplayWidth.of(character) }
        return self[x, y].style
    }
}

/// A theme where each role has its own colour, to check which role drew what.
let detailRoleTheme = Theme(name: "roles", styles: Dictionary(uniqueKeysWithValues: Role.allCases.enumerated().map {
    ($0.element, Style(foreground: .indexed(UInt8($0.offset + 1))))
}))
