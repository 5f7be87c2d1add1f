import MQTTCore

extension BrokerCore {
    /// The password and ACL files were reloaded. Every check from now on uses the new security: publish and
    /// subscribe checks (the connection's listener context), read checks per delivery on existing
    /// subscriptions (the session's), and connections opened later (`reloadedSecurity`). A connected client
    /// whose credentials the new files no longer accept is disconnected, as mosquitto does; every other
    /// client keeps its connection and session.
    func reloadSecurity(_ securities: [ListenerSecurity]) {
        guard !securities.isEmpty else { return }
        reloadedSecurity = securities
        for session in sessions.values {
            session.security = security(ofListener: session.listenerIndex, else: session.security)
        }
        for connection in connections.values where !connection.isClosing {
            let previous = connection.listener.security
            connection.listener.security = currentSecurity(of: connection.listener)
            guard let session = connection.session, session.connection === connection,
                  connection.listener.usernameFromCertificate == nil, !connection.listener.isBridge else { continue }
            if connection.listener.security.stillAdmits(username: session.username, admittedBy: previous) { continue }
            let who = session.username.map { "user '\($0)'" } ?? "anonymous clients"
            close(connection, reason: .notAuthorized,
                  log: "Client \(session.clientID) disconnected, not authorised: the reloaded settings no longer admit \(who).")
        }
    }

    /// The security a connection on `listener` is checked with: the last reload's, else the one it opened with.
    func currentSecurity(of listener: ListenerContext) -> ListenerSecurity {
        security(ofListener: listener.index, else: listener.security)
    }

    private func security(ofListener index: Int, else fallback: ListenerSecurity) -> ListenerSecurity {
        guard let reloadedSecurity, reloadedSecurity.indices.contains(index) else { return fallback }
        return reloadedSecurity[index]
    }
}
