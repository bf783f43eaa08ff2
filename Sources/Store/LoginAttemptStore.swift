import Foundation
import PQ

/// Login throttling, kept in the database so that every instance counts the same:
/// after `limit` failed attempts for one email within `window`, further attempts are
/// refused until the oldest of them ages out. Unknown emails count exactly like known
/// ones, so the answer tells nothing about which accounts exist.
public struct LoginAttemptStore: Sendable {
    let pool: Pool
    public static let limit = 10
    public static let windowSeconds = 15 * 60

    public enum Admission: Sendable, Equatable {
        /// Go ahead; report the outcome with `succeeded(attempt:)`. The attempt is
        /// recorded as failed until then, so a crash mid-login still counts.
        case allowed(attempt: Int)
        /// Too many failures: try again after this many seconds.
        case throttled(retryAfterSeconds: Int)
    }

    /// The key an email is counted under: trimmed, lower-case, at most 320 characters.
    public static func key(for email: String) -> String {
        String(email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().prefix(320))
    }

    /// Checks the count and records the attempt in one transaction, serialised per email
    /// by an advisory lock, so that racing attempts cannot slip past the limit.
    public func admit(email: String) async throws -> Admission {
        let key = Self.key(for: email)
        return try await pool.transaction { tx in
            _ = try await tx.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 7))")
            let (failures, retryAfter) = try await tx.query(
                """
                SELECT count(*)::bigint,
                       coalesce(ceil(extract(epoch FROM min(attempted_at) + make_interval(secs => \(Self.windowSeconds)) - now()))::bigint, 0)
                FROM login_attempt
                WHERE email_key = \(key) AND NOT succeeded
                  AND attempted_at > now() - make_interval(secs => \(Self.windowSeconds))
                  AND attempted_at > coalesce(
                      (SELECT max(attempted_at) FROM login_attempt WHERE email_key = \(key) AND succeeded),
                      '-infinity')
                """
            ).first(decoding: (Int, Int).self)!
            if failures >= Self.limit {
                return .throttled(retryAfterSeconds: max(1, retryAfter))
            }
            let id = try await tx.query(
                "INSERT INTO login_attempt (email_key, succeeded) VALUES (\(key), false) RETURNING id"
            ).first(decoding: Int.self)!
            return .allowed(attempt: id)
        }
    }

    /// Marks an admitted attempt as successful, which clears the count.
    public func succeeded(attempt: Int) async throws {
        _ = try await pool.query("UPDATE login_attempt SET succeeded = true WHERE id = \(attempt)")
    }

    /// Drops attempts older than a day (housekeeping).
    public func deleteOld() async throws {
        _ = try await pool.query("DELETE FROM login_attempt WHERE attempted_at < now() - interval '1 day'")
    }
}
