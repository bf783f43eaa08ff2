import CCrypto
import Foundation

/// Seals small secrets (two-step verification secrets) for storage with AES-256-GCM:
/// a random 96-bit nonce, the ciphertext and the 128-bit tag, in that order. What a
/// secret belongs to (the account id) is bound in as associated data, so a sealed
/// secret copied to another row does not open. The key comes from the environment,
/// never from the database.
public struct SecretBox: Sendable {
    public static let keyLength = 32
    static let nonceLength = 12
    static let tagLength = 16

    private let key: [UInt8]

    public enum Failure: Error, Equatable, Sendable {
        /// The key is not 32 bytes of base64.
        case badKey
        /// The box does not open with this key and associated data (tampered, or another key).
        case cannotOpen
    }

    public init(key: [UInt8]) throws(Failure) {
        guard key.count == Self.keyLength else { throw .badKey }
        self.key = key
    }

    /// A key written as base64 (for example `openssl rand -base64 32`).
    public init(base64 text: String) throws(Failure) {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw .badKey }
        try self.init(key: Array(data))
    }

    public func seal(_ plaintext: [UInt8], associatedData: [UInt8]) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<Self.nonceLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: Self.tagLength)
        let context = EVP_CIPHER_CTX_new()!
        defer { EVP_CIPHER_CTX_free(context) }
        var length: Int32 = 0, total: Int32 = 0
        precondition(EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1)
        precondition(EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(Self.nonceLength), nil) == 1)
        precondition(EVP_EncryptInit_ex(context, nil, nil, key, nonce) == 1)
        if !associatedData.isEmpty {
            precondition(EVP_EncryptUpdate(context, nil, &length, associatedData, Int32(associatedData.count)) == 1)
        }
        precondition(EVP_EncryptUpdate(context, &ciphertext, &length, plaintext, Int32(plaintext.count)) == 1)
        total = length
        precondition(ciphertext.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress! + Int(total), &length)
        } == 1)
        total += length
        precondition(EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagLength), &tag) == 1)
        return nonce + ciphertext.prefix(Int(total)) + tag
    }

    public func open(_ sealed: [UInt8], associatedData: [UInt8]) throws(Failure) -> [UInt8] {
        guard sealed.count >= Self.nonceLength + Self.tagLength else { throw .cannotOpen }
        let nonce = Array(sealed.prefix(Self.nonceLength))
        var tag = Array(sealed.suffix(Self.tagLength))
        let ciphertext = Array(sealed.dropFirst(Self.nonceLength).dropLast(Self.tagLength))
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 16)
        let context = EVP_CIPHER_CTX_new()!
        defer { EVP_CIPHER_CTX_free(context) }
        var length: Int32 = 0, total: Int32 = 0
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(Self.nonceLength), nil) == 1,
              EVP_DecryptInit_ex(context, nil, nil, key, nonce) == 1
        else { throw .cannotOpen }
        if !associatedData.isEmpty {
            guard EVP_DecryptUpdate(context, nil, &length, associatedData, Int32(associatedData.count)) == 1 else { throw .cannotOpen }
        }
        guard EVP_DecryptUpdate(context, &plaintext, &length, ciphertext, Int32(ciphertext.count)) == 1 else { throw .cannotOpen }
        total = length
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagLength), &tag) == 1 else { throw .cannotOpen }
        let finished = plaintext.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress! + Int(total), &length)
        }
        guard finished == 1 else { throw .cannotOpen }
        total += length
        return Array(plaintext.prefix(Int(total)))
    }
}
