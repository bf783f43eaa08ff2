import Domain
import Foundation
import PQ

/// A profile as an HR adviser finds it in a search.
public struct ProfileSummary: Sendable, Hashable {
    public let accountID: Account.ID
    public let name: String
    public let organisations: String?
    public let functions: [String]
    public let areas: [String]
    public let interests: [Interest]
    public let hoursPerWeek: Int?
}

/// A consent as the professional sees it in their history.
public struct ConsentRecord: Sendable, Hashable {
    public let purpose: ConsentPurpose
    public let givenAt: Date
    public let withdrawnAt: Date?
}

/// A view of a profile, for the professional: who looked, for which organisation, when and why.
public struct ProfileView: Sendable, Hashable {
    public let viewerName: String?
    public let organisations: String?
    public let at: Date
    public let reason: String?
}

/// Consent per purpose, the search HR advisers make over consenting profiles, and the
/// rule for who may open a profile: an HR adviser of an organisation the professional
/// works for now, or any HR adviser once the professional consented to be found.
public struct ProfileStore: Sendable {
    let db: Pool

    // MARK: Consent

    /// The purposes the account allows now.
    public func consents(of account: Account.ID) async throws -> Set<ConsentPurpose> {
        Set(try await db.query(
            "SELECT purpose FROM consent WHERE account_id = \(account) AND withdrawn_at IS NULL"
        ).decode(String.self).compactMap(ConsentPurpose.init(rawValue:)))
    }

    /// Every consent given and withdrawn, newest first.
    public func consentHistory(of account: Account.ID) async throws -> [ConsentRecord] {
        try await db.query(
            "SELECT purpose, given_at, withdrawn_at FROM consent WHERE account_id = \(account) ORDER BY given_at DESC, id"
        ).decode((String, Date, Date?).self).compactMap { purpose, givenAt, withdrawnAt in
            ConsentPurpose(rawValue: purpose).map { ConsentRecord(purpose: $0, givenAt: givenAt, withdrawnAt: withdrawnAt) }
        }
    }

    /// Gives consent for `purpose`; returns false when it was already given.
    @discardableResult
    public func give(_ purpose: ConsentPurpose, by account: Account.ID) async throws -> Bool {
        try await db.audited({ tx in
            !(try await tx.query(
                """
                INSERT INTO consent (account_id, purpose) VALUES (\(account), \(purpose.rawValue))
                ON CONFLICT (account_id, purpose) WHERE withdrawn_at IS NULL DO NOTHING
                RETURNING id
                """
            ).isEmpty)
        }) { given in
            given ? AuditLine(.consentGive, by: account, about: account, object: AuditObject("consent", key: purpose.rawValue)) : nil
        }
    }

    /// Withdraws consent for `purpose`, at once; returns false when none was open.
    @discardableResult
    public func withdraw(_ purpose: ConsentPurpose, by account: Account.ID) async throws -> Bool {
        try await db.audited({ tx in
            !(try await tx.query(
                """
                UPDATE consent SET withdrawn_at = now()
                WHERE account_id = \(account) AND purpose = \(purpose.rawValue) AND withdrawn_at IS NULL
                RETURNING id
                """
            ).isEmpty)
        }) { withdrawn in
            withdrawn ? AuditLine(.consentWithdraw, by: account, about: account, object: AuditObject("consent", key: purpose.rawValue)) : nil
        }
    }

    // MARK: Finding and opening profiles

    /// Profiles whose owners consented to be found, matching `search`, by name.
    public func search(_ search: ProfileSearch, limit: Int = 100) async throws -> [ProfileSummary] {
        try await db.query(
            """
            SELECT a.id, a.display_name,
                   (SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM employment e JOIN organisation o ON o.id = e.organisation_id
                    WHERE e.account_id = a.id AND e.ended_on IS NULL),
                   coalesce((SELECT array_agg(f.name ORDER BY f.name) FROM professional_function pf
                             JOIN job_function f ON f.code = pf.function_code WHERE pf.account_id = a.id), '{}'),
                   coalesce((SELECT array_agg(r.name ORDER BY r.name) FROM professional_area pa
                             JOIN area r ON r.slug = pa.area_slug WHERE pa.account_id = a.id), '{}'),
                   p.interests, p.hours_per_week
            FROM professional p JOIN account a ON a.id = p.account_id
            WHERE NOT a.disabled
              AND EXISTS (SELECT FROM consent c WHERE c.account_id = a.id AND c.purpose = 'profile_search' AND c.withdrawn_at IS NULL)
              AND (\(search.functionCode)::text IS NULL
                   OR EXISTS (SELECT FROM professional_function pf WHERE pf.account_id = a.id AND pf.function_code = \(search.functionCode)::text))
              AND (\(search.discipline?.rawValue)::text IS NULL OR \(search.discipline?.rawValue)::text = ANY(p.disciplines))
              AND (\(search.areaSlug)::text IS NULL
                   OR EXISTS (SELECT FROM professional_area pa WHERE pa.account_id = a.id AND pa.area_slug = \(search.areaSlug)::text))
              AND (\(search.interest?.rawValue)::text IS NULL OR \(search.interest?.rawValue)::text = ANY(p.interests))
            ORDER BY a.display_name, a.id
            LIMIT \(limit)
            """
        ).decode((UUID, String, String?, [String], [String], [String], Int?).self).map { accountID, name, organisations, functions, areas, interests, hoursPerWeek in
            ProfileSummary(accountID: accountID, name: name, organisations: organisations, functions: functions, areas: areas,
                           interests: interests.compactMap(Interest.init(rawValue:)), hoursPerWeek: hoursPerWeek)
        }
    }

    /// Whether an HR adviser of `organisations` may open the profile of `professional`:
    /// it works for one of them now, or consented to be found.
    public func mayOpen(_ professional: Account.ID, asHRAdviserOf organisations: [Organisation.ID]) async throws -> Bool {
        try await db.query(
            """
            SELECT EXISTS (SELECT FROM professional p JOIN account a ON a.id = p.account_id
                           WHERE p.account_id = \(professional) AND NOT a.disabled)
               AND (EXISTS (SELECT FROM consent c WHERE c.account_id = \(professional) AND c.purpose = 'profile_search' AND c.withdrawn_at IS NULL)
                    OR EXISTS (SELECT FROM employment e WHERE e.account_id = \(professional) AND e.ended_on IS NULL
                               AND e.organisation_id = ANY(\(organisations)::uuid[])))
            """
        ).first(decoding: Bool.self) ?? false
    }

    /// Opening a profile writes an audit line: who, whose, when, why.
    public func recordView(of professional: Account.ID, by viewer: Account.ID, reason: ProfileViewReason) async throws {
        try await AuditLine(.profileView, by: viewer, about: professional, object: AuditObject("professional", professional),
                            reason: reason.label).write(on: db)
    }

    /// Who opened the professional's profile, newest first, with the organisations the
    /// viewer advises.
    public func views(of professional: Account.ID, limit: Int = 100) async throws -> [ProfileView] {
        try await db.query(
            """
            SELECT a.display_name,
                   (SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM role_grant g JOIN organisation o ON o.id = g.organisation_id
                    WHERE g.account_id = l.actor_account_id AND g.role = 'hr_adviser'),
                   l.occurred_at, l.reason
            FROM audit_log l LEFT JOIN account a ON a.id = l.actor_account_id
            WHERE l.subject_account_id = \(professional) AND l.action = \(AuditAction.profileView.rawValue)
            ORDER BY l.occurred_at DESC, l.id DESC
            LIMIT \(limit)
            """
        ).decode((String?, String?, Date, String?).self).map { viewerName, organisations, at, reason in
            ProfileView(viewerName: viewerName, organisations: organisations, at: at, reason: reason)
        }
    }
}
