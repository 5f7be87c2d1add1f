import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a listener's TLS settings into a server `NIOSSLContext`, as mosquitto reads them:
/// `certfile` (with any chain after it) and `keyfile` for the server; `cafile` and/or `capath`
/// as the roots client certificates must chain to; with `require_certificate true` a valid
/// client certificate is required, otherwise none is asked for.
enum ListenerTLS {
    static func makeContext(for listener: BrokerConfiguration.Listener) throws(ListenerError) -> NIOSSLContext? {
        let settings = listener.tls
        guard let certfile = settings.certfile, let keyfile = settings.keyfile else { return nil }
        let reference = listener.configurationReference

        func fileError(_ option: String, _ path: String, _ reason: String) -> ListenerError {
            .tlsFile(option: option, path: path, reason: reason, listener: reference)
        }
        func checkReadable(_ option: String, _ path: String, directory: Bool = false) throws(ListenerError) {
            var info = stat()
            guard stat(path, &info) == 0 else { throw fileError(option, path, String(cString: strerror(errno)) + ".") }
            let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            if isDirectory != directory {
                throw fileError(option, path, directory ? "not a directory." : "is a directory, expected a PEM file.")
            }
            guard access(path, R_OK) == 0 else { throw fileError(option, path, String(cString: strerror(errno)) + ".") }
        }

        try checkReadable("certfile", certfile)
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certfile)
        } catch {
            throw fileError("certfile", certfile, "not a PEM certificate (\(error)).")
        }
        guard !chain.isEmpty else { throw fileError("certfile", certfile, "no certificate in the file.") }

        try checkReadable("keyfile", keyfile)
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyfile, format: .pem)
        } catch {
            throw fileError("keyfile", keyfile, "not an unencrypted PEM private key (\(error)).")
        }

        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = minimumVersion(settings.tlsVersion)
        // A closing connection waits this long for the peer's close_notify, then closes anyway: a peer that
        // never answers (or never finished its handshake) must not hold the socket, or a shutdown, longer.
        configuration.shutdownTimeout = .seconds(1)
        if let ciphers = settings.ciphers { configuration.cipherSuites = ciphers }

        var caCertificates: [NIOSSLCertificate]?
        if let cafile = settings.cafile {
            try checkReadable("cafile", cafile)
            do {
                caCertificates = try NIOSSLCertificate.fromPEMFile(cafile)
            } catch {
                throw fileError("cafile", cafile, "not a PEM certificate file (\(error)).")
            }
        }
        if let capath = settings.capath { try checkReadable("capath", capath, directory: true) }
        if settings.requireCertificate {
            configuration.certificateVerification = .noHostnameVerification
            switch (caCertificates, settings.capath) {
            case (let certificates?, let capath):
                configuration.trustRoots = .certificates(certificates)
                if let capath { configuration.additionalTrustRoots = [.file(capath)] }
            case (nil, let capath?):
                configuration.trustRoots = .file(capath)
            case (nil, nil):
                configuration.trustRoots = .default
            }
        } else {
            // mosquitto asks for no client certificate unless one is required.
            configuration.certificateVerification = .none
        }
        if settings.crlfile != nil {
            // Ignoring a revocation list would let revoked certificates in without a word.
            throw .tlsSetup(reason: "crlfile is not supported by this broker; remove it or use mosquitto.", listener: reference)
        }

        do {
            return try NIOSSLContext(configuration: configuration)
        } catch NIOSSLError.failedToLoadPrivateKey {
            // The key was read fine above, so BoringSSL refused the pair: the key is another certificate's.
            throw fileError("keyfile", keyfile, "this key does not belong to the certificate in \(certfile).")
        } catch {
            throw .tlsSetup(reason: "\(error)", listener: reference)
        }
    }

    /// `tls_version` is the lowest version allowed; by default TLS 1.2 and up, as in mosquitto 2.0.
    static func minimumVersion(_ setting: String?) -> TLSVersion {
        switch setting {
        case "tlsv1.3": .tlsv13
        case "tlsv1.1": .tlsv11
        default: .tlsv12
        }
    }
}
