import Domain
import Foundation
import PQ

/// A session as a request sees it.
public struct SessionRecord: Sendable {
    public let token: String
    public let csrfToken: String
    /// The account logged in; nil for a visitor, and for a login still owing its second step.
    public let account: Account?
    public let expiresAt: Date
    /// Whether the session is due for a sliding renewal of its expiry.
    public let needsTouch: Bool
    /// A login that passed the password and still owes its second step.
    public let pending: PendingLogin?
    /// The account's unread messages (for the menu).
    public let unread: Int
    /// The content and figures versions (`Store.versions()`) read with the session, in
    /// the same statement: a page kept by versions needs no query of its own for them.
    /// Nil for a session made during this request.
    public let versions: (content: Int, figures: Int)?

    public init(
        token: String, csrfToken: String, account: Account?, expiresAt: Date, needsTouch: Bool, pending: PendingLogin? = nil, unread: Int = 0,
        versions: (content: Int, figures: Int)? = nil
    ) {
        self.token = token
        self.csrfToken = csrfToken
        self.account = account
        self.expiresAt = expiresAt
        self.needsTouch = needsTouch
        self.pending = pending
        self.unread = unread
        self.versions = versions
    }
}

/// A login between its password and its second step.
public struct PendingLogin: Sendable {
    public enum Step: String, Sendable {
        /// Type a code from the authenticator app (or a recovery code).
        case verify
        /// Set two-step verification up first (required for admins).
        case enrol
    }

    public let account: Account
    public let step: Step
}

/// One of an account's sessions, as its owner sees it.
public struct SessionLine: Sendable, Hashable {
    public let device: String
    public let startedAt: Date
    public let lastSeenAt: Date
    public let isCurrent: Bool
}

/// Server-side sessions. The cookie carries a random token; the table stores only its
/// SHA-256 (computed by the server), so a leaked table opens no sessions. Any instance
/// of the service can serve any session.
public struct SessionStore: Sendable {
    let db: Pool

    /// Logged-in sessions end 12 hours after the last request (idle) and 7 days after
    /// the login at the latest (absolute); visitors' (which only carry the login form's
    /// CSRF token) after 2 hours; a login owing its second step after 10 minutes.
    public static let accountLifetimeSeconds = 12 * 3600
    public static let absoluteLifetimeSeconds = 7 * 24 * 3600
    public static let visitorLifetimeSeconds = 2 * 3600
    public static let pendingLifetimeSeconds = 10 * 60

    /// Starts a visitor's session; returns its token and CSRF token.
    public func create(accountID: Account.ID?) async throws -> (token: String, csrfToken: String) {
        try await Self.start(accountID: accountID, pending: nil, userAgent: nil, on: db)
    }

    private static func start(
        accountID: Account.ID?, pending: PendingLogin.Step?, userAgent: String?, on db: some Queryable
    ) async throws -> (token: String, csrfToken: String) {
        let token = Tokens.random()
        let csrf = Tokens.random()
        let lifetime = pending != nil ? Self.pendingLifetimeSeconds : accountID == nil ? Self.visitorLifetimeSeconds : Self.accountLifetimeSeconds
        _ = try await db.query(
            """
            INSERT INTO session (token_hash, account_id, csrf_token, expires_at, pending_step, user_agent)
            VALUES (sha256(convert_to(\(token), 'UTF8')), \(accountID), \(csrf), now() + make_interval(secs => \(lifetime)),
                    \(pending?.rawValue), \(userAgent.map { String($0.prefix(300)) }))
            """
        )
        return (token, csrf)
    }

    /// Logs an account in: ends the session it came with (a visitor's, an earlier login,
    /// or this login's pending one), starts a fresh one and writes the login's audit
    /// line, in one transaction. With `pending`, the new session waits for the second
    /// step and belongs to nobody yet (no audit line until it is done).
    public func logIn(
        _ accountID: Account.ID, replacing old: String?, pending: PendingLogin.Step? = nil, userAgent: String? = nil
    ) async throws -> (token: String, csrfToken: String) {
        try await db.transaction { tx in
            if let old { try await Self.delete(token: old, on: tx) }
            let started = try await Self.start(accountID: accountID, pending: pending, userAgent: userAgent, on: tx)
            if pending == nil {
                try await AuditLine(.accountLogin, by: accountID, about: accountID).write(on: tx)
            }
            return started
        }
    }

    /// The account's live sessions, most recently used first.
    public func sessions(of account: Account.ID, current token: String) async throws -> [SessionLine] {
        try await db.query(
            """
            SELECT coalesce(user_agent, ''), created_at, last_seen_at, token_hash = sha256(convert_to(\(token), 'UTF8'))
            FROM session
            WHERE account_id = \(account) AND pending_step IS NULL AND expires_at > now()
              AND created_at > now() - make_interval(secs => \(Self.absoluteLifetimeSeconds))
            ORDER BY last_seen_at DESC
            """
        ).decode((String, Date, Date, Bool).self).map {
            SessionLine(device: $0, startedAt: $1, lastSeenAt: $2, isCurrent: $3)
        }
    }

    /// Ends every session of the account but the one with `token`; returns how many.
    @discardableResult
    public func endOthers(of account: Account.ID, keeping token: String) async throws -> Int {
        try await db.transaction { tx in
            let ended = try await tx.query(
                "DELETE FROM session WHERE account_id = \(account) AND token_hash <> sha256(convert_to(\(token), 'UTF8'))"
            ).affectedRows
            try await AuditLine(.accountLogoutOthers, by: account, about: account).write(on: tx)
            return ended
        }
    }

    /// The live session for a cookie token, with its account (nil for a visitor's session),
    /// or nil when the token is unknown, expired, or its account is disabled.
    public func find(token: String) async throws -> SessionRecord? {
        guard token.count <= 128 else { return nil }
        let result = try await db.query(
            """
            SELECT s.csrf_token, s.expires_at, s.last_seen_at < now() - interval '5 minutes' AS stale,
                   a.id IS NOT NULL AS has_account, coalesce(a.disabled, false) AS blocked, s.pending_step,
                   (SELECT count(*)::int FROM notification n
                    WHERE n.account_id = s.account_id AND n.read_at IS NULL AND n.kind <> 'account_mail') AS unread,
                   (SELECT last_value FROM content_version), (SELECT last_value FROM figures_version),
                   \(AccountStore.columns)
            FROM session s LEFT JOIN account a ON a.id = s.account_id
            WHERE s.token_hash = sha256(convert_to(\(token), 'UTF8')) AND s.expires_at > now()
              AND (s.account_id IS NULL OR s.created_at > now() - make_interval(secs => \(Self.absoluteLifetimeSeconds)))
            """
        )
        guard let row = result.first else { return nil }
        let (csrf, expires, stale, hasAccount, blocked, pendingStep, unread, content, figures) =
            try row.decode((String, Date, Bool, Bool, Bool, String?, Int, Int, Int).self)
        if blocked { return nil }
        let account = hasAccount ? try AccountStore.decode(row) : nil
        if let pendingStep, let account, let step = PendingLogin.Step(rawValue: pendingStep) {
            return SessionRecord(token: token, csrfToken: csrf, account: nil, expiresAt: expires, needsTouch: false,
                                 pending: PendingLogin(account: account, step: step))
        }
        return SessionRecord(
            token: token, csrfToken: csrf, account: account, expiresAt: expires, needsTouch: stale, unread: unread, versions: (content, figures))
    }

    /// Slides the expiry forward (called at most every few minutes per session).
    public func touch(token: String, loggedIn: Bool) async throws {
        let lifetime = loggedIn ? Self.accountLifetimeSeconds : Self.visitorLifetimeSeconds
        _ = try await db.query(
            """
            UPDATE session SET last_seen_at = now(), expires_at = now() + make_interval(secs => \(lifetime))
            WHERE token_hash = sha256(convert_to(\(token), 'UTF8')) AND expires_at > now() AND pending_step IS NULL
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
        try await db.query(
            """
            DELETE FROM session WHERE expires_at < now() - interval '1 day'
               OR created_at < now() - make_interval(secs => \(Self.absoluteLifetimeSeconds + 86400))
            """
        ).affectedRows
    }
}
