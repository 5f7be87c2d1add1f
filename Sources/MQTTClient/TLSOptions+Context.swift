import NIOSSL

extension TLSOptions {
    /// The client-side TLS context these options describe (reads the PEM files): what the client and
    /// `mqdash bench` connect with.
    public func makeContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        } else if let caPath {
            tls.trustRoots = .file(caPath)
        }
        if let certificateFile {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
        }
        if let keyFile {
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
        }
        if insecure { tls.certificateVerification = .noHostnameVerification }
        if let version {
            let pinned: TLSVersion = switch version {
            case .tlsv1_1: .tlsv11
            case .tlsv1_2: .tlsv12
            case .tlsv1_3: .tlsv13
            }
            tls.minimumTLSVersion = pinned
            tls.maximumTLSVersion = pinned
        }
        tls.applicationProtocols = applicationProtocols
        if let psk = preSharedKey {
            // BoringSSL offers pre-shared keys in TLS 1.2 only, with PSK cipher suites; there is no certificate.
            tls.pskClientProvider = { _ in PSKClientIdentityResponse(key: NIOSSLSecureBytes(psk.key), identity: psk.identity) }
            tls.cipherSuites = "PSK"
            if version == nil { tls.maximumTLSVersion = .tlsv12 }
            tls.certificateVerification = .none
        }
        return try NIOSSLContext(configuration: tls)
    }
}
