import Domain
import Foundation
import PQ
@testable import Store
import TestSupport
import Testing

/// The vacancy bank's search finds its matches one of two ways (walking the listing
/// newest first for common words, the text index for rare ones); whichever it takes,
/// the page must be the one the plain definition gives: the listed postings that
/// match, the newest `countCap` of them ranked by relevance (or all of them newest
/// first), twenty a page, the count capped.
@Suite("The vacancy bank's search, whichever way it reads")
struct PostingSearchTests {
    /// 6,000 postings of two organisations, a minute apart (every seventh pair at the
    /// same minute, so the id decides): three in four say "begeleider", one in forty
    /// "gezinscoach"; four kinds, three levels; some drafts, closed, expired or
    /// internal (those never list for a visitor).
    static func postings(_ store: Store) async throws {
        for slug in ["altra", "cordaan"] {
            _ = try await store.organisations.create(NewOrganisation(slug: slug, name: slug.capitalized, kind: .careProvider, municipality: .amsterdam), by: nil)
        }
        _ = try await store.pool.query(
            """
            INSERT INTO posting (organisation_id, status, published_at, kind, title, education_level, places, municipality_slug,
                                 description, closing_date, internal_until)
            SELECT (SELECT id FROM organisation ORDER BY slug OFFSET g % 2 LIMIT 1),
                   CASE WHEN g % 97 = 0 THEN 'draft' WHEN g % 89 = 0 THEN 'closed' ELSE 'published' END,
                   CASE WHEN g % 97 = 0 THEN NULL ELSE now() - (g - g % 7 / 6) * interval '1 minute' END,
                   (ARRAY['vacancy','internship','traineeship','shadow_day'])[1 + g % 4],
                   CASE WHEN g % 4 <> 0 THEN 'Begeleider ' ELSE 'Medewerker ' END
                       || CASE WHEN g % 40 = 3 THEN 'gezinscoach ' ELSE '' END || 'team ' || g,
                   (ARRAY['mbo','hbo','wo'])[1 + g % 3],
                   CASE WHEN g % 4 IN (1, 3) THEN 5 END, 'amsterdam',
                   'Werk met jongeren in Amsterdam. '
                       || CASE WHEN g % 3 = 0 THEN 'Begeleiden van gezinnen, begeleider van groepen. ' ELSE '' END || 'Nummer ' || g,
                   CASE WHEN g % 83 = 0 THEN current_date - 30 ELSE NULL END,
                   CASE WHEN g % 79 = 0 THEN current_date + 30 ELSE NULL END
            FROM generate_series(1, 6000) AS g
            """)
        _ = try await store.pool.query("ANALYZE posting")
    }

    /// The plain definition, in one query without any cleverness.
    static func expected(_ store: Store, _ filter: PostingFilter) async throws -> (ids: [UUID], total: Int) {
        var conditions: [SQL] = [
            "status = 'published'", "(closing_date IS NULL OR closing_date >= current_date)",
            "(internal_until IS NULL OR internal_until < current_date)",
            "search @@ (\(SearchTerms.tsquery(filter.text)))",
        ]
        if let kind = filter.kind { conditions.append("kind = \(kind)") }
        if let level = filter.educationLevel { conditions.append("education_level = \(level)") }
        let matching = SQL.joined(conditions, separator: " AND ")
        let offset = (filter.page - 1) * PostingFilter.pageSize
        let ids = try await store.pool.query(
            filter.sort == .relevance
                ? """
                  SELECT id FROM (SELECT id, published_at, ts_rank(search, (\(SearchTerms.tsquery(filter.text)))) AS rank
                                  FROM posting WHERE \(matching) ORDER BY published_at DESC, id LIMIT 1000) AS newest
                  ORDER BY rank DESC, published_at DESC, id LIMIT 20 OFFSET \(offset)
                  """
                : "SELECT id FROM posting WHERE \(matching) ORDER BY published_at DESC, id LIMIT 20 OFFSET \(offset)"
        ).map { try $0.decode(UUID.self) }
        let total = try await store.pool.query("SELECT count(*) FROM posting WHERE \(matching)").first(decoding: Int.self) ?? 0
        return (ids, total)
    }

    /// The count alone is what a search's page says: capped the same, the same total.
    @Test func aCountIsTheSearchsTotal() async throws {
        try await TestDatabase.withStore { store in
            try await Self.postings(store)
            for text in ["", "begeleider", "gezinscoach"] {
                for kind in [Posting.Kind?.none, .vacancy, .internship, .shadowDay] {
                    var filter = PostingFilter()
                    filter.text = text
                    filter.kind = kind
                    let counted = try await store.postings.count(filter, viewer: .visitor)
                    let page = try await store.postings.search(filter, viewer: .visitor)
                    #expect(counted.total == page.total && counted.isCapped == page.isCapped, "\(text) \(kind?.rawValue ?? "-")")
                }
            }
        }
    }

    /// The start page's short list is the first of a newest-first search, uncounted.
    @Test func theNewestFewAreTheNewestFirstSearchsFirst() async throws {
        try await TestDatabase.withStore { store in
            try await Self.postings(store)
            for kind in [Posting.Kind?.none, .internship, .shadowDay] {
                for viewer in [PostingViewer.visitor, PostingViewer(seesInternal: true)] {
                    var filter = PostingFilter()
                    filter.kind = kind
                    filter.sort = .newest
                    let page = try await store.postings.search(filter, viewer: viewer).postings
                    let newest = try await store.postings.newest(filter, viewer: viewer, limit: 4)
                    #expect(newest.count == 4 && newest.map(\.id) == page.prefix(4).map(\.id), "\(kind?.rawValue ?? "-")")
                }
            }
        }
    }

    @Test func everyPageIsThePlainDefinitionsWhicheverWayItIsRead() async throws {
        try await TestDatabase.withStore { store in
            try await Self.postings(store)
            // The common word walks the listing; the rare one (and the common one
            // narrowed by a filter it then does not find enough under) reads the index.
            let common = try #require(try await store.postings.textQuery("begeleider"))
            #expect(common.walkWindow(needed: 1_001) != nil)
            let rare = try #require(try await store.postings.textQuery("gezinscoach"))
            #expect(rare.share < 0.1 && rare.walkWindow(needed: 1_001) == nil)
            #expect(try await store.postings.textQuery("de of het") == nil)
            // A long search of common words is an estimate too small to matter, not an error.
            var long = PostingFilter()
            long.text = String(repeating: "begeleider jongeren amsterdam werk nummer ", count: 120)
            let longFound = try await store.postings.search(long, viewer: .visitor)
            let longExpected = try await Self.expected(store, long)
            #expect(longFound.postings.map(\.id) == longExpected.ids && longExpected.total > 0)

            var checked = 0
            for text in ["begeleider", "begeleiden", "gezinscoach", "begeleider gezinscoach", "jongeren amsterdam"] {
                for (kind, level) in [(Posting.Kind?.none, EducationLevel?.none), (.internship, nil), (.vacancy, .hbo)] {
                    for sort in [PostingFilter.Sort.relevance, .newest] {
                        for page in [1, 2, 7, 51] {
                            var filter = PostingFilter()
                            filter.text = text
                            filter.kind = kind
                            filter.educationLevel = level
                            filter.sort = sort
                            filter.page = page
                            let found = try await store.postings.search(filter, viewer: .visitor)
                            let (ids, total) = try await Self.expected(store, filter)
                            let what = "\(text) \(kind?.rawValue ?? "-") \(level?.rawValue ?? "-") \(sort) page \(page)"
                            #expect(found.postings.map(\.id) == ids, "\(what)")
                            #expect(found.total == min(total, PostingStore.countCap), "\(what)")
                            #expect(found.isCapped == (total > PostingStore.countCap), "\(what)")
                            checked += ids.count
                        }
                    }
                }
            }
            // Not an empty comparison: the pages held postings.
            #expect(checked > 1_000)
        }
    }
}
