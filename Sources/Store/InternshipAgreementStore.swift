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

public struct InternshipAgreementStore: Sendable {
    let db: any Queryable

    public func set(organisation: Organisation.ID, year: Int, level: EducationLevel, places: Int) async throws {
        _ = try await db.query(
            """
            INSERT INTO internship_agreement (organisation_id, year, education_level, places_agreed)
            VALUES (\(organisation), \(year), \(level), \(places))
            ON CONFLICT (organisation_id, year, education_level)
            DO UPDATE SET places_agreed = EXCLUDED.places_agreed, updated_at = now()
            """
        )
    }

    /// Agreed, posted and filled per education level, for one organisation and year.
    /// Posted counts the places of internships published that year (in any later state);
    /// filled counts their hires.
    public func overview(organisation: Organisation.ID, year: Int) async throws -> [InternshipLine] {
        try await db.query(
            """
            SELECT lvl,
                   coalesce((SELECT places_agreed FROM internship_agreement ia
                             WHERE ia.organisation_id = \(organisation) AND ia.year = \(year) AND ia.education_level = lvl), 0),
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
