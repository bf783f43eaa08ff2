import Domain
import Foundation
import PQ

/// A professional looking for a duo partner, as other professionals see them on a
/// duo-job posting (they consented to be contacted about it).
public struct DuoSeeker: Sendable, Hashable {
    public let accountID: Account.ID
    public let name: String
    public let email: String
    public let organisation: String?
    public let hoursPerWeek: Int?
    public let areas: [String]
}

/// An application on which the person is named as duo partner.
public struct DuoRequest: Sendable, Hashable {
    public let applicationID: UUID
    public let postingID: Posting.ID
    public let postingTitle: String
    public let organisationName: String
    public let applicantName: String
    public let status: ApplicationStatus
    public let confirmed: Bool
}

extension ApplicationStore {
    /// Professionals open to a duo job who may be contacted about it, for `function`
    /// (or any function when the posting names none), without `viewer`.
    public func duoSeekers(function: String?, excluding viewer: Account.ID?, limit: Int = 50) async throws -> [DuoSeeker] {
        try await pool.query(
            """
            SELECT a.id, a.display_name, a.email,
                   (SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM employment e JOIN organisation o ON o.id = e.organisation_id
                    WHERE e.account_id = a.id AND e.ended_on IS NULL),
                   p.hours_per_week,
                   coalesce((SELECT array_agg(r.name ORDER BY r.name) FROM professional_area pa JOIN area r ON r.slug = pa.area_slug
                             WHERE pa.account_id = a.id), '{}')
            FROM professional p JOIN account a ON a.id = p.account_id
            WHERE \(Self.isDuoSeeker)
              AND (\(viewer)::uuid IS NULL OR a.id <> \(viewer)::uuid)
              AND (\(function)::text IS NULL
                   OR EXISTS (SELECT FROM professional_function f WHERE f.account_id = a.id AND f.function_code = \(function)::text))
            ORDER BY a.display_name, a.id
            LIMIT \(limit)
            """
        ).decode((UUID, String, String, String?, Int?, [String]).self).map { accountID, name, email, organisation, hoursPerWeek, areas in
            DuoSeeker(accountID: accountID, name: name, email: email, organisation: organisation, hoursPerWeek: hoursPerWeek, areas: areas)
        }
    }

    /// Open to a duo job and willing to be contacted about it (`p` the professional, `a` their account).
    static let isDuoSeeker: SQL = """
        NOT a.disabled AND a.erased_at IS NULL AND 'duo_job' = ANY(p.interests)
        AND EXISTS (SELECT FROM consent c WHERE c.account_id = a.id AND c.purpose = 'contact_mobility' AND c.withdrawn_at IS NULL)
        """

    /// The account behind `email` when it may be named as a duo partner.
    public func duoPartner(email: String) async throws -> Account.ID? {
        try await pool.query(
            """
            SELECT a.id FROM account a JOIN professional p ON p.account_id = a.id
            WHERE lower(a.email) = lower(\(email.trimmingCharacters(in: .whitespaces))) AND \(Self.isDuoSeeker)
            """
        ).first(decoding: UUID.self)
    }

    /// The applications on which `partner` is named, newest first.
    public func duoRequests(for partner: Account.ID) async throws -> [DuoRequest] {
        try await pool.query(
            """
            SELECT a.id, p.id, p.title, o.name, acc.display_name, a.status, a.duo_confirmed_at IS NOT NULL
            FROM application a JOIN posting p ON p.id = a.posting_id JOIN organisation o ON o.id = p.organisation_id
            JOIN account acc ON acc.id = a.applicant_id
            WHERE a.duo_partner_id = \(partner)
            ORDER BY a.created_at DESC, a.id
            """
        ).decode((UUID, UUID, String, String, String, ApplicationStatus, Bool).self).map { applicationID, postingID, postingTitle, organisationName, applicantName, status, confirmed in
            DuoRequest(applicationID: applicationID, postingID: postingID, postingTitle: postingTitle, organisationName: organisationName, applicantName: applicantName, status: status, confirmed: confirmed)
        }
    }

    /// The named partner confirms, or declines (the application goes on without a
    /// partner); the applicant hears of it. False when there is nothing to answer.
    public func answerDuo(_ application: UUID, partner: Account.ID, confirm: Bool) async throws -> Bool {
        try await pool.transaction { tx in
            guard let (applicant, title, partnerName) = try await tx.query(
                """
                UPDATE application a
                SET duo_confirmed_at = CASE WHEN \(confirm) THEN now() END,
                    duo_partner_id = CASE WHEN \(confirm) THEN a.duo_partner_id END, updated_at = now()
                FROM posting p, account me
                WHERE a.id = \(application) AND a.duo_partner_id = \(partner) AND a.duo_confirmed_at IS NULL
                  AND a.status IN ('submitted', 'in_review', 'invited') AND p.id = a.posting_id AND me.id = \(partner)
                RETURNING a.applicant_id, p.title, me.display_name
                """
            ).first(decoding: (UUID, String, String).self) else { return false }
            try await NotificationStore.add(.duoAnswered(by: partnerName, postingTitle: title, confirmed: confirm), for: applicant, on: tx)
            return true
        }
    }
}
