import Domain
import Foundation
import PQ

/// One line of the internship overview: places agreed with the region, places posted
/// in internship postings, places filled by hires.
public struct InternshipLine: Sendable, Hashable {
    public let educationLevel: EducationLevel
    public let agreed: Int
    public let posted: Int
    public let filled: Int
}

/// One agreement of an organisation: places for a year and level, with a school and
/// its study programme where the agreement names them.
public struct InternshipAgreementLine: Sendable, Hashable {
    public let organisation: Organisation.ID
    public let organisationName: String
    public let year: Int
    public let educationLevel: EducationLevel
    public let school: Organisation.ID?
    public let schoolName: String?
    public let programme: String
    public let places: Int
}

/// Internship agreements: an organisation agrees a number of internship places for a
/// year and level, with a partner school and programme or with the region as a whole.
public struct InternshipAgreementStore: Sendable {
    let db: Pool

    /// Sets an agreement's places (0 takes the line away). `school` must be a school
    /// (the database refuses another organisation); `programme` is trimmed, "" when
    /// none is named.
    public func set(
        organisation: Organisation.ID, year: Int, level: EducationLevel, places: Int,
        school: Organisation.ID? = nil, programme: String = "", by adviser: Account.ID? = nil
    ) async throws {
        let programme = programme.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await db.audited({ tx in
            if places == 0 {
                _ = try await tx.query(
                    """
                    DELETE FROM internship_agreement WHERE organisation_id = \(organisation) AND year = \(year) AND education_level = \(level)
                      AND school_id IS NOT DISTINCT FROM \(school) AND programme = \(programme)
                    """)
            } else {
                _ = try await tx.query(
                    """
                    INSERT INTO internship_agreement (organisation_id, year, education_level, places_agreed, school_id, programme)
                    VALUES (\(organisation), \(year), \(level), \(places), \(school), \(programme))
                    ON CONFLICT ON CONSTRAINT internship_agreement_once
                    DO UPDATE SET places_agreed = EXCLUDED.places_agreed, updated_at = now()
                    """)
            }
        }) { _ in
            adviser.map { AuditLine(.internshipAgreement, by: $0, object: AuditObject("organisation", organisation), reason: "\(year) \(level.rawValue): \(places)") }
        }
    }

    /// An organisation's agreements for a year: by level, then school and programme.
    public func lines(organisation: Organisation.ID, year: Int) async throws -> [InternshipAgreementLine] {
        try await db.query(
            """
            SELECT \(Self.columns) FROM internship_agreement ia JOIN organisation o ON o.id = ia.organisation_id
            LEFT JOIN organisation s ON s.id = ia.school_id
            WHERE ia.organisation_id = \(organisation) AND ia.year = \(year)
            ORDER BY array_position(ARRAY['mbo', 'hbo', 'wo'], ia.education_level), s.name NULLS FIRST, ia.programme
            """
        ).map(Self.decode)
    }

    /// The agreements that name `school`, newest year first.
    public func lines(school: Organisation.ID) async throws -> [InternshipAgreementLine] {
        try await db.query(
            """
            SELECT \(Self.columns) FROM internship_agreement ia JOIN organisation o ON o.id = ia.organisation_id
            LEFT JOIN organisation s ON s.id = ia.school_id
            WHERE ia.school_id = \(school)
            ORDER BY ia.year DESC, o.name, array_position(ARRAY['mbo', 'hbo', 'wo'], ia.education_level), ia.programme
            """
        ).map(Self.decode)
    }

    static let columns: SQL = "ia.organisation_id, o.name, ia.year, ia.education_level, ia.school_id, s.name, ia.programme, ia.places_agreed"

    static func decode(_ row: Row) throws -> InternshipAgreementLine {
        let (organisation, name, year, level, school, schoolName, programme, places) = try row.decode(
            (UUID, String, Int, EducationLevel, UUID?, String?, String, Int).self)
        return InternshipAgreementLine(organisation: organisation, organisationName: name, year: year, educationLevel: level,
                                       school: school, schoolName: schoolName, programme: programme, places: places)
    }

    /// Agreed, posted and filled per education level, for one organisation and year.
    /// Posted counts the places of internships published that year (in any later state);
    /// filled counts their hires.
    public func overview(organisation: Organisation.ID, year: Int) async throws -> [InternshipLine] {
        try await db.query(
            """
            SELECT lvl,
                   coalesce((SELECT sum(places_agreed) FROM internship_agreement ia
                             WHERE ia.organisation_id = \(organisation) AND ia.year = \(year) AND ia.education_level = lvl), 0)::bigint,
                   coalesce((SELECT sum(p.places) FROM posting p
                             WHERE p.organisation_id = \(organisation) AND p.kind = 'internship' AND p.education_level = lvl
                               AND p.status <> 'draft' AND extract(year FROM p.published_at AT TIME ZONE 'Europe/Amsterdam') = \(year)), 0)::bigint,
                   (SELECT count(*) FROM application a JOIN posting p ON p.id = a.posting_id
                    WHERE p.organisation_id = \(organisation) AND p.kind = 'internship' AND p.education_level = lvl
                      AND a.status = 'hired' AND extract(year FROM p.published_at AT TIME ZONE 'Europe/Amsterdam') = \(year))
            FROM unnest(ARRAY['mbo', 'hbo', 'wo']) AS lvl
            """
        ).decode((EducationLevel, Int, Int, Int).self).map { educationLevel, agreed, posted, filled in
            InternshipLine(educationLevel: educationLevel, agreed: agreed, posted: posted, filled: filled)
        }
    }
}
