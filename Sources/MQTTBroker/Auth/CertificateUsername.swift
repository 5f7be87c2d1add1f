import X509

/// Which part of a client certificate names the user, as mosquitto's `use_identity_as_username` and
/// `use_subject_as_username` do.
public enum CertificateUsername: Sendable, Equatable {
    /// The subject's first common name (CN).
    case commonName
    /// The whole subject, most specific part first, as RFC 4514 writes it (`CN=device-7,O=Example`).
    case subject

    /// The user name in the DER-encoded certificate `der`; nil when it has none (no CN) or cannot be read.
    public func username(inCertificate der: [UInt8]) -> String? {
        guard let certificate = try? Certificate(derEncoded: der) else { return nil }
        switch self {
        case .commonName:
            for name in certificate.subject {
                for attribute in name where attribute.type == .RDNAttributeType.commonName {
                    return String(attribute.value)
                }
            }
            return nil
        case .subject:
            let subject = String(describing: certificate.subject)
            return subject.isEmpty ? nil : subject
        }
    }
}
