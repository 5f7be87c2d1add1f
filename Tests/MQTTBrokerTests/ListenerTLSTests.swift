import Foundation
import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import NIOPosix
import XCTest

/// TLS listeners with certificates made by `openssl` for each test: server certificates,
/// client certificates with and without `require_certificate`, bad files, mosquitto_pub.
final class ListenerTLSTests: XCTestCase {
    private var certificates: TestCertificates!
    private var bound: [BoundListener] = []

    override func setUp() async throws {
        certificates = try TestCertificates.make()
    }

    override func tearDown() async throws {
        for listener in bound { await listener.close() }
        bound = []
    }

    private func tlsListener(requireCertificate: Bool = false, cafile: Bool = false) -> BrokerConfiguration.Listener {
        var listener = BrokerConfiguration.Listener(port: 0, bindAddress: "127.0.0.1")
        listener.tls.certfile = certificates.serverCert
        listener.tls.keyfile = certificates.serverKey
        if cafile || requireCertificate { listener.tls.cafile = certificates.caFile }
        listener.tls.requireCertificate = requireCertificate
        return listener
    }

    private func bind(_ listener: BrokerConfiguration.Listener, recorder: MQTTRecorder) async throws -> BoundListener {
        let result = try await ListenerBinder.bind(listener, isLocalOnly: false, group: MultiThreadedEventLoopGroup.singleton,
                                                   initializeMQTT: recorder.initializeMQTT)
        bound.append(result)
        return result
    }

    private func tls(clientCertificate: Bool = false, stranger: Bool = false, trustCA: Bool = true) -> Transport {
        var options = TLSOptions(caFile: trustCA ? certificates.caFile : nil)
        if clientCertificate {
            options.certificateFile = stranger ? certificates.strangerCert : certificates.clientCert
            options.keyFile = stranger ? certificates.strangerKey : certificates.clientKey
        }
        return .tls(options)
    }

    /// Connects our client; nil on success, else the error.
    private func connect(port: Int, transport: Transport, clientID: String) async -> (any Error)? {
        let client = MQTTClient(configuration: MQTTClientConfiguration(
            host: "127.0.0.1", port: port, transport: transport, clientID: clientID, connectTimeout: .seconds(5)))
        do {
            let connAck = try await client.connect()
            XCTAssertEqual(connAck.reasonCode, .success)
            await client.disconnect()
            return nil
        } catch {
            await client.closeAbruptly()
            return error
        }
    }

    func testServerCertificateIsTrustedThroughItsCA() async throws {
        let recorder = MQTTRecorder()
        let listener = try await bind(tlsListener(), recorder: recorder)
        XCTAssertEqual(listener.urls, ["mqtts://127.0.0.1:\(listener.port)"])
        let ok = await connect(port: listener.port, transport: tls(), clientID: "tls")
        XCTAssertNil(ok)
        let untrusted = await connect(port: listener.port, transport: tls(trustCA: false), clientID: "untrusting")
        XCTAssertTrue("\(untrusted.map { "\($0)" } ?? "none")".contains("certificate verify failed"), "\(String(describing: untrusted))")
        XCTAssertEqual(recorder.clientIDs, ["tls"])
    }

    func testWithoutRequireCertificateNoClientCertificateIsChecked() async throws {
        let recorder = MQTTRecorder()
        let listener = try await bind(tlsListener(cafile: true), recorder: recorder)
        let stranger = await connect(port: listener.port, transport: tls(clientCertificate: true, stranger: true), clientID: "stranger")
        XCTAssertNil(stranger, "a certificate from an unknown CA is not even asked for")
        let none = await connect(port: listener.port, transport: tls(), clientID: "none")
        XCTAssertNil(none)
        XCTAssertEqual(recorder.clientIDs, ["stranger", "none"])
    }

    func testRequireCertificateNeedsAValidClientCertificate() async throws {
        let recorder = MQTTRecorder()
        let listener = try await bind(tlsListener(requireCertificate: true), recorder: recorder)
        let valid = await connect(port: listener.port, transport: tls(clientCertificate: true), clientID: "valid")
        XCTAssertNil(valid)
        let missing = await connect(port: listener.port, transport: tls(), clientID: "missing")
        XCTAssertNotNil(missing, "no client certificate")
        let stranger = await connect(port: listener.port, transport: tls(clientCertificate: true, stranger: true), clientID: "stranger")
        XCTAssertNotNil(stranger, "a client certificate from a CA the listener does not trust")
        XCTAssertEqual(recorder.clientIDs, ["valid"], "only the valid client got as far as MQTT")
    }

    func testMosquittoPubOverTLS() async throws {
        guard let pub = findExecutable("mosquitto_pub") else {
            throw XCTSkip("mosquitto_pub is not installed (apt-get install mosquitto-clients)")
        }
        let recorder = MQTTRecorder()
        let plain = try await bind(tlsListener(), recorder: recorder)
        let required = try await bind(tlsListener(requireCertificate: true), recorder: recorder)
        let (caFile, clientCert, clientKey) = (certificates.caFile, certificates.clientCert, certificates.clientKey)
        let (plainPort, requiredPort) = (plain.port, required.port)
        let results = try await Task.detached {
            let base = ["-h", "127.0.0.1", "-t", "t", "--cafile", caFile]
            return [
                try runProcess(pub, base + ["-p", String(plainPort), "-m", "over-tls", "-i", "pub1"]),
                try runProcess(pub, base + ["-p", String(requiredPort), "-m", "with-cert", "-i", "pub2",
                                            "--cert", clientCert, "--key", clientKey]),
                try runProcess(pub, base + ["-p", String(requiredPort), "-m", "no-cert", "-i", "pub3"]),
            ]
        }.value
        XCTAssertEqual(results[0].status, 0, results[0].stderr)
        XCTAssertEqual(results[1].status, 0, results[1].stderr)
        XCTAssertNotEqual(results[2].status, 0, "refused without a client certificate")
        let arrived = try await waitUntil { recorder.payloads.count >= 2 }
        XCTAssertTrue(arrived)
        XCTAssertEqual(Set(recorder.payloads), ["over-tls", "with-cert"])
        XCTAssertFalse(recorder.clientIDs.contains("pub3"))
    }

    // MARK: Bad files

    /// A listener read from a real configuration file, so errors can point at its line.
    private func configuredListener(certfile: String, keyfile: String) throws -> (BrokerConfiguration.Listener, String) {
        let port = freeLoopbackPort()
        let path = try certificates.directory.write("broker.conf", """
            # TLS listener
            listener \(port) 127.0.0.1
            certfile \(certfile)
            keyfile \(keyfile)
            """)
        let listener = try XCTUnwrap(try ConfigParser.load(path: path).listeners.first)
        return (listener, "listener \(port) at \(path):2")
    }

    private func bindError(_ listener: BrokerConfiguration.Listener) async -> ListenerError? {
        do {
            _ = try await bind(listener, recorder: MQTTRecorder())
            return nil
        } catch {
            return error as? ListenerError
        }
    }

    func testMissingCertfileIsNamedWithTheListenerLine() async throws {
        let missing = certificates.directory.file("nope.crt")
        let (listener, reference) = try configuredListener(certfile: missing, keyfile: certificates.serverKey)
        let error = await bindError(listener)
        XCTAssertEqual(error, .tlsFile(option: "certfile", path: missing, reason: "No such file or directory.", listener: reference))
        XCTAssertEqual(error?.description, "Error: cannot use certfile \"\(missing)\" (\(reference)): No such file or directory.")
    }

    func testGarbageKeyfileIsRefused() async throws {
        let garbage = try certificates.directory.write("garbage.key", "not a key\n")
        let (listener, reference) = try configuredListener(certfile: certificates.serverCert, keyfile: garbage)
        let error = await bindError(listener)
        guard case .tlsFile("keyfile", garbage, let reason, reference)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(reason.hasPrefix("not an unencrypted PEM private key"), reason)
    }

    func testKeyOfAnotherCertificateIsRefused() async throws {
        let (listener, reference) = try configuredListener(certfile: certificates.serverCert, keyfile: certificates.clientKey)
        let error = await bindError(listener)
        XCTAssertEqual(error, .tlsFile(option: "keyfile", path: certificates.clientKey,
                                       reason: "this key does not belong to the certificate in \(certificates.serverCert).",
                                       listener: reference))
    }

    func testCertfileThatIsADirectoryIsRefused() async throws {
        let (listener, _) = try configuredListener(certfile: certificates.directory.path, keyfile: certificates.serverKey)
        let error = await bindError(listener)
        guard case .tlsFile("certfile", _, let reason, _)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(reason, "is a directory, expected a PEM file.")
    }
}
