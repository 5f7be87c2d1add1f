import Crypto
import Foundation

/// A password hash as mosquitto_passwd writes it.
///
/// - `$7$<iterations>$<b64 salt>$<b64 hash>`: PBKDF2-HMAC-SHA512 (mosquitto 2.0's default,
///   101 iterations, a 12-byte salt, a 64-byte hash). The iteration count, the salt length and
///   the hash length are read from the line.
/// - `$6$<b64 salt>$<b64 hash>`: one SHA-512 over the password followed by the salt
///   (mosquitto 1.6 and earlier, `mosquitto_passwd -H sha512`).
public enum PasswordHash: Sendable, Hashable {
    case pbkdf2SHA512(iterations: Int, salt: [UInt8], hash: [UInt8])
    case sha512(salt: [UInt8], hash: [UInt8])

    /// mosquitto_passwd's choices for new hashes.
    public static let defaultIterations = 101
    public static let defaultSaltLength = 12
    /// The largest iteration count accepted from a file, so a corrupt line cannot stall logins.
    public static let maximumIterations = 10_000_000

    /// Why a hash field could not be read.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownType
        case badIterations
        case badSalt
        case badHash

        public var description: String {
            switch self {
            case .unknownType: return "unknown hash type (expected $6$ or $7$)"
            case .badIterations: return "invalid iteration count"
            case .badSalt: return "invalid base64 salt"
            case .badHash: return "invalid base64 hash"
            }
        }
    }

    /// Reads the part after `user:`.
    public init(parsing field: some StringProtocol) throws(ParseError) {
        let parts = String(field).split(separator: "$" as Character, omittingEmptySubsequences: false).map(String.init)
        // "$7$101$salt$hash" splits into ["", "7", "101", "salt", "hash"].
        guard parts.count >= 2, parts[0].isEmpty else { throw .unknownType }
        switch parts[1] {
        case "7":
            guard parts.count == 5 else { throw .badHash }
            guard let iterations = Int(parts[2]), iterations > 0, iterations <= Self.maximumIterations,
                  parts[2].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { throw .badIterations }
            guard let salt = Self.base64(parts[3]), !salt.isEmpty else { throw .badSalt }
            guard let hash = Self.base64(parts[4]), !hash.isEmpty, hash.count <= 1024 else { throw .badHash }
            self = .pbkdf2SHA512(iterations: iterations, salt: salt, hash: hash)
        case "6":
            guard parts.count == 4 else { throw .badHash }
            guard let salt = Self.base64(parts[2]), !salt.isEmpty else { throw .badSalt }
            guard let hash = Self.base64(parts[3]), hash.count == SHA512.byteCount else { throw .badHash }
            self = .sha512(salt: salt, hash: hash)
        default:
            throw .unknownType
        }
    }

    /// A new `$7$` hash with a random salt, as `mosquitto_passwd` makes it.
    public static func make(password: String, iterations: Int = defaultIterations,
                            saltLength: Int = defaultSaltLength) -> PasswordHash {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let hash = pbkdf2(password: Array(password.utf8), salt: salt, iterations: iterations, length: SHA512.byteCount)
        return .pbkdf2SHA512(iterations: iterations, salt: salt, hash: hash)
    }

    /// A hash of the same kind, iteration count and lengths that costs what this one costs to
    /// verify; checked for user names that have no hash. Its zero hash is not what any password
    /// hashes to in practice, and the caller refuses the login whatever it says.
    var standIn: PasswordHash {
        switch self {
        case .pbkdf2SHA512(let iterations, let salt, let hash):
            return .pbkdf2SHA512(iterations: iterations, salt: Array(repeating: 0, count: salt.count),
                                 hash: Array(repeating: 0, count: hash.count))
        case .sha512(let salt, let hash):
            return .sha512(salt: Array(repeating: 0, count: salt.count), hash: Array(repeating: 0, count: hash.count))
        }
    }

    /// The stand-in for a file without entries: what `mosquitto_passwd` writes by default.
    static let defaultStandIn = PasswordHash.pbkdf2SHA512(
        iterations: defaultIterations, salt: Array(repeating: 0, count: defaultSaltLength),
        hash: Array(repeating: 0, count: SHA512.byteCount))

    /// The `$7$...` or `$6$...` text of the hash.
    public var encoded: String {
        switch self {
        case .pbkdf2SHA512(let iterations, let salt, let hash):
            return "$7$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
        case .sha512(let salt, let hash):
            return "$6$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
        }
    }

    /// Whether `password` hashes to this value; the comparison takes the same time wherever
    /// the first differing byte is.
    public func verify(password: String) -> Bool {
        verify(password: Array(password.utf8))
    }

    /// `verify(password:)` for a password given as bytes (MQTT passwords are binary data).
    public func verify(password bytes: [UInt8]) -> Bool {
        switch self {
        case .pbkdf2SHA512(let iterations, let salt, let hash):
            return Self.constantTimeEqual(Self.pbkdf2(password: bytes, salt: salt, iterations: iterations, length: hash.count), hash)
        case .sha512(let salt, let hash):
            return Self.constantTimeEqual(Self.sha512Digest(password: bytes, salt: salt), hash)
        }
    }

    /// Equal-length byte strings compared without an early exit. Lengths are not secret.
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    /// PBKDF2 (RFC 8018, section 5.2) with HMAC-SHA512 as the pseudorandom function.
    public static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var output: [UInt8] = []
        output.reserveCapacity(length)
        var blockIndex: UInt32 = 1
        while output.count < length {
            var first = HMAC<SHA512>(key: key)
            first.update(data: salt)
            first.update(data: withUnsafeBytes(of: blockIndex.bigEndian) { Array($0) })
            var u = Array(first.finalize())
            var block = u
            if iterations > 1 {
                for _ in 1..<iterations {
                    u = Array(HMAC<SHA512>.authenticationCode(for: u, using: key))
                    for index in block.indices {
                        block[index] ^= u[index]
                    }
                }
            }
            output.append(contentsOf: block.prefix(length - output.count))
            blockIndex += 1
        }
        return output
    }

    /// SHA-512 over the password followed by the salt (the `$6$` scheme).
    public static func sha512Digest(password: [UInt8], salt: [UInt8]) -> [UInt8] {
        var hasher = SHA512()
        hasher.update(data: password)
        hasher.update(data: salt)
        return Array(hasher.finalize())
    }

    static func base64(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map(Array.init)
    }
}
