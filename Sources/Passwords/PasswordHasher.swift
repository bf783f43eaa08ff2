import CArgon2
import Foundation

/// Argon2id password hashes in the PHC string format (`$argon2id$v=19$m=...`), through
/// the reference implementation (libargon2). Hashing is deliberately slow (tens of
/// milliseconds): callers run it off the event loop.
public struct PasswordHasher: Sendable {
    /// OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
    public static let standard = PasswordHasher(memoryKiB: 19_456, iterations: 2, parallelism: 1)

    public let memoryKiB: UInt32
    public let iterations: UInt32
    public let parallelism: UInt32
    public let saltLength = 16
    public let hashLength = 32

    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    public enum Failure: Error, Sendable {
        case hashingFailed(code: Int32)
    }

    /// A new salted hash of `password`.
    public func hash(_ password: String) throws(Failure) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encodedLength = argon2_encodedlen(iterations, memoryKiB, parallelism, UInt32(saltLength), UInt32(hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: Int(encodedLength))
        let bytes = Array(password.precomposedStringWithCanonicalMapping.utf8)
        let code = bytes.withUnsafeBytes { passwordBuffer in
            salt.withUnsafeBytes { saltBuffer in
                argon2id_hash_encoded(
                    iterations, memoryKiB, parallelism,
                    passwordBuffer.baseAddress, passwordBuffer.count,
                    saltBuffer.baseAddress, saltBuffer.count,
                    hashLength, &encoded, encoded.count
                )
            }
        }
        guard code == ARGON2_OK.rawValue else { throw .hashingFailed(code: code) }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` matches `encoded`. A malformed hash never matches.
    public static func verify(_ password: String, against encoded: String) -> Bool {
        guard encoded.hasPrefix("$argon2id$") else { return false }
        let bytes = Array(password.precomposedStringWithCanonicalMapping.utf8)
        return bytes.withUnsafeBytes { passwordBuffer in
            argon2id_verify(encoded, passwordBuffer.baseAddress, passwordBuffer.count) == ARGON2_OK.rawValue
        }
    }

    /// A hash of nothing anyone knows, verified against when an account does not exist,
    /// so that unknown and known emails take the same time.
    public static let decoy: String = (try? PasswordHasher.standard.hash("decoy-\(UInt64.random(in: 0 ... .max))")) ?? ""
}
