import Domain
import Foundation
import PQ

/// What search engines may index, for the sitemap: the public postings one can apply
/// to, the live courses and the meetings to come, each with its last change.
public struct SitemapEntry: Sendable, Hashable {
    public enum Kind: String, Sendable { case posting, course, meeting }
    public let kind: Kind
    public let id: UUID
    public let changedAt: Date
}

public struct SitemapStore: Sendable {
    let pool: Pool

    /// At most `limit` (a sitemap holds 50,000), postings first.
    public func entries(limit: Int = 50_000) async throws -> [SitemapEntry] {
        try await pool.query(
            """
            SELECT kind, id, changed FROM (
                SELECT 'posting' AS kind, p.id, p.updated_at AS changed, 0 AS rank FROM posting p
                WHERE p.status = 'published' AND (p.closing_date IS NULL OR p.closing_date >= \(PostingStore.today))
                  AND (p.internal_until IS NULL OR p.internal_until < \(PostingStore.today))
                UNION ALL
                SELECT 'course', c.id, c.updated_at, 1 FROM course c WHERE c.withdrawn_at IS NULL
                UNION ALL
                SELECT 'meeting', e.id, coalesce(e.cancelled_at, e.created_at), 2 FROM event e
                WHERE e.cancelled_at IS NULL AND upper(e.during) > now()
            ) AS entries
            ORDER BY rank, changed DESC, id LIMIT \(limit)
            """
        ).decode((String, UUID, Date).self).compactMap { kind, id, changed in
            SitemapEntry.Kind(rawValue: kind).map { SitemapEntry(kind: $0, id: id, changedAt: changed) }
        }
    }
}
