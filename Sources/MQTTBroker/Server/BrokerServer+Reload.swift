import NIOConcurrencyHelpers
import NIOSSL

extension BrokerServer {
    /// What SIGHUP does, as mosquitto: reads the configuration file again (`reread`), then the password files,
    /// ACL files and TLS certificates and keys it names, and puts them in force without dropping clients (see
    /// `ConfigurationReload` for which options apply; the others are logged as needing a restart). Returns
    /// whether the new settings are in force: when anything fails to read (the configuration, a password or
    /// ACL file, a certificate or key), the error is logged as at start and every old setting stays.
    @discardableResult
    public func reload(rereading reread: () throws -> BrokerConfiguration) -> Bool {
        reloads.withLockedValue { applied in
            log.log(.information, "Reloading config.")
            let running = applied ?? configuration
            guard let broker else { return false }
            let plan: ConfigurationReload
            let securities: [ListenerSecurity]
            var certificates: [(ListenerTLSContext, NIOSSLContext)] = []
            do {
                let file = try reread()
                plan = ConfigurationReload(running: running, reread: file)
                securities = try plan.applied.listeners.map { listener throws(ListenerSecurity.LoadError) in
                    try ListenerSecurity.load(listener.security)
                }
                for (bound, listener) in zip(boundListeners, plan.applied.listeners) {
                    guard let holder = bound.tlsContext, let context = try ListenerTLS.makeContext(for: listener) else { continue }
                    certificates.append((holder, context))
                }
            } catch {
                for line in "\(error)".split(separator: "\n") { log.log(.error, String(line)) }
                log.log(.error, "Error: reload failed; the previous password files, ACL files and certificates stay in force.")
                return false
            }
            for option in plan.needsRestart {
                log.log(.warning, "Warning: \(option) changed in the config file; it needs a restart, the old value stays.")
            }
            for (holder, context) in certificates { holder.replace(with: context) }
            let bridges = self.bridges
            try? broker.eventLoop.submit {
                broker.handle(.securityReloaded(securities))
                broker.finish()
                bridges?.reconcile(with: plan.applied.bridges)
            }.wait()
            applied = plan.applied
            log.log(.information, "Config reloaded: \(Self.reloadedFiles(plan.applied).joined(separator: ", ")).")
            return true
        }
    }

    /// The files a reload read, for its log line.
    private static func reloadedFiles(_ configuration: BrokerConfiguration) -> [String] {
        var files: [String] = []
        for listener in configuration.listeners {
            let tls = listener.tls.isEnabled ? [listener.tls.certfile, listener.tls.keyfile, listener.tls.cafile] : []
            for file in [listener.security.passwordFile, listener.security.aclFile] + tls {
                if let file, !files.contains(file) { files.append(file) }
            }
        }
        return files.isEmpty ? ["no password, ACL or certificate files configured"] : files
    }
}
