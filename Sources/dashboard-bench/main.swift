// Release-mode benchmarks of the dashboard: applying messages to the state, and full redraws.
// Run: swift build -c release --product dashboard-bench && .build/release/dashboard-bench
import BenchSupport
import Dashboard
import MQTTCore
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Resident set size in MB from /proc (Linux only; nil elsewhere).
func residentMegabytes() -> Double? {
    #if canImport(Glibc)
    guard let file = fopen("/proc/self/statm", "r") else { return nil }
    defer { fclose(file) }
    var size = 0, resident = 0
    guard withUnsafeMutablePointer(to: &size, { s in withUnsafeMutablePointer(to: &resident) { r in
        withVaList([s, r]) { vfscanf(file, "%ld %ld", $0) } } }) == 2 else { return nil }
    return Double(resident) * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    #else
    return nil
    #endif
}

let clock = ContinuousClock()

// `dashboard-bench memory`: resident size after 1M messages over 100k topics with the default limits,
// every message with its own payload buffer as the client delivers them. Run alone: nothing else is kept.
if CommandLine.arguments.dropFirst().first == "memory" {
    let before = residentMegabytes() ?? 0
    var state = DashboardState(settings: DashboardSettings())
    for i in 0..<1_000_000 {
        let topic = "site\(i % 10)/floor\(i / 10 % 10)/room\(i / 100 % 100)/sensor\(i / 10_000 % 10)"
        let payload = ByteBuffer(string: "{\"temp\":\(20 + i % 10).\(i % 7),\"seq\":\(i)}")
        _ = update(&state, .message(ReceivedMessage(topic: topic, payload: payload, receivedAt: 1_700_000_000 + Double(i) / 100_000)))
    }
    let after = residentMegabytes() ?? 0
    print("| memory after 1M messages over \(state.tree.topicCount) topics (defaults) | \(fixed(after, 1)) MB resident (\(fixed(before, 1)) MB at start) |")
    exit(0)
}
let topicCount = 100_000
let messageCount = 1_000_000
let start = 1_700_000_000.0

// Topics like a building: site/floor/room/sensor, 100 000 distinct ones. Built before timing,
// as the client would hand them over already decoded.
let topics: [String] = (0..<topicCount).map { i in
    "site\(i % 10)/floor\(i / 10 % 10)/room\(i / 100 % 100)/sensor\(i / 10_000)"
}
let payloads = (0..<16).map { ByteBuffer(string: "\(20 + $0).\($0 % 10)") }
let messages: [ReceivedMessage] = (0..<messageCount).map { i in
    ReceivedMessage(topic: topics[i % topicCount], payload: payloads[i % payloads.count], retain: i < topicCount,
                    receivedAt: start + Double(i) / 200_000)
}

var rows: [(String, String)] = []

// 1. Applying messages: the first pass creates every topic, the whole run is the figure.
var settings = DashboardSettings()
settings.brokerURL = "mqtt://localhost:1883"
settings.clientID = "bench"
var state = DashboardState(settings: settings)
_ = update(&state, .resize(width: 200, height: 60))
let applyTime = clock.measure {
    for message in messages { _ = update(&state, .message(message)) }
}
rows.append(("apply 1M messages, 100k topics (first sight included)", fixed(Double(messageCount) / seconds(applyTime) / 1e6, 2) + " M msg/s"))

// Again on known topics only: the steady state under a flood.
let steadyTime = clock.measure {
    for message in messages { _ = update(&state, .message(message)) }
}
rows.append(("apply 1M messages, 100k known topics", fixed(Double(messageCount) / seconds(steadyTime) / 1e6, 2) + " M msg/s"))
_ = update(&state, .tick(now: start + 10))

/// Median milliseconds per frame over `frames` renders of the current state.
func frameTime(_ state: DashboardState, frames: Int = 50) -> Double {
    var buffer = Buffer(width: 200, height: 60)
    render(state, into: &buffer, theme: .monochrome)
    var times: [Double] = []
    for _ in 0..<frames {
        times.append(seconds(clock.measure { render(state, into: &buffer, theme: .monochrome) }))
    }
    blackHole(buffer)
    return times.sorted()[frames / 2] * 1000
}

// 2. Full redraws of a 200x60 screen over the 100k-topic state.
rows.append(("render 200x60, 100k topics (rows cached)", fixed(frameTime(state), 3) + " ms/frame"))

// The traffic view (`T`) open: the ranking is computed at every frame, over every node (issue 12 §3).
var trafficState = state
_ = update(&trafficState, .key(.character("T")))
_ = update(&trafficState, .tick(now: start + 11))
rows.append(("render 200x60, traffic view (T), 100k topics", fixed(frameTime(trafficState), 3) + " ms/frame"))
// Once a second a snapshot is taken and the ranking is made again over every node: that frame's cost,
// after a second of 20 000 messages over 20 000 topics (one each: the ties are ordered by name).
var rankingTimes: [Double] = []
var trafficBuffer = Buffer(width: 200, height: 60)
for second in 1...10 {
    for message in messages[(second * 20_000)..<((second + 1) * 20_000)] { _ = update(&trafficState, .message(message)) }
    _ = update(&trafficState, .tick(now: start + 11 + Double(second)))
    rankingTimes.append(seconds(clock.measure { render(trafficState, into: &trafficBuffer, theme: .monochrome) }))
}
blackHole(trafficBuffer)
rows.append(("render 200x60, traffic view, ranking made again (20k topics moved)", fixed(rankingTimes.sorted()[5] * 1000, 3) + " ms/frame"))

/// Milliseconds per frame of the UI loop under a flood: apply a batch of 2000 messages (100 000 msg/s at
/// 50 frames/s), then redraw. Works on `state` itself, as the app does, so nothing is copied.
func floodFrame(_ state: inout DashboardState, frames: Int = 50) -> Double {
    var buffer = Buffer(width: 200, height: 60)
    let time = clock.measure {
        for i in 0..<frames {
            for message in messages[(i * 2000)..<((i + 1) * 2000)] { _ = update(&state, .message(message)) }
            render(state, into: &buffer, theme: .monochrome)
        }
    }
    blackHole(buffer)
    return seconds(time) / Double(frames) * 1000
}

rows.append(("2000 msgs + render 200x60, by name", fixed(floodFrame(&state), 3) + " ms/frame"))

// Sorting by recency recomputes the visible order whenever messages arrived.
_ = update(&state, .key(.character("s")))
rows.append(("render 200x60, sorted by recency", fixed(frameTime(state, frames: 20), 3) + " ms/frame"))
rows.append(("2000 msgs + render 200x60, by recency", fixed(floodFrame(&state), 3) + " ms/frame"))
_ = update(&state, .key(.character("s")))

// A first frame from scratch (row cache cold) after everything was expanded by a search.
var expanded = state
_ = update(&expanded, .key(.character("/")))
for character in "sensor9" { _ = update(&expanded, .key(.character(character))) }
_ = update(&expanded, .key(.enter))
rows.append(("render 200x60 after a search expanded rows", fixed(frameTime(expanded, frames: 20), 3) + " ms/frame"))

// A new topic before every frame: the row cache is rebuilt each time (flatten, re-sort of the changed level).
var cold = expanded
var coldTimes: [Double] = []
var coldBuffer = Buffer(width: 200, height: 60)
for i in 0..<20 {
    _ = update(&cold, .message(ReceivedMessage(topic: "site0/floor0/room0/new\(i)", payload: payloads[0], receivedAt: start + 20)))
    coldTimes.append(seconds(clock.measure { render(cold, into: &coldBuffer, theme: .monochrome) }))
}
blackHole(coldBuffer)
rows.append(("render 200x60, new topic before each frame", fixed(coldTimes.sorted()[10] * 1000, 3) + " ms/frame"))

// The real detail view at work: a JSON topic with 100 readings selected, pretty JSON and a plot of one field.
var detailed = state
for i in 0..<100 {
    let json = "{\"temp\":\(fixed(4 + Double(i % 17) / 10, 1)),\"door\":\"closed\",\"power\":{\"watts\":\(80 + i % 9)}}"
    _ = update(&detailed, .message(ReceivedMessage(topic: "site0/kitchen/fridge", payload: ByteBuffer(string: json),
                                                   receivedAt: start + 30 + Double(i))))
}
for key in [Key.character("/")] + "kitchen/fridge".map(Key.character) + [.enter, .escape, .character("F")]
    + "temp".map(Key.character) + [.enter] {
    _ = update(&detailed, .key(key))
}
_ = update(&detailed, .tick(now: start + 131))
rows.append(("render 200x60, detail: JSON + plot of 100 values", fixed(frameTime(detailed), 3) + " ms/frame"))

// The watch board (`W`, issue 12): 12 tiles with ten minutes of readings each (one a second), at 200x60.
var boarded = DashboardState(settings: settings)
_ = update(&boarded, .resize(width: 200, height: 60))
let boardStart = start + 1000
boarded.loadBoards(BoardBook(boards: [Board(name: "b", tiles: (0..<12).map { BoardTile(topic: "board/t\($0)", unit: "°C") })]), show: "b")
for second in 0..<600 {
    for tile in 0..<12 {
        let value = fixed(20 + Double((second / 7 + tile) % 9) / 4, 2)
        _ = update(&boarded, .message(ReceivedMessage(topic: "board/t\(tile)", payload: ByteBuffer(string: value),
                                                      receivedAt: boardStart + Double(second) + Double(tile) / 12)))
    }
}
_ = update(&boarded, .tick(now: boardStart + 600))
// Nothing changed between frames (a key that moves the selection): every plot is the one kept.
rows.append(("render 200x60, board of 12 tiles, plots kept", fixed(frameTime(boarded), 3) + " ms/frame"))
// A key that moves the selection before each frame (`j` / `k`), as in the e2e key latency.
var movedTimes: [Double] = []
var movedBuffer = Buffer(width: 200, height: 60)
render(boarded, into: &movedBuffer, theme: .monochrome)
for i in 0..<50 {
    _ = update(&boarded, .key(.character(i % 2 == 0 ? "j" : "k")))
    movedTimes.append(seconds(clock.measure { render(boarded, into: &movedBuffer, theme: .monochrome) }))
}
blackHole(movedBuffer)
rows.append(("render 200x60, board of 12 tiles, selection moved", fixed(movedTimes.sorted()[25] * 1000, 3) + " ms/frame"))
// The clock a bucket (10 s) further before each frame: every plot is drawn again, as before they were kept.
var boardTimes: [Double] = []
var boardBuffer = Buffer(width: 200, height: 60)
for i in 1...50 {
    _ = update(&boarded, .tick(now: boardStart + 600 + 10 * Double(i)))
    boardTimes.append(seconds(clock.measure { render(boarded, into: &boardBuffer, theme: .monochrome) }))
}
blackHole(boardBuffer)
rows.append(("render 200x60, board of 12 tiles, every plot drawn", fixed(boardTimes.sorted()[25] * 1000, 3) + " ms/frame"))

let nameWidth = rows.map(\.0.count).max() ?? 10
print("| " + "benchmark".padding(nameWidth) + " | " + "result".padding(18) + " |")
print("|-" + String(repeating: "-", count: nameWidth) + "-|-" + String(repeating: "-", count: 18) + ":|")
for (name, value) in rows { print("| " + name.padding(nameWidth) + " | " + value.padding(18) + " |") }
print("topics: \(state.tree.topicCount), log kept: \(state.log.count), tree nodes: \(expanded.tree.nodes.count)")

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
