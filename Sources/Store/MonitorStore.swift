import Domain
import Foundation
import PQ
import Synchronization

/// Whose figures a monitoring table holds, and how much detail about other
/// organisations it may show.
public struct MonitorScope: Sendable, Hashable {
    /// One organisation's figures; nil: the region's.
    public let organisation: Organisation.ID?
    /// The organisations a per-organisation table names; the others are summed on one
    /// line ("Overige lid-organisaties"). nil: every organisation is named.
    public let named: [Organisation.ID]?

    public init(organisation: Organisation.ID?, named: [Organisation.ID]?) {
        self.organisation = organisation
        self.named = named
    }

    public static let region = MonitorScope(organisation: nil, named: nil)

    /// The name under which organisations not named are summed.
    public static let othersLabel = "Overige lid-organisaties"
}

/// The region's figures, computed by SQL from the records themselves (postings and
/// applications, moves and employment, shift demand and confirmed assignments,
/// offerings, enrolments and clicks): no counters beside them, so a figure always
/// agrees with the data. Periods are whole months in Amsterdam time.
public struct MonitorStore: Sendable {
    let db: any Queryable
    /// The tables computed, kept while nothing they count changed (nil: compute each time).
    let kept: KeptTables?

    init(db: any Queryable, keeps: Bool = false) {
        self.db = db
        kept = keeps ? KeptTables() : nil
    }

    /// The ids of every table, in page order.
    public static let tableIDs = [
        "postings", "internships", "internships-by-school", "moves", "mobility", "flexpool", "flexpool-organisations", "academy", "academy-offer", "academy-evaluations", "academy-wishes",
    ]

    /// Computed tables with the figures version (migration 0022) and the day they were
    /// computed at: any change to the records a figure counts, on any instance, makes
    /// them stale at once. Figures that depend on the hour are refreshed after a
    /// minute: the kept table still answers while one computation, in the
    /// background, makes the next (up to ten minutes; older ones are waited for).
    /// Requests that find nothing kept wait for one computation together, not one
    /// each.
    final class KeptTables: Sendable {
        struct Key: Hashable, Sendable {
            let id: String
            let period: MonitorPeriod
            let scope: MonitorScope
            let day: Day
        }

        struct Kept {
            let version: Int
            let table: MonitorTable
            let madeAt: ContinuousClock.Instant
        }

        struct Flight {
            let version: Int
            let task: Task<MonitorTable?, any Error>
        }

        enum Found {
            case fresh(MonitorTable)
            /// Of the current figures, but over a minute old.
            case aged(MonitorTable)
            case missing
        }

        static let maximumAge: Duration = .seconds(60)
        static let maximumAgeWhileRefreshing: Duration = .seconds(600)
        static let maximumEntries = 500
        let entries = Mutex<[Key: Kept]>([:])
        let flights = Mutex<[Key: Flight]>([:])

        func find(_ key: Key, version: Int) -> Found {
            entries.withLock { entries in
                guard let kept = entries[key], kept.version >= version else { return .missing }
                let age = ContinuousClock.now - kept.madeAt
                return age < Self.maximumAge ? .fresh(kept.table)
                    : age < Self.maximumAgeWhileRefreshing ? .aged(kept.table) : .missing
            }
        }

        func keep(_ table: MonitorTable, _ key: Key, version: Int) {
            entries.withLock { entries in
                if entries.count >= Self.maximumEntries { entries.removeAll(keepingCapacity: true) }
                if let kept = entries[key], kept.version > version { return }
                entries[key] = Kept(version: version, table: table, madeAt: .now)
            }
        }

        /// The one computation of `key` at `version` (or later) under way, or a new one
        /// that keeps what it computes.
        func flight(_ key: Key, version: Int, _ compute: @escaping @Sendable () async throws -> MonitorTable?) -> Task<MonitorTable?, any Error> {
            flights.withLock { flights in
                if let flight = flights[key], flight.version >= version { return flight.task }
                let task = Task {
                    defer { self.flights.withLock { if $0[key]?.version == version { $0[key] = nil } } }
                    let table = try await compute()
                    if let table { self.keep(table, key, version: version) }
                    return table
                }
                flights[key] = Flight(version: version, task: task)
                return task
            }
        }
    }

    /// The table, from what was kept when nothing it counts changed since.
    public func table(_ id: String, period: MonitorPeriod, scope: MonitorScope) async throws -> MonitorTable? {
        guard let kept else { return try await compute(id, period: period, scope: scope) }
        let version = try await db.query("SELECT last_value FROM figures_version").first(decoding: Int.self) ?? 0
        let key = KeptTables.Key(id: id, period: period, scope: scope, day: Day(Date()))
        let computing: @Sendable () async throws -> MonitorTable? = { try await compute(id, period: period, scope: scope) }
        switch kept.find(key, version: version) {
        case .fresh(let table):
            return table
        case .aged(let table):
            _ = kept.flight(key, version: version, computing)
            return table
        case .missing:
            return try await kept.flight(key, version: version, computing).value
        }
    }

    /// The table computed from the records, now.
    public func compute(_ id: String, period: MonitorPeriod, scope: MonitorScope) async throws -> MonitorTable? {
        switch id {
        case "postings": return try await postings(period, scope)
        case "internships": return try await internships(period, scope)
        case "internships-by-school": return try await internshipsBySchool(period, scope)
        case "moves": return try await moves(period, scope)
        case "mobility": return try await mobility(period, scope)
        case "flexpool": return try await flexpool(period, scope)
        case "flexpool-organisations": return try await flexpoolOrganisations(period, scope)
        case "academy": return try await academy(period, scope)
        case "academy-offer": return try await academyOffer(period, scope)
        case "academy-evaluations": return try await academyEvaluations(period, scope)
        case "academy-wishes": return try await academyWishes(period, scope)
        default: return nil
        }
    }

    // MARK: - Shared SQL

    private static let zone: SQL = "'Europe/Amsterdam'"

    /// `date_trunc`'s field for the period's step.
    private static func field(_ period: MonitorPeriod) -> String { period.step == .month ? "month" : "quarter" }

    /// The period's first moment and the first moment after it, as timestamptz.
    private static func bounds(_ period: MonitorPeriod) -> (SQL, SQL) {
        ("(\(period.startDay)::date::timestamp AT TIME ZONE \(zone))", "(\(period.endDay)::date::timestamp AT TIME ZONE \(zone))")
    }

    /// The bucket (its first day) of a timestamptz expression.
    private static func bucket(_ period: MonitorPeriod, ofTime expression: SQL) -> SQL {
        "date_trunc(\(field(period)), \(expression) AT TIME ZONE \(zone))::date"
    }

    /// The bucket (its first day) of a date expression.
    private static func bucket(_ period: MonitorPeriod, ofDay expression: SQL) -> SQL {
        "date_trunc(\(field(period)), \(expression)::timestamp)::date"
    }

    /// `buckets (bucket date)`: one row per bucket of the period.
    private static func buckets(_ period: MonitorPeriod) -> SQL {
        """
        buckets AS (
            SELECT g::date AS bucket
            FROM generate_series(\(period.startDay)::date, \(period.endDay)::date - 1, \(period.step.months) * interval '1 month') AS g
        )
        """
    }

    /// True where `column` (an organisation id) is in scope.
    private static func inScope(_ column: SQL, _ scope: MonitorScope) -> SQL {
        SQL(plannedEachTime: "(\(scope.organisation)::uuid IS NULL OR \(column) = \(scope.organisation)::uuid)")
    }

    /// An organisation's name, or the others' label when the scope does not name it.
    private static func shownName(id: SQL, name: SQL, _ scope: MonitorScope) -> SQL {
        SQL(plannedEachTime: "CASE WHEN \(scope.named)::uuid[] IS NULL OR \(id) = ANY(\(scope.named)::uuid[]) THEN \(name) ELSE \(MonitorScope.othersLabel) END")
    }

    // MARK: - The vacancy bank

    /// Per bucket and kind: postings published, open at the bucket's end (for the
    /// current bucket: now), filled, closed unfilled, and the median days from
    /// publication to filled. One pass over the postings (an index-only scan of
    /// `posting_monitor_idx`) counts them by kind, state and the buckets they were
    /// published and closed in (`width_bucket` over the buckets' first moments); a second
    /// pass over the ones closed in the period gives the medians.
    func postings(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let rows = try await db.query(
            """
            WITH bounds AS (
                SELECT array_agg((g::timestamp AT TIME ZONE \(Self.zone)) ORDER BY g) AS t
                FROM generate_series(\(period.startDay)::date, \(period.endDay)::date, \(period.step.months) * interval '1 month') AS g
            ),
            -- Bucket 0: before the period; cardinality(t): after it; NULL: not closed.
            counted AS (
                SELECT kind, status, width_bucket(published_at, b.t) AS opened, width_bucket(closed_at, b.t) AS closed, count(*) AS n
                FROM posting, bounds b
                WHERE status <> 'draft' AND published_at < b.t[cardinality(b.t)] AND (closed_at IS NULL OR closed_at >= b.t[1])
                  AND \(Self.inScope("organisation_id", scope))
                GROUP BY 1, 2, 3, 4
            ),
            medians AS (
                SELECT kind, width_bucket(closed_at, b.t) AS closed,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - published_at) / 86400) AS days
                FROM posting, bounds b
                WHERE status = 'filled' AND closed_at >= b.t[1] AND closed_at < b.t[cardinality(b.t)]
                  AND \(Self.inScope("organisation_id", scope))
                GROUP BY 1, 2
            ),
            per_bucket AS (
                SELECT kind, opened AS i, sum(n) AS opened, 0 AS filled, 0 AS unfilled FROM counted GROUP BY 1, 2
                UNION ALL
                SELECT kind, closed, 0, sum(n) FILTER (WHERE status = 'filled'), sum(n) FILTER (WHERE status = 'closed')
                FROM counted WHERE closed IS NOT NULL GROUP BY 1, 2
            ),
            grid AS (
                SELECT i, k.kind, k.position, ((SELECT t FROM bounds)[i] AT TIME ZONE \(Self.zone))::date AS bucket
                FROM generate_series(1, (SELECT cardinality(t) - 1 FROM bounds)) AS i,
                     unnest(ARRAY['vacancy', 'internship', 'traineeship', 'shadow_day']) WITH ORDINALITY AS k (kind, position)
            ),
            -- Open at the start of the period: published before it (bucket 0), not closed before it.
            before AS (SELECT kind, sum(opened) AS n FROM per_bucket WHERE i = 0 GROUP BY 1),
            per AS (
                SELECT g.i, g.kind, g.position, g.bucket, coalesce(sum(b.opened), 0) AS opened,
                       coalesce(sum(b.filled), 0) AS filled, coalesce(sum(b.unfilled), 0) AS unfilled,
                       coalesce(max(before.n), 0) AS open_before
                FROM grid g
                LEFT JOIN per_bucket b ON b.kind = g.kind AND b.i = g.i
                LEFT JOIN before ON before.kind = g.kind
                GROUP BY g.i, g.kind, g.position, g.bucket
            )
            SELECT p.bucket, p.kind, p.opened::bigint,
                   (p.open_before + sum(p.opened - p.filled - p.unfilled) OVER (PARTITION BY p.kind ORDER BY p.i))::bigint,
                   p.filled::bigint, p.unfilled::bigint, m.days
            FROM per p LEFT JOIN medians m ON m.kind = p.kind AND m.closed = p.i
            ORDER BY p.i, p.position
            """
        ).decode((Day, Posting.Kind, Int, Int, Int, Int, Double?).self)
        return MonitorTable(
            id: "postings", title: "Vacaturebank: plaatsingen per soort",
            columns: [
                .init("period", "Periode"), .init("kind", "Soort"), .init("opened", "Geplaatst"),
                .init("open_at_end", "Open aan het eind"), .init("filled", "Vervuld"),
                .init("closed_unfilled", "Gesloten zonder vervulling"), .init("median_days_to_fill", "Mediane dagen tot vervulling"),
            ],
            rows: rows.map { bucket, kind, published, openAtEnd, filled, closedUnfilled, medianDays in
                [period.value(bucket), .text(kind.label), .count(published), .count(openAtEnd), .count(filled), .count(closedUnfilled),
                 .measure(medianDays)]
            })
    }

    /// Per year of the period and education level: internship places agreed, posted
    /// (internships published that year) and filled (their hires).
    func internships(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let rows = try await db.query(
            """
            WITH years AS (SELECT generate_series(\(period.first.year), \(period.lastMonth.year)) AS year),
            levels AS (SELECT level, position FROM unnest(ARRAY['mbo', 'hbo', 'wo']) WITH ORDINALITY AS l (level, position)),
            agreed AS (
                SELECT year, education_level AS level, sum(places_agreed) AS n FROM internship_agreement
                WHERE \(Self.inScope("organisation_id", scope)) GROUP BY 1, 2
            ),
            internship AS (
                SELECT id, extract(year FROM published_at AT TIME ZONE \(Self.zone))::int AS year, education_level AS level, places
                FROM posting
                WHERE kind = 'internship' AND status <> 'draft' AND education_level IS NOT NULL AND \(Self.inScope("organisation_id", scope))
            ),
            hires AS (
                SELECT i.year, i.level, count(*) AS n
                FROM application a JOIN internship i ON i.id = a.posting_id
                WHERE a.status = 'hired'
                GROUP BY 1, 2
            ),
            posted AS (
                SELECT i.year, i.level, sum(i.places) AS places, coalesce(max(h.n), 0) AS hired
                FROM internship i LEFT JOIN hires h ON h.year = i.year AND h.level = i.level
                GROUP BY 1, 2
            )
            SELECT y.year, l.level, coalesce(a.n, 0)::bigint, coalesce(p.places, 0)::bigint, coalesce(p.hired, 0)::bigint
            FROM years y CROSS JOIN levels l
            LEFT JOIN agreed a ON a.year = y.year AND a.level = l.level
            LEFT JOIN posted p ON p.year = y.year AND p.level = l.level
            ORDER BY y.year, l.position
            """
        ).decode((Int, EducationLevel, Int, Int, Int).self)
        return MonitorTable(
            id: "internships", title: "Stages tegenover de afspraken",
            columns: [
                .init("year", "Jaar"), .init("education_level", "Niveau"), .init("agreed", "Afgesproken plaatsen"),
                .init("posted", "Geplaatste plaatsen"), .init("filled", "Vervulde plaatsen"),
            ],
            rows: rows.map { year, level, agreed, posted, filled in
                [.text(String(year)), .text(level.label), .count(agreed), .count(posted), .count(filled)]
            })
    }

    /// Per year, school and level: the internship places agreements name the school for,
    /// and the applications of the school's students to internships and traineeships
    /// (made in that year) with their hires. "Zonder school": agreements that name no
    /// school, and students whose school is not a partner.
    func internshipsBySchool(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let rows = try await db.query(
            """
            WITH years AS (SELECT generate_series(\(period.first.year), \(period.lastMonth.year)) AS year),
            agreed AS (
                SELECT ia.year, ia.school_id, ia.education_level AS level, sum(ia.places_agreed) AS n
                FROM internship_agreement ia
                WHERE \(Self.inScope("ia.organisation_id", scope))
                GROUP BY 1, 2, 3
            ),
            applied AS (
                SELECT extract(year FROM a.created_at AT TIME ZONE \(Self.zone))::int AS year, st.school_id, st.level,
                       count(*) AS applications, count(*) FILTER (WHERE a.status = 'hired') AS hired
                FROM application a JOIN student st ON st.account_id = a.applicant_id JOIN posting p ON p.id = a.posting_id
                WHERE p.kind IN ('internship', 'traineeship') AND \(Self.inScope("p.organisation_id", scope))
                GROUP BY 1, 2, 3
            ),
            joined AS (
                SELECT coalesce(g.year, p.year) AS year, coalesce(g.school_id, p.school_id) AS school_id, coalesce(g.level, p.level) AS level,
                       coalesce(g.n, 0) AS agreed, coalesce(p.applications, 0) AS applications, coalesce(p.hired, 0) AS hired
                FROM agreed g FULL JOIN applied p ON p.year = g.year AND p.level = g.level AND p.school_id IS NOT DISTINCT FROM g.school_id
            )
            SELECT j.year, coalesce(o.name, 'Zonder school'), j.level, j.agreed::bigint, j.applications::bigint, j.hired::bigint
            FROM joined j JOIN years y ON y.year = j.year LEFT JOIN organisation o ON o.id = j.school_id
            ORDER BY j.year, o.name NULLS LAST, array_position(ARRAY['mbo', 'hbo', 'wo'], j.level)
            """
        ).decode((Int, String, EducationLevel, Int, Int, Int).self)
        return MonitorTable(
            id: "internships-by-school", title: "Stages per school en niveau",
            columns: [
                .init("year", "Jaar"), .init("school", "School"), .init("education_level", "Niveau"), .init("agreed", "Afgesproken plaatsen"),
                .init("applications", "Sollicitaties van studenten"), .init("hired", "Aangenomen"),
            ],
            rows: rows.map { year, school, level, agreed, applications, hired in
                [.text(String(year)), .text(school), .text(level.label), .count(agreed), .count(applications), .count(hired)]
            })
    }

    // MARK: - Mobility

    /// Per bucket: moves between member organisations (for one organisation: in and
    /// out), people whose employment ended without a next one at any member
    /// organisation (left the region's youth domain, as far as the platform knows),
    /// hires on duo-job vacancies, and approved job rotations by their first day.
    func moves(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let org = scope.organisation
        let rows = try await db.query(
            """
            WITH \(Self.buckets(period)),
            moved AS (
                SELECT \(Self.bucket(period, ofDay: "moved_on")) AS bucket,
                       count(*) FILTER (WHERE \(org)::uuid IS NULL OR to_organisation_id = \(org)::uuid) AS moved_in,
                       count(*) FILTER (WHERE \(org)::uuid IS NULL OR from_organisation_id = \(org)::uuid) AS moved_out
                FROM mobility_move
                WHERE moved_on >= \(period.startDay) AND moved_on < \(period.endDay)
                GROUP BY 1
            ),
            left_domain AS (
                SELECT \(Self.bucket(period, ofDay: "e.ended_on")) AS bucket, count(*) AS n
                FROM employment e
                WHERE e.ended_on >= \(period.startDay) AND e.ended_on < least(\(period.endDay)::date, current_date)
                  AND \(Self.inScope("e.organisation_id", scope))
                  AND NOT EXISTS (
                      SELECT FROM employment later
                      WHERE later.account_id = e.account_id AND later.id <> e.id
                        AND coalesce(later.ended_on, 'infinity'::date) > e.ended_on
                  )
                GROUP BY 1
            ),
            rotations AS (
                SELECT \(Self.bucket(period, ofDay: "r.starts_on")) AS bucket, count(*) AS n
                FROM rotation r
                WHERE r.status = 'approved' AND r.starts_on >= \(period.startDay) AND r.starts_on < \(period.endDay)
                  AND (\(org)::uuid IS NULL OR EXISTS (
                      SELECT FROM rotation_party p WHERE p.rotation_id = r.id AND p.home_organisation_id = \(org)::uuid))
                GROUP BY 1
            ),
            duo AS (
                SELECT \(Self.bucket(period, ofTime: "a.decided_at")) AS bucket, count(*) AS n
                FROM application a JOIN posting p ON p.id = a.posting_id
                WHERE p.duo_suitable AND a.status = 'hired'
                  AND a.decided_at >= \(Self.bounds(period).0) AND a.decided_at < \(Self.bounds(period).1)
                  AND \(Self.inScope("p.organisation_id", scope))
                GROUP BY 1
            )
            SELECT b.bucket, coalesce(m.moved_in, 0), coalesce(m.moved_out, 0), coalesce(l.n, 0), coalesce(d.n, 0), coalesce(r.n, 0)
            FROM buckets b
            LEFT JOIN moved m USING (bucket) LEFT JOIN left_domain l USING (bucket) LEFT JOIN duo d USING (bucket)
            LEFT JOIN rotations r USING (bucket)
            ORDER BY b.bucket
            """
        ).decode((Day, Int, Int, Int, Int, Int).self)
        let leftLabel = "Uitgestroomd (geen nieuwe baan bij een lid)"
        if org == nil {
            return MonitorTable(
                id: "moves", title: "Mobiliteit: overstappen en uitstroom",
                columns: [.init("period", "Periode"), .init("moves_between_members", "Overstappen tussen leden"),
                          .init("left_domain", leftLabel), .init("duo_jobs_started", "Gestart in een duobaan"),
                          .init("rotations_started", "Roulaties gestart")],
                rows: rows.map { bucket, movesIn, _, leftDomain, duoJobs, rotations in
                    [period.value(bucket), .count(movesIn), .count(leftDomain), .count(duoJobs), .count(rotations)]
                })
        }
        return MonitorTable(
            id: "moves", title: "Mobiliteit: overstappen en uitstroom",
            columns: [.init("period", "Periode"), .init("moves_in", "Overgestapt naar deze organisatie"),
                      .init("moves_out", "Overgestapt naar een ander lid"), .init("left_domain", leftLabel),
                      .init("duo_jobs_started", "Gestart in een duobaan"), .init("rotations_started", "Roulaties gestart")],
            rows: rows.map { bucket, movesIn, movesOut, leftDomain, duoJobs, rotations in
                [period.value(bucket), .count(movesIn), .count(movesOut), .count(leftDomain), .count(duoJobs), .count(rotations)]
            })
    }

    /// Moves between member organisations over the whole period, from → to (the
    /// matrix); organisations the scope does not name are summed as one.
    func mobility(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let rows = try await db.query(
            """
            SELECT from_name, to_name, n FROM (
                SELECT \(Self.shownName(id: "f.id", name: "f.name", scope)) AS from_name,
                       \(Self.shownName(id: "t.id", name: "t.name", scope)) AS to_name,
                       count(*) AS n
                FROM mobility_move m
                JOIN organisation f ON f.id = m.from_organisation_id
                JOIN organisation t ON t.id = m.to_organisation_id
                WHERE m.moved_on >= \(period.startDay) AND m.moved_on < \(period.endDay)
                  AND (\(scope.organisation)::uuid IS NULL OR \(scope.organisation)::uuid IN (m.from_organisation_id, m.to_organisation_id))
                GROUP BY 1, 2
            ) AS matrix
            ORDER BY from_name = \(MonitorScope.othersLabel), from_name, to_name = \(MonitorScope.othersLabel), to_name
            """
        ).decode((String, String, Int).self)
        return MonitorTable(
            id: "mobility", title: "Overstappen tussen lid-organisaties (van → naar)",
            columns: [.init("from_organisation", "Van"), .init("to_organisation", "Naar"), .init("moves", "Overstappen")],
            rows: rows.map { from, to, moves in [.text(from), .text(to), .count(moves)] })
    }

    // MARK: - The flexpool

    /// Per bucket of the shifts' start: hours asked (people × hours of demand not
    /// cancelled), hours confirmed from the pool, the gap (left to agency staff or
    /// unfilled), the fill rate and the median hours from posting the demand to a
    /// confirmed person.
    func flexpool(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let (start, end) = Self.bounds(period)
        let rows = try await db.query(
            """
            WITH \(Self.buckets(period)),
            d AS (
                SELECT id, people_needed, created_at, \(Self.bucket(period, ofTime: "lower(shift)")) AS bucket,
                       extract(epoch FROM upper(shift) - lower(shift)) / 3600 AS hours
                FROM shift_demand
                WHERE status = 'open' AND lower(shift) >= \(start) AND lower(shift) < \(end) AND \(Self.inScope("organisation_id", scope))
            ),
            asked AS (SELECT bucket, count(*) AS shifts, sum(people_needed * hours) AS hours FROM d GROUP BY 1),
            confirmed AS (
                SELECT d.bucket, sum(d.hours) AS hours,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.decided_at - d.created_at) / 3600) AS median_wait
                FROM shift_assignment a JOIN d ON d.id = a.demand_id
                WHERE a.status = 'confirmed'
                GROUP BY 1
            )
            SELECT b.bucket, coalesce(s.shifts, 0), coalesce(s.hours, 0)::float8, coalesce(c.hours, 0)::float8, c.median_wait
            FROM buckets b LEFT JOIN asked s USING (bucket) LEFT JOIN confirmed c USING (bucket)
            ORDER BY b.bucket
            """
        ).decode((Day, Int, Double, Double, Double?).self)
        return MonitorTable(
            id: "flexpool", title: "Flexpool: gevraagde en ingevulde uren",
            columns: [
                .init("period", "Periode"), .init("shifts", "Diensten gevraagd"), .init("demand_hours", "Gevraagde uren"),
                .init("pool_hours", "Uren uit de flexpool"), .init("gap_hours", "Gat (uitzendkrachten of open)"),
                .init("fill_rate", "Vulgraad (%)"), .init("median_hours_to_confirm", "Mediane uren tot bevestiging"),
            ],
            rows: rows.map { bucket, shifts, asked, covered, medianWait in
                [period.value(bucket), .count(shifts), .measure(asked), .measure(covered),
                 .measure(max(0, asked - covered)), .measure(asked > 0 ? 100 * covered / asked : nil), .measure(medianWait)]
            })
    }

    /// Per organisation over the period: hours asked, hours received from the pool
    /// (confirmed on its demand) and hours given (confirmed shifts worked by people
    /// employed by it on the shift's day, at any organisation).
    func flexpoolOrganisations(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let (start, end) = Self.bounds(period)
        let rows = try await db.query(
            """
            WITH d AS (
                SELECT id, organisation_id, people_needed, lower(shift) AS starts,
                       extract(epoch FROM upper(shift) - lower(shift)) / 3600 AS hours
                FROM shift_demand
                WHERE status = 'open' AND lower(shift) >= \(start) AND lower(shift) < \(end)
            ),
            c AS (
                SELECT a.id, a.account_id, d.organisation_id AS received_by, d.hours, (d.starts AT TIME ZONE \(Self.zone))::date AS day
                FROM shift_assignment a JOIN d ON d.id = a.demand_id
                WHERE a.status = 'confirmed'
            ),
            -- Who employed the person on the shift's day (the latest spell, if several).
            g AS (
                SELECT DISTINCT ON (c.id) c.id, c.hours, e.organisation_id AS given_by
                FROM c JOIN employment e ON e.account_id = c.account_id
                    AND e.started_on <= c.day AND (e.ended_on IS NULL OR e.ended_on >= c.day)
                ORDER BY c.id, e.started_on DESC
            ),
            asked AS (SELECT organisation_id AS id, sum(people_needed * hours) AS hours FROM d GROUP BY 1),
            received AS (SELECT received_by AS id, sum(hours) AS hours FROM c GROUP BY 1),
            given AS (SELECT given_by AS id, sum(hours) AS hours FROM g GROUP BY 1),
            per AS (
                SELECT o.id, o.name, coalesce(asked.hours, 0) AS asked, coalesce(received.hours, 0) AS received,
                       coalesce(given.hours, 0) AS given
                FROM organisation o
                LEFT JOIN asked ON asked.id = o.id LEFT JOIN received ON received.id = o.id LEFT JOIN given ON given.id = o.id
                WHERE \(Self.inScope("o.id", scope))
            )
            SELECT shown, asked, received, given FROM (
                SELECT \(Self.shownName(id: "id", name: "name", scope)) AS shown,
                       sum(asked)::float8 AS asked, sum(received)::float8 AS received, sum(given)::float8 AS given
                FROM per
                GROUP BY 1
                HAVING sum(asked) > 0 OR sum(received) > 0 OR sum(given) > 0 OR bool_or(id = \(scope.organisation)::uuid)
            ) AS totals
            ORDER BY shown = \(MonitorScope.othersLabel), shown
            """
        ).decode((String, Double, Double, Double).self)
        return MonitorTable(
            id: "flexpool-organisations", title: "Flexpool: uren gegeven en ontvangen per organisatie",
            columns: [.init("organisation", "Organisatie"), .init("demand_hours", "Gevraagde uren"),
                      .init("hours_received", "Uren ontvangen uit de pool"), .init("hours_given", "Uren gegeven aan de pool")],
            rows: rows.map { organisation, asked, received, given in
                [.text(organisation), .measure(asked), .measure(received), .measure(given)]
            })
    }

    // MARK: - The academy

    /// Per bucket, for the courses of the organisations in scope: offerings starting,
    /// enrolments taken (not counting cancellations), requests that went on a waiting
    /// list, completions, clicks to providers' own systems, accreditation points awarded.
    func academy(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let (start, end) = Self.bounds(period)
        let rows = try await db.query(
            """
            WITH \(Self.buckets(period)),
            offerings AS (
                SELECT \(Self.bucket(period, ofDay: "o.start_date")) AS bucket, count(*) AS n
                FROM course_offering o JOIN course c ON c.id = o.course_id
                WHERE o.withdrawn_at IS NULL AND o.start_date >= \(period.startDay) AND o.start_date < \(period.endDay)
                  AND \(Self.inScope("c.organisation_id", scope))
                GROUP BY 1
            ),
            requests AS (
                SELECT \(Self.bucket(period, ofTime: "e.requested_at")) AS bucket,
                       count(*) FILTER (WHERE e.status IN ('enrolled', 'attended', 'completed', 'no_show')) AS enrolled,
                       count(*) FILTER (WHERE e.status = 'waitlisted' OR e.promoted_at IS NOT NULL) AS waitlisted
                FROM enrolment e JOIN course_offering o ON o.id = e.offering_id JOIN course c ON c.id = o.course_id
                WHERE e.requested_at >= \(start) AND e.requested_at < \(end) AND \(Self.inScope("c.organisation_id", scope))
                GROUP BY 1
            ),
            completed AS (
                SELECT \(Self.bucket(period, ofTime: "e.decided_at")) AS bucket, count(*) AS n, sum(e.points_awarded) AS points
                FROM enrolment e JOIN course_offering o ON o.id = e.offering_id JOIN course c ON c.id = o.course_id
                WHERE e.status = 'completed' AND e.decided_at >= \(start) AND e.decided_at < \(end)
                  AND \(Self.inScope("c.organisation_id", scope))
                GROUP BY 1
            ),
            clicks AS (
                SELECT \(Self.bucket(period, ofTime: "k.clicked_at")) AS bucket, count(*) AS n
                FROM course_click k JOIN course c ON c.id = k.course_id
                WHERE k.clicked_at >= \(start) AND k.clicked_at < \(end) AND \(Self.inScope("c.organisation_id", scope))
                GROUP BY 1
            )
            SELECT b.bucket, coalesce(o.n, 0), coalesce(r.enrolled, 0), coalesce(r.waitlisted, 0),
                   coalesce(c.n, 0), coalesce(k.n, 0), coalesce(c.points, 0)::float8
            FROM buckets b
            LEFT JOIN offerings o USING (bucket) LEFT JOIN requests r USING (bucket)
            LEFT JOIN completed c USING (bucket) LEFT JOIN clicks k USING (bucket)
            ORDER BY b.bucket
            """
        ).decode((Day, Int, Int, Int, Int, Int, Double).self)
        return MonitorTable(
            id: "academy", title: "Jeugd Academie: aanbod en gebruik",
            columns: [
                .init("period", "Periode"), .init("offerings_starting", "Uitvoeringen die starten"),
                .init("enrolments", "Inschrijvingen"), .init("waitlisted", "Op de wachtlijst gezet"),
                .init("completions", "Afgerond"), .init("provider_clicks", "Doorkliks naar aanbieders"),
                .init("points_awarded", "Accreditatiepunten"),
            ],
            rows: rows.map { bucket, offerings, enrolled, waitlisted, completed, clicks, points in
                [period.value(bucket), .count(offerings), .count(enrolled), .count(waitlisted), .count(completed), .count(clicks),
                 .measure(points)]
            })
    }

    /// Per organisation and format: courses on offer now and their offerings starting
    /// in the period.
    func academyOffer(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let rows = try await db.query(
            """
            WITH per AS (
                SELECT o.id, o.name, c.format, count(*) AS courses,
                       sum((SELECT count(*) FROM course_offering f
                            WHERE f.course_id = c.id AND f.withdrawn_at IS NULL
                              AND f.start_date >= \(period.startDay) AND f.start_date < \(period.endDay))) AS offerings
                FROM course c JOIN organisation o ON o.id = c.organisation_id
                WHERE c.withdrawn_at IS NULL AND \(Self.inScope("o.id", scope))
                GROUP BY o.id, o.name, c.format
            ),
            formats AS (SELECT format, position FROM unnest(ARRAY['classroom', 'online_live', 'e_learning', 'blended']) WITH ORDINALITY AS f (format, position))
            SELECT shown, format, courses, offerings FROM (
                SELECT \(Self.shownName(id: "per.id", name: "per.name", scope)) AS shown, per.format, formats.position,
                       sum(per.courses)::bigint AS courses, sum(per.offerings)::bigint AS offerings
                FROM per JOIN formats USING (format)
                GROUP BY 1, 2, 3
            ) AS totals
            ORDER BY shown = \(MonitorScope.othersLabel), shown, position
            """
        ).decode((String, CourseRecord.Format, Int, Int).self)
        return MonitorTable(
            id: "academy-offer", title: "Jeugd Academie: aanbod per organisatie en vorm",
            columns: [.init("organisation", "Organisatie"), .init("format", "Vorm"), .init("courses", "Cursussen"),
                      .init("offerings_in_period", "Uitvoeringen in de periode")],
            rows: rows.map { organisation, format, courses, offerings in
                [.text(organisation), .text(format.label), .count(courses), .count(offerings)]
            })
    }

    /// Per topic: the evaluations of offerings that ended in the period, and the average
    /// answer to each question (1 to 5); averages only from three answers on, as on the
    /// provider's own page.
    func academyEvaluations(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let rows = try await db.query(
            """
            SELECT topic, count(*), avg(v.relevance)::float8, avg(v.trainer)::float8, avg(v.applicable)::float8, avg(v.recommend)::float8
            FROM course_evaluation v JOIN course_offering x ON x.id = v.offering_id JOIN course c ON c.id = x.course_id,
                 unnest(CASE WHEN cardinality(c.topics) = 0 THEN ARRAY['(zonder onderwerp)'] ELSE c.topics END) AS topic
            WHERE x.end_date >= \(period.startDay) AND x.end_date < \(period.endDay) AND \(Self.inScope("c.organisation_id", scope))
            GROUP BY topic
            ORDER BY topic
            """
        ).decode((String, Int, Double, Double, Double, Double).self)
        return MonitorTable(
            id: "academy-evaluations", title: "Jeugd Academie: evaluaties per onderwerp",
            columns: [
                .init("topic", "Onderwerp"), .init("answers", "Antwoorden"), .init("relevance", "Aansluiting op het werk"),
                .init("trainer", "Docent"), .init("applicable", "Toepasbaar"), .init("recommend", "Aanraden"),
            ],
            rows: rows.map { topic, answers, relevance, trainer, applicable, recommend in
                let shown = answers >= AcademyStore.minimumAnswers
                return [.text(topic), .count(answers)] + [relevance, trainer, applicable, recommend].map { .measure(shown ? $0 : nil) }
            })
    }

    /// Per topic: training wishes made in the period, the people who asked (the one
    /// who made it and everyone who said "ik ook"), how many of those wishes a provider
    /// answered, and the people on waiting lists of offerings on the topic that start in
    /// the period. For one organisation: its own people's wishes.
    func academyWishes(_ period: MonitorPeriod, _ scope: MonitorScope) async throws -> MonitorTable {
        let (start, end) = Self.bounds(period)
        let rows = try await db.query(
            """
            WITH wishes AS (
                SELECT w.topic, count(DISTINCT w.id) AS wishes, count(DISTINCT s.account_id) AS people,
                       count(DISTINCT w.id) FILTER (WHERE w.answered_at IS NOT NULL) AS answered
                FROM training_wish w JOIN training_wish_support s ON s.wish_id = w.id
                WHERE w.created_at >= \(start) AND w.created_at < \(end) AND \(Self.inScope("s.organisation_id", scope))
                GROUP BY w.topic
            ),
            waiting AS (
                SELECT t.topic, count(*) AS waiting
                FROM (SELECT DISTINCT topic FROM wishes) AS t
                JOIN course c ON t.topic = ANY(c.topics) JOIN course_offering x ON x.course_id = c.id
                JOIN enrolment e ON e.offering_id = x.id AND e.status = 'waitlisted'
                WHERE x.start_date >= \(period.startDay) AND x.start_date < \(period.endDay)
                GROUP BY t.topic
            )
            SELECT w.topic, w.wishes, w.people, w.answered, coalesce(v.waiting, 0)
            FROM wishes w LEFT JOIN waiting v USING (topic)
            ORDER BY w.people DESC, w.topic
            """
        ).decode((String, Int, Int, Int, Int).self)
        return MonitorTable(
            id: "academy-wishes", title: "Jeugd Academie: scholingswensen per onderwerp",
            columns: [.init("topic", "Onderwerp"), .init("wishes", "Wensen"), .init("people", "Mensen die erom vragen"),
                      .init("answered", "Beantwoord met een uitvoering"), .init("waitlisted", "Op een wachtlijst")],
            rows: rows.map { topic, wishes, people, answered, waiting in [.text(topic), .count(wishes), .count(people), .count(answered), .count(waiting)] })
    }
}
