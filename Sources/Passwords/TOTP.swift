import CCrypto
import Foundation

/// Time-based one-time passwords (RFC 6238, over HOTP of RFC 4226): HMAC-SHA1, six
/// digits, 30-second steps, the kind every authenticator app reads from an
/// `otpauth://` link or its QR code.
public struct TOTP: Sendable {
    public static let digits = 6
    public static let period: Int64 = 30
    /// Codes one step early or late are accepted too (clocks drift, people are slow).
    public static let tolerance: Int64 = 1

    public let secret: [UInt8]

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    /// A new random 160-bit secret (the size RFC 4226 recommends).
    public static func random() -> TOTP {
        var generator = SystemRandomNumberGenerator()
        return TOTP(secret: (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The time step a moment falls in.
    public static func step(at date: Date) -> Int64 {
        Int64(floor(date.timeIntervalSince1970)) / period
    }

    /// The code for a time step (HOTP with the step as counter), zero-padded.
    public func code(step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = secret.withUnsafeBytes { key in
            withUnsafeBytes(of: &counter) { message in
                HMAC(EVP_sha1(), key.baseAddress, Int32(key.count),
                     message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, &digest, &length)
            }
        }
        let offset = Int(digest[Int(length) - 1] & 0x0f)
        let binary = (UInt32(digest[offset] & 0x7f) << 24) | (UInt32(digest[offset + 1]) << 16)
            | (UInt32(digest[offset + 2]) << 8) | UInt32(digest[offset + 3])
        let value = binary % 1_000_000
        let text = String(value)
        return String(repeating: "0", count: Self.digits - text.count) + text
    }

    /// The step whose code `typed` is, near `date`, and later than `lastUsed` (a code is
    /// accepted once); nil when it is none of them. Spaces in the typed code are ignored.
    public func matchingStep(_ typed: String, at date: Date, after lastUsed: Int64?) -> Int64? {
        let code = typed.filter { !$0.isWhitespace }
        guard code.count == Self.digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let now = Self.step(at: date)
        for step in (now - Self.tolerance)...(now + Self.tolerance) where step > (lastUsed ?? .min) {
            if constantTimeEqual(code, self.code(step: step)) { return step }
        }
        return nil
    }

    /// The secret as people type it into an app (base32, spaces and padding ignored);
    /// nil when it is not base32.
    public init?(base32 text: String) {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var buffer = 0, bits = 0, bytes: [UInt8] = []
        for character in text.uppercased() where character != " " && character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((buffer >> (bits - 8)) & 0xff))
                bits -= 8
            }
        }
        self.init(secret: bytes)
    }

    /// The secret in base32 (RFC 4648, no padding), as people type it into an app.
    public var base32: String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var out = "", buffer = 0, bits = 0
        for byte in secret {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }

    /// The `otpauth://` link authenticator apps read (Google's Key URI format).
    public func provisioningURI(account: String, issuer: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        let label = encode(issuer) + ":" + encode(account)
        let issuerParameter = encode(issuer)
        return "otpauth://totp/\(label)?secret=\(base32)&issuer=\(issuerParameter)&algorithm=SHA1&digits=\(Self.digits)&period=\(Self.period)"
    }

}

/// Compares secrets (tokens, codes) in time that does not depend on where they differ.
public func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}

/// Recovery codes for when the phone with the authenticator app is gone: ten codes of
/// twelve characters (about 59 bits each) from an alphabet without look-alikes, shown
/// in groups of four. Each works once.
public enum RecoveryCodes {
    public static let count = 10
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    public static func generate() -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let characters = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            return stride(from: 0, to: 12, by: 4).map { String(characters[$0..<($0 + 4)]) }.joined(separator: "-")
        }
    }
}
