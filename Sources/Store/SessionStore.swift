import Domain
import Foundation
import PQ

/// A session as a request sees it.
public struct SessionRecord: Sendable {
    public let token: String
    public let csrfToken: String
    public let account: Account?
    public let expiresAt: Date
    /// Whether the session is due for a sliding renewal of its expiry.
    public let needsTouch: Bool

    public init(token: String, csrfToken: String, account: Account?, expiresAt: Date, needsTouch: Bool) {
        self.token = token
        self.csrfToken = csrfToken
        self.account = account
        self.expiresAt = expiresAt
        self.needsTouch = needsTouch
    }
}

/// Server-side sessions. The cookie carries a random token; the table stores only its
/// SHA-256 (computed by the server), so a leaked table opens no sessions. Any instance
/// of the service can serve any session.
public struct SessionStore: Sendable {
    let db: Pool

    /// Logged-in sessions last 12 hours after the last request; visitors' (which only
    /// carry the login form's CSRF token) 2 hours.
    public static let accountLifetimeSeconds = 12 * 3600
    public static let visitorLifetimeSeconds = 2 * 3600

    /// Starts a session; returns its token and CSRF token.
    public func create(accountID: Account.ID?) async throws -> (token: String, csrfToken: String) {
        try await Self.start(accountID: accountID, on: db)
    }

    private static func start(accountID: Account.ID?, on db: some Queryable) async throws -> (token: String, csrfToken: String) {
        let token = Tokens.random()
        let csrf = Tokens.random()
        let lifetime = accountID == nil ? Self.visitorLifetimeSeconds : Self.accountLifetimeSeconds
        _ = try await db.query(
            """
            INSERT INTO session (token_hash, account_id, csrf_token, expires_at)
            VALUES (sha256(convert_to(\(token), 'UTF8')), \(accountID), \(csrf), now() + make_interval(secs => \(lifetime)))
            """
        )
        return (token, csrf)
    }

    /// Logs an account in: ends the session it came with (a visitor's, or an earlier
    /// login), starts a fresh one and writes the login's audit line, in one transaction.
    public func logIn(_ accountID: Account.ID, replacing old: String?) async throws -> (token: String, csrfToken: String) {
        try await db.transaction { tx in
            if let old { try await Self.delete(token: old, on: tx) }
            let started = try await Self.start(accountID: accountID, on: tx)
            try await AuditLine(.accountLogin, by: accountID, about: accountID).write(on: tx)
            return started
        }
    }

    /// The live session for a cookie token, with its account (nil for a visitor's session),
    /// or nil when the token is unknown, expired, or its account is disabled.
    public func find(token: String) async throws -> SessionRecord? {
        guard token.count <= 128 else { return nil }
        let result = try await db.query(
            """
            SELECT s.csrf_token, s.expires_at, s.last_seen_at < now() - interval '5 minutes' AS stale,
                   a.id IS NOT NULL AS has_account, coalesce(a.disabled, false) AS blocked, \(AccountStore.columns)
            FROM session s LEFT JOIN account a ON a.id = s.account_id
            WHERE s.token_hash = sha256(convert_to(\(token), 'UTF8')) AND s.expires_at > now()
            """
        )
        guard let row = result.first else { return nil }
        let (csrf, expires, stale, hasAccount, blocked) = try row.decode((String, Date, Bool, Bool, Bool).self)
        if blocked { return nil }
        let account = hasAccount ? try AccountStore.decode(row) : nil
        return SessionRecord(token: token, csrfToken: csrf, account: account, expiresAt: expires, needsTouch: stale)
    }

    /// Slides the expiry forward (called at most every few minutes per session).
    public func touch(token: String, loggedIn: Bool) async throws {
        let lifetime = loggedIn ? Self.accountLifetimeSeconds : Self.visitorLifetimeSeconds
        _ = try await db.query(
            """
            UPDATE session SET last_seen_at = now(), expires_at = now() + make_interval(secs => \(lifetime))
            WHERE token_hash = sha256(convert_to(\(token), 'UTF8')) AND expires_at > now()
            """
        )
    }

    public func delete(token: String) async throws {
        try await Self.delete(token: token, on: db)
    }

    private static func delete(token: String, on db: some Queryable) async throws {
        _ = try await db.query("DELETE FROM session WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))")
    }

    /// Removes sessions that expired more than a day ago; returns how many.
    @discardableResult
    public func deleteExpired() async throws -> Int {
        try await db.query("DELETE FROM session WHERE expires_at < now() - interval '1 day'").affectedRows
    }
}
