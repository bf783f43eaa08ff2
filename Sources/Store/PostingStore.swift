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
    let db: Pool
    /// Shared by the copies of this store: read once a minute, not for every search.
    let statistics = TextStatistics()

    /// "Today" is the day in Amsterdam.
    static let today: SQL = "(now() AT TIME ZONE 'Europe/Amsterdam')::date"

    static let columns: SQL = """
        p.id, p.organisation_id, o.name AS organisation_name, o.slug AS organisation_slug, p.status, p.kind, p.title,
        p.function_code, p.discipline, p.education_level, p.hours_min, p.hours_max, p.salary_scale, p.municipality_slug,
        p.area_slug, p.start_date, p.closing_date, p.places, p.description, p.contact, p.duo_suitable, p.internal_until, p.street_address, p.postal_code,
        p.places_taken, p.published_at, p.updated_at,
        (SELECT count(*) FROM application a WHERE a.posting_id = p.id AND a.status <> 'withdrawn') AS applicant_count
        """

    /// A row of `columns`, by column name.
    static func decode(_ row: Row) throws -> Posting {
        try Posting(
            id: row.decode(column: "id"), organisationID: row.decode(column: "organisation_id"),
            organisationName: row.decode(column: "organisation_name"), organisationSlug: row.decode(column: "organisation_slug"),
            status: row.decode(column: "status"),
            details: PostingDetails(
                kind: row.decode(column: "kind"), title: row.decode(column: "title"), functionCode: row.decode(column: "function_code"),
                discipline: row.decode(column: "discipline"), educationLevel: row.decode(column: "education_level"),
                hoursMin: row.decode(column: "hours_min"), hoursMax: row.decode(column: "hours_max"),
                salaryScale: row.decode(column: "salary_scale"), municipality: row.decode(column: "municipality_slug"),
                areaSlug: row.decode(column: "area_slug"), startDate: row.decode(column: "start_date"),
                closingDate: row.decode(column: "closing_date"), places: row.decode(column: "places"),
                description: row.decode(column: "description"), contact: row.decode(column: "contact"),
                duoSuitable: row.decode(column: "duo_suitable"), internalUntil: row.decode(column: "internal_until"),
                streetAddress: row.decode(column: "street_address"), postalCode: row.decode(column: "postal_code")),
            placesTaken: row.decode(column: "places_taken"), publishedAt: row.decode(column: "published_at"),
            updatedAt: row.decode(column: "updated_at"), applicantCount: row.decode(column: "applicant_count"))
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

    /// An HR adviser's postings, filtered, a page at a time, newest first. Without a
    /// state, the closed and filled ones stay out of the way.
    public func managed(
        organisations: [Organisation.ID], status: Posting.Status?, includeEnded: Bool, kind: Posting.Kind?, text: String,
        page: Int, pageSize: Int = 25
    ) async throws -> (postings: [Posting], total: Int) {
        let needle = text.trimmingCharacters(in: .whitespaces)
        let statuses: [String] = status.map { [$0.rawValue] } ?? (includeEnded ? Posting.Status.allCases.map(\.rawValue) : ["draft", "published"])
        let filter: SQL = """
            WHERE p.organisation_id = ANY(\(organisations)::uuid[]) AND p.status = ANY(\(statuses)::text[])
              AND (\(kind?.rawValue)::text IS NULL OR p.kind = \(kind?.rawValue))
              AND (\(needle) = '' OR strpos(lower(p.title), lower(\(needle))) > 0)
            """
        let total = try await db.query("SELECT count(*)::int FROM posting p \(filter)").first(decoding: Int.self) ?? 0
        let postings = try await db.query(
            """
            SELECT \(Self.columns) FROM posting p JOIN organisation o ON o.id = p.organisation_id \(filter)
            ORDER BY p.updated_at DESC, p.id LIMIT \(pageSize) OFFSET \((max(1, page) - 1) * pageSize)
            """
        ).map(Self.decode)
        return (postings, total)
    }

    public func create(_ details: PostingDetails, organisation: Organisation.ID, by author: Account.ID?) async throws -> Posting {
        let id = try await db.audited({ tx in
            try await tx.query(
                """
                INSERT INTO posting (organisation_id, created_by, \(Self.detailColumns))
                VALUES (\(organisation), \(author), \(Self.detailValues(details)))
                RETURNING id
                """
            ).first(decoding: UUID.self)!
        }) { id in AuditLine(.postingCreate, by: author, object: AuditObject("posting", id)) }
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
        } catch let error as PostgresError where error.constraint == Constraint.postingPlacesKept {
            throw ValidationErrors(field: "places", message: "Er zijn al meer plaatsen bezet dan dit aantal.")
        }
    }

    /// Moves a posting through its life cycle (`Posting.Status.next`), with its audit
    /// line; nil when it is not this organisation's. Asking for the status it has
    /// changes nothing; a move the life cycle does not allow throws `StatusNotAllowed`.
    public func setStatus(_ id: Posting.ID, organisation: Organisation.ID, to status: Posting.Status, by actor: Account.ID?) async throws -> Posting? {
        let moved = try await db.audited({ tx in
            try await tx.query(
                """
                UPDATE posting SET status = \(status), updated_at = now(),
                    published_at = CASE WHEN \(status) = 'published' THEN coalesce(published_at, now()) ELSE published_at END,
                    -- Published without a closing date: open for a fixed time (within a year of the start).
                    closing_date = CASE WHEN \(status) = 'published' AND closing_date IS NULL
                        THEN least(\(Self.today) + \(Posting.daysOpenWithoutClosingDate)::int, coalesce(start_date + 366, \(Self.today) + \(Posting.daysOpenWithoutClosingDate)::int))
                        ELSE closing_date END,
                    closed_at = CASE WHEN \(status) IN ('closed', 'filled') THEN now() ELSE NULL END
                WHERE id = \(id) AND organisation_id = \(organisation)
                  AND status = ANY(\(Posting.Status.predecessors(of: status).map(\.rawValue))::text[])
                """
            ).affectedRows == 1
        }) { moved in moved ? AuditLine(.posting(status), by: actor, object: AuditObject("posting", id)) : nil }
        guard let posting = try await find(id: id, organisation: organisation) else { return nil }
        guard moved || posting.status == status else { throw Posting.StatusNotAllowed(from: posting.status, to: status) }
        return posting
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
    /// The page's ids are chosen first, and only those twenty rows are read in full
    /// with their applicant counts. Without words the newest-first listing index is
    /// walked and the count reads at most `countCap + 1` of its entries. With words
    /// the matches are found one of two ways, whichever reads fewer rows (both give
    /// the same page): words that most postings contain walk the listing index newest
    /// first and test each posting's text until enough match; rarer words take every
    /// match from the text index and sort those.
    public func search(_ filter: PostingFilter, viewer: PostingViewer) async throws -> PostingPage {
        let conditions = Self.conditions(filter, viewer: viewer)
        let offset = (filter.page - 1) * PostingFilter.pageSize
        let result: QueryResult
        if let text = try await textQuery(filter.text) {
            // Relevance ranks the newest `countCap` matches; the date order pages
            // through as many as the page needs. One more tells "more than".
            let needed = filter.sort == .relevance ? Self.countCap + 1 : max(Self.countCap + 1, offset + PostingFilter.pageSize)
            if let window = text.walkWindow(needed: needed),
               let walked = try await walk(conditions, text: text, sort: filter.sort, needed: needed, window: window, offset: offset) {
                result = walked
            } else {
                result = try await fromTextIndex(conditions, text: text, sort: filter.sort, offset: offset)
            }
        } else {
            result = try await db.query(
                """
                WITH matches AS NOT MATERIALIZED (
                    SELECT p.id, p.published_at FROM posting p WHERE \(SQL.joined(conditions, separator: " AND "))
                )
                \(Self.page(of: "SELECT id, published_at, 0::real AS rank FROM matches", offset: offset,
                            count: "SELECT count(*) FROM (SELECT 1 FROM matches LIMIT \(Self.countCap + 1)) AS capped"))
                """
            )
        }
        guard let row = result.first else {
            // Past the last page: still report how many there are.
            if offset == 0 { return PostingPage(postings: [], total: 0, isCapped: false) }
            let first = try await search(PostingFilter.firstPage(of: filter), viewer: viewer)
            return PostingPage(postings: [], total: first.total, isCapped: first.isCapped)
        }
        let total = try row.decode(column: "total", as: Int.self)
        return PostingPage(postings: try result.map(Self.decode), total: min(total, Self.countCap), isCapped: total > Self.countCap)
    }

    /// How many postings a search finds (as `search(...).total` and `isCapped` say),
    /// without reading a page of them: for counts such as the home page's.
    public func count(_ filter: PostingFilter, viewer: PostingViewer) async throws -> (total: Int, isCapped: Bool) {
        guard filter.text.trimmingCharacters(in: .whitespaces).isEmpty else {
            let page = try await search(PostingFilter.firstPage(of: filter), viewer: viewer)
            return (page.total, page.isCapped)
        }
        let conditions = Self.conditions(filter, viewer: viewer)
        let found = try await db.query(
            "SELECT count(*)::int FROM (SELECT 1 FROM posting p WHERE \(SQL.joined(conditions, separator: " AND ")) LIMIT \(Self.countCap + 1)) AS capped"
        ).first(decoding: Int.self) ?? 0
        return (min(found, Self.countCap), found > Self.countCap)
    }

    /// The newest listed postings for a filter's choices (its words aside), at most
    /// `limit`, without counting the rest: for short lists such as the start page's.
    /// The same postings, in the same order, as the first of a newest-first search.
    public func newest(_ filter: PostingFilter, viewer: PostingViewer, limit: Int) async throws -> [Posting] {
        let conditions = Self.conditions(filter, viewer: viewer)
        return try await db.query(
            """
            WITH chosen AS (
                SELECT p.id, p.published_at FROM posting p WHERE \(SQL.joined(conditions, separator: " AND "))
                ORDER BY p.published_at DESC, p.id LIMIT \(limit)
            )
            SELECT \(Self.columns) FROM chosen c JOIN posting p ON p.id = c.id JOIN organisation o ON o.id = p.organisation_id
            ORDER BY c.published_at DESC, c.id
            """
        ).map(Self.decode)
    }

    /// What a posting must be to be listed for this viewer with these filters (the words aside).
    static func conditions(_ filter: PostingFilter, viewer: PostingViewer) -> [SQL] {
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
        return conditions
    }

    /// The words of a search as a text query, with how common they are.
    struct TextQuery {
        /// The tsquery's text: sent as a parameter, so the planner sees the real query.
        let tsquery: String
        /// The share of postings estimated to contain all the words, from PostgreSQL's
        /// statistics of the text column (0 for a word too rare to be among its most
        /// common lexemes, and before the table was first analysed).
        let share: Double
        /// About how many postings there are (PostgreSQL's estimate).
        let postings: Double

        /// How many listed postings to walk, newest first, to find `needed` matches;
        /// nil when taking the matches from the text index reads fewer rows. Walking
        /// reads about needed / share rows, the text index about postings × share:
        /// walking wins when share² × postings > needed. The window leaves room for
        /// filters that thin out the matches (three times the expected walk, never
        /// more than three times what the text index would read); when it is not
        /// enough the text index answers after all.
        func walkWindow(needed: Int) -> Int? {
            guard share > 0, share * share * postings > Double(needed) else { return nil }
            return Int((3 * Double(needed) / share).rounded(.up))
        }
    }

    /// The text query for the words of a search, or nil when no word is left (all
    /// stop words, like "de" or "of": the list is then not narrowed).
    func textQuery(_ text: String) async throws -> TextQuery? {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let rows = try await db.query(
            """
            WITH terms AS (\(SearchTerms.terms(text)))
            SELECT (\(SearchTerms.tsquery(over: "terms")))::text, roots, compounds FROM terms
            """
        ).decode((String, [String], [String]).self)
        guard let (tsquery, _, _) = rows.first else { return nil }
        let statistics = try await statistics.current(db)
        let words = rows.map { _, roots, compounds in SearchTerms.Word(roots: roots, compounds: Set(compounds)) }
        return TextQuery(tsquery: tsquery, share: statistics.share(of: words), postings: statistics.postings)
    }

    /// The page from walking the newest `window` listed postings; nil when fewer than
    /// `needed` of them match (then only the text index can say which match).
    func walk(_ conditions: [SQL], text: TextQuery, sort: PostingFilter.Sort, needed: Int, window: Int, offset: Int) async throws -> QueryResult? {
        let candidates: SQL = sort == .relevance
            ? "SELECT id, published_at, ts_rank(search, \(text.tsquery)::tsquery) AS rank FROM walked ORDER BY published_at DESC, id LIMIT \(Self.countCap)"
            : "SELECT id, published_at, 0::real AS rank FROM walked"
        // Planned for the words each time: how common they are decides the plan.
        let result = try await db.query(SQL(plannedEachTime:
            """
            WITH walked AS MATERIALIZED (
                SELECT w.id, w.published_at, w.search FROM (
                    SELECT p.id, p.published_at, p.search FROM posting p
                    WHERE \(SQL.joined(conditions, separator: " AND "))
                    ORDER BY p.published_at DESC, p.id LIMIT \(window)
                ) AS w
                WHERE w.search @@ \(text.tsquery)::tsquery
                ORDER BY w.published_at DESC, w.id LIMIT \(needed)
            )
            \(Self.page(of: candidates, offset: offset, count: "SELECT count(*) FROM walked"))
            """
        ))
        guard let first = result.first, try first.decode(column: "total", as: Int.self) >= needed else { return nil }
        return result
    }

    /// The page from every match the text index finds, sorted newest first (and the
    /// newest `countCap` of them ranked).
    func fromTextIndex(_ conditions: [SQL], text: TextQuery, sort: PostingFilter.Sort, offset: Int) async throws -> QueryResult {
        let candidates: SQL = sort == .relevance
            ? """
              SELECT c.id, c.published_at, ts_rank(p.search, \(text.tsquery)::tsquery) AS rank
              FROM (SELECT id, published_at FROM matches ORDER BY published_at DESC, id LIMIT \(Self.countCap)) AS c
              JOIN posting p ON p.id = c.id
              """
            : "SELECT id, published_at, 0::real AS rank FROM matches"
        return try await db.query(SQL(plannedEachTime:
            """
            WITH matches AS MATERIALIZED (
                SELECT p.id, p.published_at FROM posting p
                WHERE \(SQL.joined(conditions, separator: " AND ")) AND p.search @@ \(text.tsquery)::tsquery
            )
            \(Self.page(of: candidates, offset: offset, count: "SELECT count(*) FROM matches"))
            """
        ))
    }

    /// The rest of a search after its WITH: one page of `candidates` (id, published_at,
    /// rank) by rank and date, read in full, each row with `count`.
    static func page(of candidates: SQL, offset: Int, count: SQL) -> SQL {
        """
        , chosen AS (
            SELECT id, published_at, rank FROM (\(candidates)) AS o
            ORDER BY rank DESC, published_at DESC, id
            LIMIT \(PostingFilter.pageSize) OFFSET \(offset)
        )
        SELECT \(Self.columns), (\(count)) AS total
        FROM chosen c JOIN posting p ON p.id = c.id JOIN organisation o ON o.id = p.organisation_id
        ORDER BY c.rank DESC, c.published_at DESC, c.id
        """
    }

    static let detailColumns: SQL = """
        kind, title, function_code, discipline, education_level, hours_min, hours_max, salary_scale,
        municipality_slug, area_slug, start_date, closing_date, places, description, contact, duo_suitable, internal_until,
        street_address, postal_code
        """

    static func detailValues(_ d: PostingDetails) -> SQL {
        """
        \(d.kind), \(d.title), \(d.functionCode), \(d.discipline), \(d.educationLevel), \(d.hoursMin), \(d.hoursMax),
        \(d.salaryScale), \(d.municipality), \(d.areaSlug), \(d.startDate), \(d.closingDate), \(d.places),
        \(d.description), \(d.contact), \(d.duoSuitable), \(d.internalUntil), \(d.streetAddress), \(d.postalCode)
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

    /// `seesInternal` for an account known only by its id (a background job's view).
    public func seesInternal(accountID: Account.ID) async throws -> Bool {
        try await db.query(
            """
            SELECT EXISTS (SELECT 1 FROM role_grant WHERE account_id = \(accountID) AND role = 'hr_adviser')
                OR (EXISTS (SELECT 1 FROM role_grant WHERE account_id = \(accountID) AND role = 'professional')
                    AND EXISTS (SELECT 1 FROM employment e JOIN organisation o ON o.id = e.organisation_id
                                WHERE e.account_id = \(accountID) AND o.active
                                  AND e.started_on <= \(Self.today) AND (e.ended_on IS NULL OR e.ended_on >= \(Self.today))))
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
