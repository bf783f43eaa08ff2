import Domain
import Foundation
import PQ

/// Two-step verification: the sealed TOTP secret (sealing and opening are the web
/// app's, with the key from the environment; the database never holds the key), the
/// last time step accepted, and ten single-use recovery codes (their SHA-256).
extension AccountStore {
    public struct TwoStepState: Sendable {
        public let sealedSecret: Data?
        public let enabled: Bool
        public let lastStep: Int?
        public let recoveryCodesLeft: Int
    }

    public func twoStep(of account: Account.ID) async throws -> TwoStepState {
        let (secret, enabled, last, left) = try await pool.query(
            """
            SELECT a.totp_secret, a.totp_enabled_at IS NOT NULL, a.totp_last_step,
                   (SELECT count(*)::int FROM recovery_code r WHERE r.account_id = a.id AND r.used_at IS NULL)
            FROM account a WHERE a.id = \(account)
            """
        ).first(decoding: (Data?, Bool, Int?, Int).self) ?? (nil, false, nil, 0)
        return TwoStepState(sealedSecret: secret, enabled: enabled, lastStep: last, recoveryCodesLeft: left)
    }

    /// Keeps a new secret while the owner sets the app up (not yet asked at login). An
    /// account that has two-step verification on keeps its current secret.
    public func proposeTwoStepSecret(_ sealed: Data, for account: Account.ID) async throws {
        _ = try await pool.query(
            "UPDATE account SET totp_secret = \(sealed), totp_last_step = NULL WHERE id = \(account) AND totp_enabled_at IS NULL")
    }

    /// Switches two-step verification on, after a first good code for `step`, with new
    /// recovery codes (the old ones stop working).
    public func enableTwoStep(for account: Account.ID, step: Int, recoveryCodes: [String]) async throws -> Bool {
        try await pool.transaction { tx in
            guard try await tx.query(
                """
                UPDATE account SET totp_enabled_at = now(), totp_last_step = \(step), updated_at = now()
                WHERE id = \(account) AND totp_secret IS NOT NULL AND totp_enabled_at IS NULL
                """
            ).affectedRows == 1 else { return false }
            try await Self.replaceRecoveryCodes(recoveryCodes, for: account, on: tx)
            try await AuditLine(.accountTwoStepOn, by: account, about: account).write(on: tx)
            return true
        }
    }

    /// New recovery codes for an account with two-step verification on.
    public func renewRecoveryCodes(_ codes: [String], for account: Account.ID) async throws {
        try await pool.transaction { tx in
            try await Self.replaceRecoveryCodes(codes, for: account, on: tx)
        }
    }

    static func replaceRecoveryCodes(_ codes: [String], for account: Account.ID, on tx: some Queryable) async throws {
        _ = try await tx.query("DELETE FROM recovery_code WHERE account_id = \(account)")
        for code in codes {
            _ = try await tx.query(
                "INSERT INTO recovery_code (account_id, code_hash) VALUES (\(account), sha256(convert_to(\(Self.normalizedRecoveryCode(code)), 'UTF8')))")
        }
    }

    /// Records that the code of `step` was used; false when that step (or a later one)
    /// was used already, so a code is never accepted twice, even by racing requests.
    public func acceptTwoStepCode(for account: Account.ID, step: Int) async throws -> Bool {
        try await pool.query(
            """
            UPDATE account SET totp_last_step = \(step)
            WHERE id = \(account) AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < \(step))
            """
        ).affectedRows == 1
    }

    /// Uses a recovery code (once); false when it is not one of the account's unused codes.
    public func useRecoveryCode(_ code: String, for account: Account.ID) async throws -> Bool {
        try await pool.transaction { tx in
            guard try await tx.query(
                """
                UPDATE recovery_code SET used_at = now()
                WHERE account_id = \(account) AND code_hash = sha256(convert_to(\(Self.normalizedRecoveryCode(code)), 'UTF8')) AND used_at IS NULL
                """
            ).affectedRows == 1 else { return false }
            try await AuditLine(.accountRecoveryCodeUsed, by: account, about: account).write(on: tx)
            return true
        }
    }

    /// Switches two-step verification off (not for admins: the web app refuses that).
    public func disableTwoStep(for account: Account.ID) async throws {
        try await pool.transaction { tx in
            _ = try await tx.query(
                "UPDATE account SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = now() WHERE id = \(account)")
            _ = try await tx.query("DELETE FROM recovery_code WHERE account_id = \(account)")
            try await AuditLine(.accountTwoStepOff, by: account, about: account).write(on: tx)
        }
    }

    /// Recovery codes are compared without case, spaces or dashes.
    static func normalizedRecoveryCode(_ code: String) -> String {
        code.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    /// Changes the password (the caller checked the current one) and ends every other
    /// session of the account.
    public func changePassword(_ account: Account.ID, to hash: String, keeping token: String) async throws {
        try await pool.transaction { tx in
            _ = try await tx.query("UPDATE account SET password_hash = \(hash), updated_at = now() WHERE id = \(account)")
            _ = try await tx.query(
                "DELETE FROM session WHERE account_id = \(account) AND token_hash <> sha256(convert_to(\(token), 'UTF8'))")
            try await AuditLine(.accountPasswordChange, by: account, about: account).write(on: tx)
        }
    }

    /// The password hash of an account (nil: none set), for checking it again.
    public func passwordHash(of account: Account.ID) async throws -> String? {
        try await pool.query("SELECT password_hash FROM account WHERE id = \(account)").first(decoding: String?.self) ?? nil
    }
}
