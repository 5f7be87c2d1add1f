// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mqdash",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mqdash", targets: ["mqdash"]),
        .library(name: "MQTTCore", targets: ["MQTTCore"]),
        .library(name: "MQTTClient", targets: ["MQTTClient"]),
        .library(name: "MQTTBroker", targets: ["MQTTBroker"]),
        .library(name: "MQTTRecording", targets: ["MQTTRecording"]),
        .library(name: "PayloadDecoders", targets: ["PayloadDecoders"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        // The Sparkplug B payload, from generated code that is committed (no protoc or build plugin at build time).
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        .target(
            name: "MQTTCore",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        // The MQTT-over-WebSocket frame adapter, shared by the client and the broker.
        .target(
            name: "MQTTWebSocket",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .target(
            name: "MQTTClient",
            dependencies: [
                "MQTTCore",
                "MQTTWebSocket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The embedded broker: listeners, sessions, routing, retained messages, wills, $SYS, mosquitto.conf, auth,
        // persistence on SQLite through GRDB (system SQLite: libsqlite3-dev, installed by `make deps`).
        .target(
            name: "MQTTBroker",
            dependencies: [
                "MQTTCore",
                "MQTTWebSocket",
                // A bridge's link to the remote broker is our own client.
                "MQTTClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // Reads a client certificate's subject for use_identity_as_username / use_subject_as_username.
                .product(name: "X509", package: "swift-certificates"),
                // metrics_listener: /metrics in Prometheus' text format.
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The recording format of `mqdash record` / `replay`: JSON Lines read and written streaming, gzip through
        // the system zlib (CZlib), no IO beyond files.
        .target(name: "MQTTRecording", dependencies: ["MQTTCore", "CZlib"]),
        // Payload decoders bound to topics (json, msgpack, cbor, protobuf, Sparkplug B, gzip, base64...) as a tree
        // shaped like JSON; inflate through the same CZlib. No IO.
        .target(
            name: "PayloadDecoders",
            dependencies: ["MQTTCore", "CZlib", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Sparkplug/sparkplug_b.proto"]
        ),
        // zlib (gzip files for recordings, inflate for the payload decoders) through a module map (zlib1g-dev); no pkgConfig, like CNcursesw.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // TOML files through TOMLKit, each table and key with its line, so that every config error names file and line.
        .target(name: "ConfigFile", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
        // Connection profiles of $XDG_CONFIG_HOME/mqdash/config.toml, the passwords they name, mosquitto_sub's and
        // mosquitto_pub's option files.
        .target(name: "Profiles", dependencies: ["ConfigFile"]),
        // The TUI without curses: state, events, update, widgets drawing into a cell buffer, themes.
        .target(
            name: "Dashboard",
            dependencies: ["MQTTCore", "ConfigFile", "PayloadDecoders", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // The app's orchestration without curses: the UI loop (pacing, batching, ticks) over a `Terminal`
        // protocol, and the bounded event queue through which the connection reaches it.
        .target(name: "DashboardApp", dependencies: ["Dashboard"]),
        // ncursesw through a module map and shim header (see docs/architecture.md); no pkgConfig on purpose.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),
        // The only code that imports curses: the `Terminal` that draws buffer diffs, reads keys, mouse and resizes.
        .target(name: "TerminalUI", dependencies: ["Dashboard", "DashboardApp", "CNcursesw"]),
        .executableTarget(
            name: "mqdash",
            dependencies: [
                "MQTTCore",
                "MQTTClient",
                "Dashboard",
                "DashboardApp",
                "TerminalUI",
                "MQTTBroker",
                "MQTTBench",
                "MQTTRecording",
                "PayloadDecoders",
                "Profiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            // `mqdash --version` names the git commit it was built from.
            plugins: ["GitCommit"]
        ),
        // The load generator behind `mqdash bench` (the executable keeps only its flags): many clients
        // on NIO with their own minimal pipeline, latencies recorded into HdrHistogram.
        .target(
            name: "MQTTBench",
            dependencies: [
                "MQTTCore",
                "MQTTClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // Writes GitCommit.swift (the checkout's commit, or "unknown" outside git) before each build.
        .plugin(name: "GitCommit", capability: .buildTool()),
        // What the micro benchmarks share: blackHole, durations in seconds, figures with fixed decimals.
        .target(name: "BenchSupport"),
        // Release-mode micro benchmarks of the codec and the subscription trie.
        .executableTarget(
            name: "core-bench",
            dependencies: ["BenchSupport", "MQTTCore", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // Release-mode benchmarks of the dashboard: applying messages to the state, full redraws.
        .executableTarget(
            name: "dashboard-bench",
            dependencies: ["BenchSupport", "Dashboard", "MQTTCore", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // Release-mode benchmark of the payload decoders: decodes per second per core on ~200-byte payloads.
        .executableTarget(name: "decoder-bench", dependencies: ["BenchSupport", "PayloadDecoders", "CZlib"]),
        // Release-mode measurement of the SQLite store: enqueue + whenDurable throughput, NORMAL vs FULL.
        .executableTarget(
            name: "store-bench",
            dependencies: ["MQTTBroker", "MQTTCore", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // What both fuzz executables share: replaying a corpus in a normal build, libFuzzer's driver with -DFUZZING.
        .target(
            name: "FuzzHarness",
            // @_extern(c) declares libFuzzer's LLVMFuzzerRunDriver without a C shim target (used only with -DFUZZING).
            swiftSettings: [.enableExperimentalFeature("Extern")]
        ),
        // Replays a corpus through the decoder; built with -sanitize=fuzzer it is a libFuzzer target.
        .executableTarget(
            name: "mqtt-fuzz",
            dependencies: ["FuzzHarness", "MQTTCore", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // Drives the broker with several clients and clock ticks and checks its invariants after every step;
        // built with -sanitize=fuzzer it is a libFuzzer target (see Fuzz/README.md).
        .executableTarget(
            name: "broker-fuzz",
            dependencies: [
                "FuzzHarness", "MQTTBroker", "MQTTCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Runs every payload decoder and a few chains on each input; built with -sanitize=fuzzer it is a libFuzzer
        // target (see Fuzz/README.md). No broker in it, so it builds quickly beside the other two.
        .executableTarget(
            name: "decoder-fuzz",
            dependencies: ["FuzzHarness", "PayloadDecoders"]
        ),
        // What several test targets share: temporary directories.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "MQTTCoreTests",
            dependencies: [
                "MQTTCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: ["Dashboard", "ConfigFile", "MQTTCore", "PayloadDecoders", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "DashboardAppTests",
            dependencies: ["DashboardApp", "Dashboard", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(
            name: "TerminalUITests",
            dependencies: ["TerminalUI", "Dashboard"]),
        .testTarget(
            name: "MQTTBrokerTests",
            dependencies: [
                "MQTTBroker", "MQTTCore", "MQTTClient", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                // A second, independent connection on the store's database file.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MQTTClientTests",
            dependencies: [
                "MQTTCore", "MQTTClient", "MQTTWebSocket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        // Tests of the executable's own types (formatter, traces, -D parsing); SwiftPM allows
        // @testable import of an executable target.
        .testTarget(
            name: "mqdashTests",
            dependencies: [
                "mqdash", "MQTTCore", "MQTTClient", "MQTTBench", "MQTTRecording", "Profiles", "PayloadDecoders", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ProfilesTests", dependencies: ["Profiles", "ConfigFile"]),
        .testTarget(name: "MQTTRecordingTests", dependencies: ["MQTTRecording", "MQTTCore", "TestSupport"]),
        .testTarget(name: "PayloadDecodersTests", dependencies: ["PayloadDecoders", "CZlib"]),
        .testTarget(
            name: "MQTTBenchTests",
            dependencies: [
                "MQTTBench", "MQTTCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
