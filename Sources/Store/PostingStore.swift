import Domain
import Foundation
import PQ

/// Who is looking at the vacancy bank, as far as visibility goes.
public struct PostingViewer: Sendable {
    /// Logged-in professionals of member organisations also see internal postings.
    public var seesInternal: Bool
    public init(seesInternal: Bool) { self.seesInternal = seesInternal }
    public static let visitor = PostingViewer(seesInternal: false)
}

public struct PostingPage: Sendable {
    public let postings: [Posting]
    public let total: Int
    /// The count stopped at `PostingStore.countCap`: there are more.
    public let isCapped: Bool
}

public struct PostingStore: Sendable {
    let db: any Queryable

    /// "Today" is the day in Amsterdam.
    static let today: SQL = "(now() AT TIME ZONE 'Europe/Amsterdam')::date"

    static let columns: SQL = """
        p.id, p.organisation_id, o.name, o.slug, p.status, p.kind, p.title, p.function_code, p.discipline,
        p.education_level, p.hours_min, p.hours_max, p.salary_scale, p.municipality_slug, p.area_slug,
        p.start_date, p.closing_date, p.places, p.description, p.contact, p.duo_suitable, p.internal_until,
        p.places_taken, p.published_at, p.updated_at,
        (SELECT count(*) FROM application a WHERE a.posting_id = p.id AND a.status <> 'withdrawn')
        """

    static func decode(_ row: Row) throws -> Posting {
        let (id, organisationID, organisationName, slug, status, kind, title, function, discipline) =
            try row.decode((UUID, UUID, String, String, Posting.Status, Posting.Kind, String, String?, Discipline?).self)
        let (level, hoursMin, hoursMax, scale, municipality, area, start, closing) =
            try row.decode((EducationLevel?, Int?, Int?, Int?, Municipality, String?, Day?, Day?).self, from: 9)
        let (places, description, contact, duo, internalUntil, taken, published, updated, applicants) =
            try row.decode((Int?, String, String?, Bool, Day?, Int, Date?, Date, Int).self, from: 17)
        return Posting(
            id: id, organisationID: organisationID, organisationName: organisationName, organisationSlug: slug, status: status,
            details: PostingDetails(
                kind: kind, title: title, functionCode: function, discipline: discipline, educationLevel: level,
                hoursMin: hoursMin, hoursMax: hoursMax, salaryScale: scale, municipality: municipality, areaSlug: area,
                startDate: start, closingDate: closing, places: places, description: description, contact: contact,
                duoSuitable: duo, internalUntil: internalUntil),
            placesTaken: taken, publishedAt: published, updatedAt: updated, applicantCount: applicants)
    }

    public func find(id: Posting.ID) async throws -> Posting? {
        try await db.query("SELECT \(Self.columns) FROM posting p JOIN organisation o ON o.id = p.organisation_id WHERE p.id = \(id)")
            .first.map(Self.decode)
    }

    /// A posting of one organisation: nil for another organisation's (so callers answer 404).
    public func find(id: Posting.ID, organisation: Organisation.ID) async throws -> Posting? {
        try await db.query(
            """
            SELECT \(Self.columns) FROM posting p JOIN organisation o ON o.id = p.organisation_id
            WHERE p.id = \(id) AND p.organisation_id = \(organisation)
            """
        ).first.map(Self.decode)
    }

    /// Every posting of an organisation, newest first (the HR adviser's list).
    public func forOrganisation(_ organisation: Organisation.ID) async throws -> [Posting] {
        try await db.query(
            """
            SELECT \(Self.columns) FROM posting p JOIN organisation o ON o.id = p.organisation_id
            WHERE p.organisation_id = \(organisation) ORDER BY p.updated_at DESC, p.id
            """
        ).map(Self.decode)
    }

    public func create(_ details: PostingDetails, organisation: Organisation.ID, by author: Account.ID?) async throws -> Posting {
        let id = try await db.query(
            """
            INSERT INTO posting (organisation_id, created_by, \(Self.detailColumns))
            VALUES (\(organisation), \(author), \(Self.detailValues(details)))
            RETURNING id
            """
        ).first(decoding: UUID.self)!
        return try await find(id: id)!
    }

    /// Replaces the details of one organisation's posting; nil when it is not theirs.
    public func update(_ id: Posting.ID, organisation: Organisation.ID, details: PostingDetails) async throws -> Posting? {
        do {
            let updated = try await db.query(
                """
                UPDATE posting SET (\(Self.detailColumns)) = ROW(\(Self.detailValues(details))), updated_at = now()
                WHERE id = \(id) AND organisation_id = \(organisation)
                """
            ).affectedRows
            return updated == 0 ? nil : try await find(id: id)
        } catch let error as PostgresError where error.constraint == "posting_places_kept" {
            throw ValidationErrors(field: "places", message: "Er zijn al meer plaatsen bezet dan dit aantal.")
        }
    }

    /// Moves a posting through its lifecycle; nil when it is not this organisation's.
    public func setStatus(_ id: Posting.ID, organisation: Organisation.ID, to status: Posting.Status) async throws -> Posting? {
        let updated = try await db.query(
            """
            UPDATE posting SET status = \(status), updated_at = now(),
                published_at = CASE WHEN \(status) = 'published' THEN coalesce(published_at, now()) ELSE published_at END,
                closed_at = CASE WHEN \(status) IN ('closed', 'filled') THEN now() ELSE NULL END
            WHERE id = \(id) AND organisation_id = \(organisation)
            """
        ).affectedRows
        return updated == 0 ? nil : try await find(id: id)
    }

    /// A new draft with the same details (the next one of a series).
    public func copy(_ id: Posting.ID, organisation: Organisation.ID, by author: Account.ID?) async throws -> Posting? {
        guard let original = try await find(id: id, organisation: organisation) else { return nil }
        return try await create(original.details, organisation: organisation, by: author)
    }

    /// The most a count goes to; beyond it a page says "more than". Also the number of
    /// newest matches that relevance ranking considers: ranking reads every candidate's
    /// text vector, so it is bounded; a search precise enough to have fewer matches is
    /// ranked exactly.
    public static let countCap = 1_000

    /// The listed postings matching a filter: published, closing date not passed,
    /// internal ones only for those who may see them; paged, with the total count
    /// (capped at `countCap`).
    ///
    /// The page's ids are chosen first (walking the newest-first index, or ranking the
    /// text matches), and only those twenty rows are read in full with their applicant
    /// counts; the count reads at most `countCap + 1` index entries.
    public func search(_ filter: PostingFilter, viewer: PostingViewer) async throws -> PostingPage {
        var conditions: [SQL] = [
            "p.status = 'published'",
            "(p.closing_date IS NULL OR p.closing_date >= \(Self.today))",
        ]
        if !viewer.seesInternal {
            conditions.append("(p.internal_until IS NULL OR p.internal_until < \(Self.today))")
        }
        if let kind = filter.kind { conditions.append("p.kind = \(kind)") }
        if let slug = filter.organisationSlug {
            conditions.append("p.organisation_id = (SELECT id FROM organisation WHERE slug = \(slug))")
        }
        if let function = filter.functionCode { conditions.append("p.function_code = \(function)") }
        if let discipline = filter.discipline { conditions.append("p.discipline = \(discipline)") }
        if let level = filter.educationLevel { conditions.append("p.education_level = \(level)") }
        if let municipality = filter.municipality { conditions.append("p.municipality_slug = \(municipality)") }
        if let minHours = filter.minHours { conditions.append("coalesce(p.hours_max, p.hours_min, 40) >= \(minHours)") }
        if let maxHours = filter.maxHours { conditions.append("coalesce(p.hours_min, p.hours_max, 1) <= \(maxHours)") }
        if filter.duoOnly { conditions.append("p.duo_suitable") }
        // The text query is built first and then sent as a parameter, so that the planner
        // sees the real tsquery and can estimate how many postings it matches. Words that
        // are all stop words ("de", "of") leave no query: the list is then not narrowed.
        var tsquery: String?
        if !filter.text.trimmingCharacters(in: .whitespaces).isEmpty {
            tsquery = try await db.query("SELECT (\(Self.prefixQuery(filter.text)))::text").first(decoding: String?.self) ?? nil
        }
        if let tsquery { conditions.append("p.search @@ \(tsquery)::tsquery") }
        let offset = (filter.page - 1) * PostingFilter.pageSize
        let ordered: SQL
        if let tsquery, filter.sort == .relevance {
            ordered = """
                SELECT c.id, c.published_at, ts_rank(p.search, \(tsquery)::tsquery) AS rank
                FROM (SELECT id, published_at FROM matches ORDER BY published_at DESC, id LIMIT \(Self.countCap)) AS c
                JOIN posting p ON p.id = c.id
                """
        } else {
            ordered = "SELECT id, published_at, 0::real AS rank FROM matches"
        }
        let result = try await db.query(
            """
            WITH matches AS NOT MATERIALIZED (
                SELECT p.id, p.published_at FROM posting p
                WHERE \(SQL.joined(conditions, separator: " AND "))
            ),
            chosen AS (
                SELECT id, published_at, rank FROM (\(ordered)) AS o
                ORDER BY rank DESC, published_at DESC, id
                LIMIT \(PostingFilter.pageSize) OFFSET \(offset)
            )
            SELECT \(Self.columns),
                   (SELECT count(*) FROM (SELECT 1 FROM matches LIMIT \(Self.countCap + 1)) AS capped)
            FROM chosen c JOIN posting p ON p.id = c.id JOIN organisation o ON o.id = p.organisation_id
            ORDER BY c.rank DESC, c.published_at DESC, c.id
            """
        )
        let postings = try result.map(Self.decode)
        var total = 0
        if let row = result.first {
            let count: Int = try row.decode(Int.self, from: 26)
            total = count
        } else if offset > 0 {
            // Past the last page: still report how many there are.
            total = try await search(PostingFilter.firstPage(of: filter), viewer: viewer).total
        }
        return PostingPage(postings: postings, total: min(total, Self.countCap), isCapped: total > Self.countCap)
    }

    /// Dutch full-text query with stemming: each word of the search is stemmed by the
    /// Dutch dictionary and matched as a prefix, so `zoeken` (stem `zoek`) finds
    /// `zoekt`, and `begeleider` finds `begeleiders`; a stem ending in t or d also
    /// matches without it (`werkt` finds `werken`). NULL when no word is left.
    static func prefixQuery(_ text: String) -> SQL {
        """
        SELECT (SELECT string_agg(
                    '(' || quote_literal(lexeme) || ':*'
                        || CASE WHEN length(lexeme) >= 5 AND right(lexeme, 1) IN ('t', 'd')
                                THEN ' | ' || quote_literal(left(lexeme, -1)) || ':*' ELSE '' END
                        || ')', ' & ')
         FROM unnest(to_tsvector('dutch', \(text))))::tsquery
        """
    }

    static let detailColumns: SQL = """
        kind, title, function_code, discipline, education_level, hours_min, hours_max, salary_scale,
        municipality_slug, area_slug, start_date, closing_date, places, description, contact, duo_suitable, internal_until
        """

    static func detailValues(_ d: PostingDetails) -> SQL {
        """
        \(d.kind), \(d.title), \(d.functionCode), \(d.discipline), \(d.educationLevel), \(d.hoursMin), \(d.hoursMax),
        \(d.salaryScale), \(d.municipality), \(d.areaSlug), \(d.startDate), \(d.closingDate), \(d.places),
        \(d.description), \(d.contact), \(d.duoSuitable), \(d.internalUntil)
        """
    }

    /// Whether an account is a professional employed now by an active member
    /// organisation, or an HR adviser of one (who may see internal postings).
    public func seesInternal(_ account: Account?) async throws -> Bool {
        guard let account else { return false }
        if account.has(.hrAdviser) { return true }
        guard account.has(.professional) else { return false }
        return try await db.query(
            """
            SELECT EXISTS (SELECT 1 FROM employment e JOIN organisation o ON o.id = e.organisation_id
                           WHERE e.account_id = \(account.id) AND o.active
                             AND e.started_on <= \(Self.today) AND (e.ended_on IS NULL OR e.ended_on >= \(Self.today)))
            """
        ).first(decoding: Bool.self) ?? false
    }
}

extension PostingFilter {
    static func firstPage(of filter: PostingFilter) -> PostingFilter {
        var first = filter
        first.page = 1
        return first
    }
}
