import MQTTCore
import NIOCore

/// `connection` blocks: the options after a `connection NAME` line configure that bridge.
extension ParserState {
    static let bridgeOptionNames: Set<String> = [
        "address", "addresses", "topic", "remote_clientid", "clientid", "local_clientid", "remote_username",
        "username", "remote_password", "password", "local_username", "local_password", "cleansession",
        "local_cleansession", "keepalive_interval", "idle_timeout", "threshold", "notifications",
        "notifications_local_only", "notification_topic", "restart_timeout", "round_robin", "start_type",
        "try_private", "bridge_protocol_version", "bridge_cafile", "bridge_capath", "bridge_certfile",
        "bridge_keyfile", "bridge_insecure", "bridge_alpn", "bridge_tls_version", "bridge_outgoing_retain",
        "bridge_max_packet_size", "bridge_attempt_unsubscribe", "bridge_bind_address", "bridge_identity",
        "bridge_psk", "bridge_require_ocsp",
    ]

    // Both tables are constants of plain stored-property key paths (nothing captured); key paths just are not
    // marked Sendable, hence nonisolated(unsafe).
    /// Options that set one string: a word, or the rest of the line (`isText`: passwords, paths).
    nonisolated(unsafe) private static let bridgeWords: [String: (path: WritableKeyPath<BridgeConfiguration, String?>, isText: Bool)] = [
        "remote_clientid": (\.remoteClientID, false), "clientid": (\.remoteClientID, false),
        "local_clientid": (\.localClientID, false),
        "remote_username": (\.remoteUsername, false), "username": (\.remoteUsername, false),
        "remote_password": (\.remotePassword, true), "password": (\.remotePassword, true),
        "local_username": (\.localUsername, false), "local_password": (\.localPassword, true),
        "bridge_cafile": (\.tls.cafile, true), "bridge_capath": (\.tls.capath, true),
        "bridge_certfile": (\.tls.certfile, true), "bridge_keyfile": (\.tls.keyfile, true),
        "bridge_alpn": (\.tls.alpn, false), "bridge_identity": (\.tls.pskIdentity, false),
    ]

    /// Options that are `true` or `false`.
    nonisolated(unsafe) private static let bridgeSwitches: [String: WritableKeyPath<BridgeConfiguration, Bool>] = [
        "cleansession": \.cleanSession, "notifications": \.notifications,
        "notifications_local_only": \.notificationsLocalOnly, "round_robin": \.roundRobin, "try_private": \.tryPrivate,
        "bridge_insecure": \.tls.insecure, "bridge_outgoing_retain": \.outgoingRetain,
        "bridge_attempt_unsubscribe": \.attemptUnsubscribe,
    ]

    mutating func startBridge(_ rest: String) {
        guard let name = single(rest) else { return }
        if config.bridges.contains(where: { $0.name == name }) {
            error("Duplicate bridge name \"\(name)\".")
        }
        var bridge = BridgeConfiguration(name: name)
        bridge.file = file
        bridge.line = line
        config.bridges.append(bridge)
    }

    /// One option inside a `connection` block.
    mutating func handleBridgeOption(_ option: String, rest: String) {
        guard !config.bridges.isEmpty else {
            return error("\(option) belongs in a bridge: put it after a \"connection NAME\" line.")
        }
        let index = config.bridges.count - 1
        func set(_ apply: (inout BridgeConfiguration) -> Void) { apply(&config.bridges[index]) }
        if let field = Self.bridgeWords[option] {
            guard let value = field.isText ? text(rest) : single(rest) else { return }
            return set { $0[keyPath: field.path] = value }
        }
        if let field = Self.bridgeSwitches[option] {
            guard let value = boolean(rest) else { return }
            return set { $0[keyPath: field] = value }
        }
        switch option {
        case "address", "addresses":
            let words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !words.isEmpty else { return error("Missing value for \(option).") }
            var addresses: [BridgeConfiguration.Address] = []
            for word in words {
                guard let address = bridgeAddress(word) else { return }
                addresses.append(address)
            }
            set { $0.addresses = addresses }
        case "topic":
            guard let rule = bridgeTopic(rest) else { return }
            set { $0.topics.append(rule) }
        case "local_cleansession":
            guard let value = boolean(rest) else { return }
            set { $0.localCleanSession = value }
        case "keepalive_interval":
            guard let value = integer(rest, in: 5...65_535) else { return }
            set { $0.keepalive = value }
        case "notification_topic":
            guard let value = single(rest) else { return }
            guard (try? Topic.validateName(value)) != nil else {
                return error("Invalid notification_topic \"\(value)\": a topic name without wildcards.")
            }
            set { $0.notificationTopic = value }
        case "restart_timeout":
            let words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { Int($0) }
            guard (1...2).contains(words.count), words.allSatisfy({ ($0 ?? 0) > 0 }) else {
                return error("Invalid restart_timeout \"\(rest)\": expected seconds, or a base and a cap (restart_timeout 5 30).")
            }
            let cap = words.count == 2 ? words[1]! : nil
            if let cap, cap < words[0]! { return error("Invalid restart_timeout \"\(rest)\": the cap is below the base.") }
            set {
                $0.restartBase = words[0]!
                $0.restartCap = cap
            }
        case "start_type":
            guard let value = choice(rest, BridgeConfiguration.StartType.self) else { return }
            set { $0.startType = value }
        case "bridge_protocol_version":
            guard let word = single(rest) else { return }
            switch word {
            case "mqttv31": set { ($0.protocolVersion, $0.speaksMQTT31) = (.v3_1_1, true) }
            case "mqttv311": set { ($0.protocolVersion, $0.speaksMQTT31) = (.v3_1_1, false) }
            case "mqttv50": set { ($0.protocolVersion, $0.speaksMQTT31) = (.v5, false) }
            default: error("Invalid bridge_protocol_version \"\(word)\": expected mqttv31, mqttv311 or mqttv50.")
            }
        case "bridge_tls_version":
            guard let value = single(rest) else { return }
            guard ["tlsv1.3", "tlsv1.2", "tlsv1.1"].contains(value) else {
                return error("Invalid bridge_tls_version \"\(value)\": expected tlsv1.3, tlsv1.2 or tlsv1.1.")
            }
            set { $0.tls.version = value }
        case "bridge_max_packet_size":
            guard let value = integer(rest, in: 0...Int(Int32.max)) else { return }
            set { $0.maxPacketSize = value }
        case "threshold":
            guard let value = integer(rest, in: 1...Int(Int32.max)) else { return }
            set { $0.threshold = value }
        case "idle_timeout":
            guard let value = integer(rest, in: 1...Int(Int32.max)) else { return }
            set { $0.idleTimeout = value }
        case "bridge_bind_address":
            guard let value = single(rest) else { return }
            guard (try? SocketAddress(ipAddress: value, port: 0)) != nil else {
                return error("Invalid bridge_bind_address \"\(value)\": expected a local IP address such as 192.168.1.10.")
            }
            set { $0.bindAddress = value }
        case "bridge_psk":
            guard let value = single(rest) else { return }
            guard value.allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
                return error("Invalid bridge_psk: expected the key in hexadecimal, without 0x.")
            }
            set { $0.tls.pskHex = value }
        default:
            // bridge_require_ocsp: swift-nio-ssl, which carries our TLS, cannot ask for or check an OCSP staple, so
            // the link could not be held to what the file asks.
            error("\(option) is not supported by mqdash's broker: its TLS library (swift-nio-ssl) cannot check OCSP; "
                  + "remove it, or run this bridge in mosquitto.")
        }
    }

    /// `host`, `host:port`, `[v6]:port`, or mqdash's `ws://host:port/path`.
    private mutating func bridgeAddress(_ word: String) -> BridgeConfiguration.Address? {
        if word.hasPrefix("ws://") || word.hasPrefix("wss://") {
            let rest = word.drop(while: { $0 != "/" }).dropFirst(2)
            let hostPort = rest.prefix(while: { $0 != "/" })
            let path = rest.dropFirst(hostPort.count)
            guard let (host, port) = hostAndPort(String(hostPort), defaultPort: 80) else { return nil }
            return BridgeConfiguration.Address(host: host, port: port, webSocketPath: path.isEmpty ? "/mqtt" : String(path))
        }
        guard let (host, port) = hostAndPort(word, defaultPort: 1883) else { return nil }
        return BridgeConfiguration.Address(host: host, port: port)
    }

    private mutating func hostAndPort(_ text: String, defaultPort: Int) -> (String, Int)? {
        var host = text
        var portText: Substring?
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else {
            error("Invalid bridge address \"\(text)\": no host.")
            return nil
        }
        guard let portText else { return (host, defaultPort) }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            error("Invalid bridge address \"\(text)\": the port must be 1-65535.")
            return nil
        }
        return (host, port)
    }

    /// mosquitto's `topic` line; `""` is an empty pattern or prefix.
    private mutating func bridgeTopic(_ rest: String) -> BridgeConfiguration.TopicRule? {
        let words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0 == "\"\"" ? "" : String($0) }
        guard !words.isEmpty, words.count <= 5 else {
            error("Invalid topic \"\(rest)\": expected PATTERN [in|out|both [QOS [LOCAL_PREFIX [REMOTE_PREFIX]]]].")
            return nil
        }
        var rule = BridgeConfiguration.TopicRule(pattern: words[0], direction: .out, qos: .atMostOnce, localPrefix: "", remotePrefix: "")
        if words.count > 1 {
            guard let direction = BridgeConfiguration.Direction(rawValue: words[1]) else {
                error("Invalid topic direction \"\(words[1])\": expected in, out or both.")
                return nil
            }
            rule.direction = direction
        }
        if words.count > 2 {
            guard let level = UInt8(words[2]), let qos = QoS(rawValue: level) else {
                error("Invalid topic QoS \"\(words[2])\": expected 0, 1 or 2.")
                return nil
            }
            rule.qos = qos
        }
        if words.count > 3 { rule.localPrefix = words[3] }
        if words.count > 4 { rule.remotePrefix = words[4] }
        for prefix in [rule.localPrefix, rule.remotePrefix] where prefix.contains(where: { $0 == "+" || $0 == "#" }) {
            error("Invalid topic prefix \"\(prefix)\": prefixes may not contain wildcards.")
            return nil
        }
        if rule.pattern.isEmpty {
            // An empty pattern bridges exactly the topic the prefixes name (mosquitto).
            guard !rule.localPrefix.isEmpty, !rule.remotePrefix.isEmpty else {
                error("Invalid topic: an empty pattern (\"\") needs both a local and a remote prefix.")
                return nil
            }
        }
        for filter in [rule.localFilter, rule.remoteFilter] where (try? Topic.validateFilter(filter)) == nil {
            error("Invalid topic \"\(filter)\": not a valid topic filter.")
            return nil
        }
        return rule
    }

    /// Every bridge needs somewhere to go and something to carry.
    mutating func checkBridges() {
        for bridge in config.bridges {
            (file, line, option) = (bridge.file, bridge.line, "connection")
            if bridge.addresses.isEmpty { error("Bridge \"\(bridge.name)\" has no address.") }
            if bridge.topics.isEmpty { error("Bridge \"\(bridge.name)\" has no topic.") }
            if (bridge.tls.certfile == nil) != (bridge.tls.keyfile == nil) {
                error("Bridge \"\(bridge.name)\" needs both bridge_certfile and bridge_keyfile, or neither.")
            }
            let tls = bridge.tls
            let certificates = tls.cafile != nil || tls.capath != nil
            if tls.certfile != nil && !certificates {
                error("Bridge \"\(bridge.name)\" has bridge_certfile but no bridge_cafile or bridge_capath: TLS needs a CA.")
            }
            if (tls.pskIdentity == nil) != (tls.pskHex == nil) {
                error("Bridge \"\(bridge.name)\" needs both bridge_identity and bridge_psk, or neither.")
            }
            if tls.pskHex != nil && certificates {
                error("Bridge \"\(bridge.name)\" has both bridge_psk and a CA: use certificates or a pre-shared key, not both.")
            }
            if tls.pskHex != nil && tls.version == "tlsv1.3" {
                error("Bridge \"\(bridge.name)\" has bridge_psk with bridge_tls_version tlsv1.3: pre-shared keys work over TLS 1.2 only here.")
            }
            if bridge.speaksMQTT31 && bridge.effectiveRemoteClientID.utf8.count > 23 {
                // mosquitto takes longer ones from 3.1 clients; the 3.1 specification and other brokers do not.
                warning("Bridge \"\(bridge.name)\" speaks MQTT 3.1, which allows client ids of 1-23 bytes; "
                        + "\"\(bridge.effectiveRemoteClientID)\" is longer (set remote_clientid if the remote refuses it).")
            }
        }
    }
}
