import Domain
import Foundation
import PQ

/// The CAO Jeugdzorg's salary table of a year: the lowest and highest monthly salary
/// of each scale.
public struct SalaryScaleStore: Sendable {
    let db: Pool

    /// The scale's range in the latest table that holds on `day` (its year or before).
    public func range(scale: Int, on day: Day) async throws -> SalaryRange? {
        try await db.query(
            """
            SELECT year, scale, minimum_cents, maximum_cents FROM salary_scale
            WHERE scale = \(scale) AND year <= \(day.year) ORDER BY year DESC LIMIT 1
            """
        ).first(decoding: (Int, Int, Int, Int).self).map { SalaryRange(year: $0, scale: $1, minimumCents: $2, maximumCents: $3) }
    }

    /// Every table, newest year first.
    public func all() async throws -> [SalaryRange] {
        try await db.query("SELECT year, scale, minimum_cents, maximum_cents FROM salary_scale ORDER BY year DESC, scale")
            .decode((Int, Int, Int, Int).self).map { SalaryRange(year: $0, scale: $1, minimumCents: $2, maximumCents: $3) }
    }

    /// Replaces a year's table with these ranges, in one transaction.
    public func replace(year: Int, with ranges: [SalaryRange], by actor: Account.ID) async throws {
        try await db.audited({ tx in
            _ = try await tx.query("DELETE FROM salary_scale WHERE year = \(year)")
            _ = try await tx.query(
                """
                INSERT INTO salary_scale (year, scale, minimum_cents, maximum_cents)
                SELECT \(year), * FROM unnest(\(ranges.map(\.scale))::int[], \(ranges.map(\.minimumCents))::int[], \(ranges.map(\.maximumCents))::int[])
                """)
            return true
        }) { _ in AuditLine(.salaryScalesReplace, by: actor, object: AuditObject("salary_scale", key: String(year)), reason: "\(ranges.count) schalen") }
    }
}
