import NIOConcurrencyHelpers
import NIOSSL

/// A TLS listener's server context, which a reload (SIGHUP) replaces with one built from the certificate and
/// key files as they are now. Each accepted connection takes the context current at its accept, so
/// connections already open keep the certificate they were handshaken with.
public final class ListenerTLSContext: Sendable {
    private let context: NIOLockedValueBox<NIOSSLContext>

    init(_ context: NIOSSLContext) {
        self.context = NIOLockedValueBox(context)
    }

    var current: NIOSSLContext {
        context.withLockedValue { $0 }
    }

    func replace(with newContext: NIOSSLContext) {
        context.withLockedValue { $0 = newContext }
    }
}
