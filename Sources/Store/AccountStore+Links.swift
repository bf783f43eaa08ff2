import Domain
import Foundation
import PQ

/// What a link sent by mail is for, and how long it works.
public enum AccountLinkPurpose: String, Sendable, CaseIterable {
    case confirmEmail = "confirm_email"
    case resetPassword = "reset_password"
    case invitation

    public var lifetimeSeconds: Int {
        switch self {
        case .confirmEmail: 24 * 3600
        case .resetPassword: 3600
        case .invitation: 7 * 24 * 3600
        }
    }

    /// The page the link opens, with the token as its last segment.
    public func path(token: String) -> String {
        switch self {
        case .confirmEmail: "/bevestigen/\(token)"
        case .resetPassword: "/wachtwoord-herstellen/\(token)"
        case .invitation: "/uitnodiging/\(token)"
        }
    }
}

/// What a token from a link turned out to be.
public enum AccountLinkCheck: Sendable, Equatable {
    /// Good: the account it is for, with its address and name.
    case valid(account: Account.ID, email: String, name: String)
    /// Known, but past its lifetime.
    case expired
    /// Known, but used already (or replaced by a newer link).
    case used
    /// Not a token we issued for this purpose.
    case unknown
}

/// Self-registration, confirmation, invitations and password resets. A link's token is
/// random (256 bits); the table keeps its SHA-256 only, and the mail (the outbox row)
/// is its only plain copy until it is sent.
extension AccountStore {
    /// Registers a job seeker or student, or, when the address has an account already,
    /// mails its owner instead: the caller cannot tell which happened.
    public func register(_ registration: SignUp, passwordHash: String) async throws {
        try await pool.transaction { tx in
            let created = try await tx.query(
                """
                INSERT INTO account (email, display_name, password_hash) VALUES (\(registration.email), \(registration.displayName), \(passwordHash))
                ON CONFLICT (lower(email)) DO NOTHING RETURNING id
                """
            ).first(decoding: UUID.self)
            guard let id = created else {
                if let existing = try await tx.query(
                    "SELECT id FROM account WHERE lower(email) = lower(\(registration.email)) AND erased_at IS NULL AND NOT disabled"
                ).first(decoding: UUID.self) {
                    try await NotificationStore.add(.registeredAgain(), for: existing, on: tx)
                }
                return
            }
            _ = try await tx.query("INSERT INTO role_grant (account_id, role) VALUES (\(id), \(registration.role))")
            if case .student(let school, let programme, let level) = registration.kind {
                _ = try await tx.query(
                    """
                    INSERT INTO student (account_id, school, programme, level, school_id)
                    VALUES (\(id), \(school), \(programme), \(level.rawValue),
                            (SELECT o.id FROM organisation o WHERE o.kind = 'school' AND o.active AND lower(o.name) = lower(\(school))))
                    """)
            }
            try await AuditLine(.accountRegister, by: id, about: id, object: AuditObject("role", key: registration.role.rawValue)).write(on: tx)
            _ = try await Self.issueLink(.confirmEmail, for: id, on: tx) { .confirmEmail(link: $0) }
        }
    }

    /// Sends a new confirmation link (the older ones stop working). False when the
    /// address is confirmed already.
    public func resendConfirmation(for account: Account.ID) async throws -> Bool {
        try await pool.transaction { tx in
            guard try await tx.query(
                "SELECT 1 FROM account WHERE id = \(account) AND email_confirmed_at IS NULL AND erased_at IS NULL FOR UPDATE"
            ).first != nil else { return false }
            _ = try await Self.issueLink(.confirmEmail, for: account, on: tx) { .confirmEmail(link: $0) }
            return true
        }
    }

    /// Confirms the address a confirmation link was sent to (once).
    public func confirmEmail(token: String) async throws -> AccountLinkCheck {
        try await pool.transaction { tx in
            let check = try await Self.check(token, .confirmEmail, on: tx, lock: true)
            guard case .valid(let account, _, _) = check else { return check }
            try await Self.use(token, on: tx)
            _ = try await tx.query("UPDATE account SET email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now() WHERE id = \(account)")
            try await AuditLine(.accountConfirmEmail, by: account, about: account).write(on: tx)
            return check
        }
    }

    /// Mails a reset link when the address has a live account; does nothing otherwise
    /// (the page says the same either way).
    public func requestPasswordReset(email: String) async throws {
        try await pool.transaction { tx in
            guard let account = try await tx.query(
                "SELECT id FROM account WHERE lower(email) = lower(\(email)) AND erased_at IS NULL AND NOT disabled FOR UPDATE"
            ).first(decoding: UUID.self) else { return }
            _ = try await Self.issueLink(.resetPassword, for: account, on: tx) { .passwordReset(link: $0) }
        }
    }

    /// What a link's token is, without using it (for the page that asks the new password).
    public func checkLink(_ token: String, _ purpose: AccountLinkPurpose) async throws -> AccountLinkCheck {
        try await Self.check(token, purpose, on: pool, lock: false)
    }

    /// Sets a new password through a reset or invitation link (once): the address is
    /// then confirmed too (the mail reached its owner), and every session of the account
    /// ends. An invitation is marked accepted.
    public func setPassword(through token: String, _ purpose: AccountLinkPurpose, passwordHash: String) async throws -> AccountLinkCheck {
        precondition(purpose != .confirmEmail)
        return try await pool.transaction { tx in
            let check = try await Self.check(token, purpose, on: tx, lock: true)
            guard case .valid(let account, _, _) = check else { return check }
            try await Self.use(token, on: tx)
            _ = try await tx.query(
                """
                UPDATE account SET password_hash = \(passwordHash), email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()
                WHERE id = \(account)
                """
            )
            _ = try await tx.query("DELETE FROM session WHERE account_id = \(account)")
            if purpose == .invitation {
                _ = try await tx.query("UPDATE invitation SET accepted_at = now() WHERE account_id = \(account) AND accepted_at IS NULL")
            }
            try await AuditLine(purpose == .invitation ? .accountInvitationAccept : .accountPasswordReset, by: account, about: account).write(on: tx)
            return check
        }
    }

    public enum InvitationOutcome: Sendable, Equatable {
        case invited(Account.ID)
        /// The address has an account already: nothing was changed.
        case hasAccount
    }

    /// Invites an employee of the HR adviser's organisation: an account without a
    /// password, the professional role, a job in the function from today, and a mail
    /// with a link to choose the password.
    public func invite(_ invitee: Invitee, organisation: Organisation.ID, by inviter: Account.ID, today: Day) async throws -> InvitationOutcome {
        try await pool.transaction { tx in
            guard let id = try await tx.query(
                """
                INSERT INTO account (email, display_name) VALUES (\(invitee.email), \(invitee.displayName))
                ON CONFLICT (lower(email)) DO NOTHING RETURNING id
                """
            ).first(decoding: UUID.self) else { return .hasAccount }
            _ = try await tx.query("INSERT INTO role_grant (account_id, role, granted_by) VALUES (\(id), 'professional', \(inviter))")
            _ = try await tx.query("INSERT INTO professional (account_id) VALUES (\(id))")
            _ = try await tx.query(
                "INSERT INTO professional_function (account_id, function_code) VALUES (\(id), \(invitee.functionCode))")
            _ = try await tx.query(
                """
                INSERT INTO employment (account_id, organisation_id, function_code, started_on)
                VALUES (\(id), \(organisation), \(invitee.functionCode), \(today))
                """
            )
            _ = try await tx.query(
                """
                INSERT INTO invitation (account_id, organisation_id, function_code, invited_by)
                VALUES (\(id), \(organisation), \(invitee.functionCode), \(inviter))
                """
            )
            let (organisationName, inviterName) = try await tx.query(
                "SELECT o.name, a.display_name FROM organisation o, account a WHERE o.id = \(organisation) AND a.id = \(inviter)"
            ).first(decoding: (String, String).self)!
            try await AuditLine(.accountInvite, by: inviter, about: id, object: AuditObject("organisation", organisation)).write(on: tx)
            _ = try await Self.issueLink(.invitation, for: id, on: tx) {
                .invitation(organisation: organisationName, inviter: inviterName, link: $0)
            }
            return .invited(id)
        }
    }

    /// The organisation's invitations, newest first: name, address, function, when, accepted.
    public func invitations(of organisation: Organisation.ID, limit: Int = 200) async throws -> [InvitationLine] {
        try await pool.query(
            """
            SELECT a.display_name, a.email, f.name, i.invited_at, i.accepted_at
            FROM invitation i JOIN account a ON a.id = i.account_id JOIN job_function f ON f.code = i.function_code
            WHERE i.organisation_id = \(organisation) AND a.erased_at IS NULL
            ORDER BY i.invited_at DESC, a.email LIMIT \(limit)
            """
        ).decode((String, String, String, Date, Date?).self).map {
            InvitationLine(name: $0, email: $1, function: $2, invitedAt: $3, acceptedAt: $4)
        }
    }

    // MARK: Links

    /// Makes a new link for `purpose` (the account's older unused ones of that purpose
    /// stop working) and puts its mail in the outbox; returns the token.
    static func issueLink(
        _ purpose: AccountLinkPurpose, for account: Account.ID, on tx: some Queryable,
        mail: (String) -> AccountNotification
    ) async throws -> String {
        let token = Tokens.random()
        _ = try await tx.query(
            "UPDATE account_token SET used_at = now() WHERE account_id = \(account) AND purpose = \(purpose.rawValue) AND used_at IS NULL")
        _ = try await tx.query(
            """
            INSERT INTO account_token (token_hash, account_id, purpose, expires_at)
            VALUES (sha256(convert_to(\(token), 'UTF8')), \(account), \(purpose.rawValue), now() + make_interval(secs => \(purpose.lifetimeSeconds)))
            """
        )
        try await NotificationStore.add(mail(purpose.path(token: token)), for: account, on: tx)
        return token
    }

    static func check(_ token: String, _ purpose: AccountLinkPurpose, on db: some Queryable, lock: Bool) async throws -> AccountLinkCheck {
        guard (20...128).contains(token.count), token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return .unknown
        }
        let lockClause: SQL = lock ? "FOR UPDATE OF t" : ""
        guard let (account, email, name, live, used) = try await db.query(
            """
            SELECT t.account_id, a.email, a.display_name, t.expires_at > now(), t.used_at IS NOT NULL
            FROM account_token t JOIN account a ON a.id = t.account_id
            WHERE t.token_hash = sha256(convert_to(\(token), 'UTF8')) AND t.purpose = \(purpose.rawValue)
              AND a.erased_at IS NULL AND NOT a.disabled
            \(lockClause)
            """
        ).first(decoding: (UUID, String, String, Bool, Bool).self) else { return .unknown }
        if used { return .used }
        if !live { return .expired }
        return .valid(account: account, email: email, name: name)
    }

    static func use(_ token: String, on tx: some Queryable) async throws {
        _ = try await tx.query("UPDATE account_token SET used_at = now() WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))")
    }

    /// Drops links that expired more than a week ago (housekeeping).
    public func deleteOldLinks() async throws {
        _ = try await pool.query("DELETE FROM account_token WHERE expires_at < now() - interval '7 days'")
    }
}

/// One invitation, as its organisation's HR advisers see it.
public struct InvitationLine: Sendable, Hashable {
    public let name: String
    public let email: String
    public let function: String
    public let invitedAt: Date
    public let acceptedAt: Date?
}
