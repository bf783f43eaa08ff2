import Foundation
import PQ

/// Throttling of every password (and second-step code) check, kept in the database so
/// that every instance counts the same. Three limits, each over a sliding window:
///
/// - per account and client address: 10 failures in 15 minutes (guessing one
///   account's password);
/// - per client address: 30 failures in 15 minutes, whatever the accounts (password
///   spraying: one password tried on many accounts);
/// - per account over all addresses: 100 failures in an hour (guessing from many
///   addresses at once).
///
/// The owner, from their own address, is only stopped by the third, which takes a
/// large distributed attack. A success clears the first. Unknown addresses count
/// exactly like known ones, so the answer tells nothing about which accounts exist.
public struct LoginAttemptStore: Sendable {
    let pool: Pool

    public struct Limit: Sendable {
        public let failures: Int
        public let windowSeconds: Int
    }

    public static let perAccountAndClient = Limit(failures: 10, windowSeconds: 15 * 60)
    public static let perClient = Limit(failures: 30, windowSeconds: 15 * 60)
    public static let perAccount = Limit(failures: 100, windowSeconds: 3600)

    public enum Admission: Sendable, Equatable {
        /// Go ahead; report success with `succeeded(attempt:)`. The attempt is recorded as
        /// failed until then, so a crash mid-login still counts.
        case allowed(attempt: Int)
        /// Too many failures: try again after this many seconds.
        case throttled(retryAfterSeconds: Int)
    }

    /// The key an email is counted under: trimmed, lower-case, at most 320 characters.
    public static func key(for email: String) -> String {
        String(email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().prefix(320))
    }

    /// Checks the counts and records the attempt in one transaction, serialised per
    /// email by an advisory lock, so that racing attempts cannot slip past a limit.
    /// `client` is the client's address (at most 64 characters are kept).
    public func admit(email: String, client: String) async throws -> Admission {
        let key = Self.key(for: email)
        let client = String(client.prefix(64))
        return try await pool.transaction { tx in
            _ = try await tx.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 7))")
            if !client.isEmpty {
                _ = try await tx.query("SELECT pg_advisory_xact_lock(hashtextextended(\(client), 8))")
            }
            // Each limit's failures within its window, and when the oldest of them leaves it.
            func failures(_ scope: SQL, _ limit: Limit) -> SQL {
                """
                (SELECT count(*)::bigint,
                        coalesce(ceil(extract(epoch FROM min(attempted_at) + make_interval(secs => \(limit.windowSeconds)) - now()))::bigint, 0)
                 FROM login_attempt
                 WHERE NOT succeeded AND attempted_at > now() - make_interval(secs => \(limit.windowSeconds)) AND \(scope))
                """
            }
            let sinceSuccess: SQL = """
                attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempt
                                         WHERE email_key = \(key) AND client_key = \(client) AND succeeded), '-infinity')
                """
            let pair = failures("email_key = \(key) AND client_key = \(client) AND \(sinceSuccess)", Self.perAccountAndClient)
            let fromClient = failures("client_key = \(client) AND client_key <> ''", Self.perClient)
            let onAccount = failures("email_key = \(key)", Self.perAccount)
            let counts = try await tx.query("SELECT * FROM \(pair) p, \(fromClient) c, \(onAccount) a")
                .first(decoding: (Int, Int, Int, Int, Int, Int).self)!
            let waits = [
                (counts.0, counts.1, Self.perAccountAndClient), (counts.2, counts.3, Self.perClient), (counts.4, counts.5, Self.perAccount),
            ].filter { failed, _, limit in failed >= limit.failures }.map { _, wait, _ in wait }
            if let wait = waits.max() {
                return .throttled(retryAfterSeconds: max(1, wait))
            }
            let id = try await tx.query(
                "INSERT INTO login_attempt (email_key, client_key, succeeded) VALUES (\(key), \(client), false) RETURNING id"
            ).first(decoding: Int.self)!
            return .allowed(attempt: id)
        }
    }

    /// Marks an admitted attempt as successful, which clears its account-and-client count.
    public func succeeded(attempt: Int) async throws {
        _ = try await pool.query("UPDATE login_attempt SET succeeded = true WHERE id = \(attempt)")
    }

    /// Drops attempts older than a day (housekeeping).
    public func deleteOld() async throws {
        _ = try await pool.query("DELETE FROM login_attempt WHERE attempted_at < now() - interval '1 day'")
    }
}
