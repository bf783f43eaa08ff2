import Domain
import Foundation
import PQ

public struct AccountStore: Sendable {
    let pool: Pool

    /// Columns of an account with its grants folded into one text array (`role|organisation`).
    static let columns: SQL = """
        a.id AS account_id, a.email, a.display_name, a.disabled AS account_disabled,
        a.email_confirmed_at IS NOT NULL AS email_confirmed, a.totp_enabled_at IS NOT NULL AS two_step,
        coalesce((SELECT array_agg(g.role || '|' || coalesce(g.organisation_id::text, '') ORDER BY g.role, g.organisation_id)
                  FROM role_grant g WHERE g.account_id = a.id), '{}') AS grants
        """

    /// The account in a row holding `columns` (alone, or beside a session's).
    static func decode(_ row: Row) throws -> Account {
        try Account(
            id: row.decode(column: "account_id"), email: row.decode(column: "email"), displayName: row.decode(column: "display_name"),
            disabled: row.decode(column: "account_disabled"), grants: row.decode(column: "grants", as: [String].self).map(decodeGrant),
            emailConfirmed: row.decode(column: "email_confirmed"), twoStepEnabled: row.decode(column: "two_step"))
    }

    static func decodeGrant(_ text: String) throws -> RoleGrant {
        let parts = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let role = Role(rawValue: String(parts[0])) else {
            throw PostgresError(kind: .decoding, message: "bad role grant \(text)")
        }
        return RoleGrant(role: role, organisationID: parts[1].isEmpty ? nil : UUID(uuidString: String(parts[1])))
    }

    public func find(id: Account.ID) async throws -> Account? {
        try await pool.query("SELECT \(Self.columns) FROM account a WHERE a.id = \(id)").first.map(Self.decode)
    }

    public func find(email: String) async throws -> Account? {
        try await pool.query("SELECT \(Self.columns) FROM account a WHERE lower(a.email) = lower(\(email))")
            .first.map(Self.decode)
    }

    /// All accounts by name, with their roles (admin overview).
    public func all(limit: Int = 500) async throws -> [Account] {
        try await pool.query("SELECT \(Self.columns) FROM account a ORDER BY lower(a.display_name), a.id LIMIT \(limit)")
            .map(Self.decode)
    }

    /// Accounts whose name or address contains `text` (all when empty), by name: one page
    /// of them and how many there are in all.
    public func search(_ text: String, offset: Int, limit: Int) async throws -> (accounts: [Account], total: Int) {
        let pattern = "%" + text.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        let condition: SQL = text.isEmpty ? "true" : "(lower(a.display_name) LIKE \(pattern) OR lower(a.email) LIKE \(pattern))"
        let total = try await pool.query("SELECT count(*)::int FROM account a WHERE \(condition)").first(decoding: Int.self) ?? 0
        let accounts = try await pool.query(
            "SELECT \(Self.columns) FROM account a WHERE \(condition) ORDER BY lower(a.display_name), a.id OFFSET \(offset) LIMIT \(limit)"
        ).map(Self.decode)
        return (accounts, total)
    }

    /// What login needs: the account, its hash (nil: no password set) and whether it is disabled.
    public func credentials(email: String) async throws -> (id: Account.ID, passwordHash: String?, disabled: Bool)? {
        guard
            let (id, hash, disabled) = try await pool.query(
                "SELECT id, password_hash, disabled FROM account WHERE lower(email) = lower(\(email))"
            ).first(decoding: (UUID, String?, Bool).self)
        else { return nil }
        return (id, hash, disabled)
    }

    /// Adds an account with a hashed password and, when given, its first role.
    /// A taken email comes back as a field error and stores nothing.
    public func create(_ new: NewAccount, passwordHash: String?, grantedBy: Account.ID?) async throws -> Account {
        // An account made by someone (an admin) is an audit line of theirs; one made by
        // the command line (grantedBy nil) is one of the system's.
        do {
            return try await pool.transaction { tx in
                let id = try await tx.query(
                    """
                    INSERT INTO account (email, display_name, password_hash, email_confirmed_at)
                    VALUES (\(new.email), \(new.displayName), \(passwordHash), now())
                    RETURNING id
                    """
                ).first(decoding: UUID.self)!
                if let grant = new.grant {
                    _ = try await tx.query(
                        """
                        INSERT INTO role_grant (account_id, role, organisation_id, granted_by)
                        VALUES (\(id), \(grant.role), \(grant.organisationID), \(grantedBy))
                        """
                    )
                }
                try await AuditLine(.accountCreate, by: grantedBy, about: id).write(on: tx)
                return try Self.decode(try await tx.query("SELECT \(Self.columns) FROM account a WHERE a.id = \(id)")[0])
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw ValidationErrors(field: "email", message: "Er is al een account met dit e-mailadres.")
        } catch let error as PostgresError where error.isForeignKeyViolation {
            throw ValidationErrors(field: "organisation", message: "Deze organisatie bestaat niet.")
        }
    }

    /// Grants a role; holding it already, or an unknown organisation, is a field error.
    public func grant(_ grant: RoleGrant, to accountID: Account.ID, by actor: Account.ID?) async throws {
        do {
            try await pool.transaction { tx in
                let result = try await tx.query(
                    """
                    INSERT INTO role_grant (account_id, role, organisation_id, granted_by)
                    SELECT a.id, \(grant.role), \(grant.organisationID), \(actor) FROM account a WHERE a.id = \(accountID)
                    """
                )
                if result.affectedRows == 0 { throw StoreError.notFound }
                try await AuditLine(.roleGrant, by: actor, about: accountID, object: AuditObject("role", key: grant.role.rawValue)).write(on: tx)
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw ValidationErrors(field: "role", message: "Dit account heeft deze rol al.")
        } catch let error as PostgresError where error.isForeignKeyViolation {
            throw ValidationErrors(field: "organisation", message: "Deze organisatie bestaat niet.")
        } catch let error as PostgresError where error.constraint == Constraint.roleGrantOrganisationKind {
            throw ValidationErrors(field: "organisation", message: "Een stagecoördinator hoort bij een school; de andere rollen nooit bij een school.")
        } catch let error as PostgresError where error.isCheckViolation {
            throw ValidationErrors(field: "organisation", message: "Deze rol past niet bij deze keuze van organisatie.")
        }
    }

    /// Takes a role away; returns whether there was one to take.
    @discardableResult
    public func revoke(_ grant: RoleGrant, from accountID: Account.ID, by actor: Account.ID?) async throws -> Bool {
        try await pool.transaction { tx in
            guard try await tx.query(
                """
                DELETE FROM role_grant
                WHERE account_id = \(accountID) AND role = \(grant.role)
                  AND organisation_id IS NOT DISTINCT FROM \(grant.organisationID)
                """
            ).affectedRows > 0 else { return false }
            try await AuditLine(.roleRevoke, by: actor, about: accountID, object: AuditObject("role", key: grant.role.rawValue)).write(on: tx)
            return true
        }
    }

    /// Disables or enables an account; disabling ends its sessions at once.
    @discardableResult
    public func setDisabled(_ accountID: Account.ID, _ disabled: Bool, by actor: Account.ID?) async throws -> Bool {
        try await pool.transaction { tx in
            let changed = try await tx.query(
                "UPDATE account SET disabled = \(disabled), updated_at = now() WHERE id = \(accountID)"
            ).affectedRows > 0
            guard changed else { return false }
            if disabled {
                _ = try await tx.query("DELETE FROM session WHERE account_id = \(accountID)")
            }
            try await AuditLine(disabled ? .accountDisable : .accountEnable, by: actor, about: accountID).write(on: tx)
            return true
        }
    }

    public func setPasswordHash(_ accountID: Account.ID, _ hash: String) async throws {
        let result = try await pool.query(
            "UPDATE account SET password_hash = \(hash), updated_at = now() WHERE id = \(accountID)"
        )
        if result.affectedRows == 0 { throw StoreError.notFound }
    }
}
