import Domain
import Foundation
import PQ

extension DemoData {
    /// A year of history before today, so that the monitor has something to show:
    /// postings that were published and filled or closed, with hires on internships
    /// and duo jobs; moves between organisations (one employment ending, the next
    /// starting) and a few people leaving the region's organisations; flexpool demand
    /// with confirmed shifts of the generated pool members and gaps; past course
    /// offerings with enrolments, completions and points, and clicks to providers' own
    /// systems. The same in every database: what is picked is picked by md5 of slugs,
    /// titles, codes and the professionals' places in the list, never by the random
    /// ids (so tests that read the demo data see the same people every run).
    func loadHistory(professionals: [UUID]) async throws {
        try await store.pool.transaction { tx in
            // Postings: per active organisation and month back, 2 to 5, of every kind.
            _ = try await tx.query(
                """
                WITH source AS (
                    SELECT o.id AS organisation_id, o.slug, m, i,
                           ('x' || substr(md5(o.slug || ':' || m || ':' || i), 1, 8))::bit(32)::int & 2147483647 AS h
                    FROM organisation o, generate_series(1, 12) AS m, generate_series(1, 5) AS i
                    WHERE o.active
                ), chosen AS (
                    SELECT *, (date_trunc('month', now()) - make_interval(months => m) + make_interval(days => h % 27, hours => 8 + h % 9)) AS published,
                           CASE WHEN h % 20 < 12 THEN 'vacancy' WHEN h % 20 < 15 THEN 'internship'
                                WHEN h % 20 < 17 THEN 'traineeship' ELSE 'shadow_day' END AS kind,
                           (ARRAY['pedagogisch-medewerker', 'jeugdzorgwerker', 'jeugdhulpverlener', 'jeugdbeschermer', 'gezinscoach', 'gedragswetenschapper'])[1 + h % 6] AS function_code
                    FROM source WHERE i <= 2 + h % 4
                )
                INSERT INTO posting (organisation_id, kind, status, title, function_code, education_level, municipality_slug,
                                     places, description, duo_suitable, published_at, closed_at, created_at, updated_at)
                SELECT c.organisation_id, c.kind,
                       CASE WHEN c.h % 10 < 7 THEN 'filled' ELSE 'closed' END,
                       CASE c.kind WHEN 'internship' THEN 'Stage ' ELSE '' END || f.name || ' (' || to_char(c.published, 'YYYY-MM') || ')',
                       c.function_code,
                       CASE WHEN c.kind = 'internship' THEN (ARRAY['mbo', 'hbo', 'wo'])[1 + c.h % 3] END,
                       'amsterdam',
                       CASE WHEN c.kind IN ('internship', 'shadow_day') THEN 1 + c.h % 3 END,
                       'Deze plaatsing staat in de geschiedenis van de demo.',
                       c.kind = 'vacancy' AND c.h % 7 = 0,
                       c.published,
                       least(c.published + make_interval(days => 7 + c.h % 60), now() - interval '1 day'),
                       c.published, c.published
                FROM chosen c JOIN job_function f ON f.code = c.function_code
                WHERE c.published < now() - interval '2 days'
                """
            )
            // A hire on each filled internship and duo job, by a generated professional.
            _ = try await tx.query(
                """
                INSERT INTO application (posting_id, applicant_id, motivation, status, created_at, updated_at, decided_at)
                SELECT p.id, (\(professionals)::uuid[])[1 + (('x' || substr(md5(o.slug || ':' || p.title || ':' || p.published_at::text), 1, 8))::bit(32)::int & 2147483647) % cardinality(\(professionals)::uuid[])],
                       'Ik wil graag bij jullie aan de slag en leer graag verder.', 'hired', p.published_at, p.closed_at, p.closed_at
                FROM posting p JOIN organisation o ON o.id = p.organisation_id
                WHERE p.status = 'filled' AND (p.kind = 'internship' OR p.duo_suitable) AND cardinality(\(professionals)::uuid[]) > 0
                """
            )
            _ = try await tx.query(
                """
                INSERT INTO internship_agreement (organisation_id, year, education_level, places_agreed)
                SELECT organisation_id, year - 1, education_level, places_agreed FROM internship_agreement
                ON CONFLICT DO NOTHING
                """
            )
            // Moves: every sixth generated professional changed organisation in the last year.
            _ = try await tx.query(
                """
                WITH current AS (
                    SELECT e.id, e.account_id, e.organisation_id, e.function_code, e.started_on,
                           row_number() OVER (ORDER BY array_position(\(professionals)::uuid[], e.account_id)) AS n
                    FROM employment e
                    WHERE e.account_id = ANY(\(professionals)::uuid[]) AND e.ended_on IS NULL
                ), picked AS (
                    SELECT c.*, greatest(c.started_on + 30, current_date - (c.n * 13 % 350 + 5)::int) AS moved_on,
                           (SELECT o.id FROM organisation o WHERE o.active AND o.id <> c.organisation_id
                            ORDER BY md5(o.slug || ':' || c.n) LIMIT 1) AS to_organisation
                    FROM current c WHERE c.n % 6 = 0
                ), valid AS (
                    SELECT * FROM picked WHERE moved_on < current_date
                ), ended AS (
                    UPDATE employment e SET ended_on = v.moved_on - 1 FROM valid v WHERE e.id = v.id RETURNING e.id
                ), started AS (
                    INSERT INTO employment (account_id, organisation_id, function_code, started_on)
                    SELECT account_id, to_organisation, function_code, moved_on FROM valid RETURNING id
                )
                INSERT INTO mobility_move (account_id, from_organisation_id, to_organisation_id, function_code, moved_on)
                SELECT account_id, organisation_id, to_organisation, function_code, moved_on FROM valid
                """
            )
            // A few people left the region's organisations (never pool members).
            _ = try await tx.query(
                """
                WITH current AS (
                    SELECT e.id, e.started_on, row_number() OVER (ORDER BY array_position(\(professionals)::uuid[], e.account_id)) AS n
                    FROM employment e
                    WHERE e.account_id = ANY(\(professionals)::uuid[]) AND e.ended_on IS NULL
                      AND NOT EXISTS (SELECT FROM pool_member m WHERE m.account_id = e.account_id)
                      AND NOT EXISTS (SELECT FROM mobility_move mm WHERE mm.account_id = e.account_id)
                )
                UPDATE employment e SET ended_on = greatest(c.started_on, current_date - (c.n * 29 % 330 + 10)::int)
                FROM current c WHERE e.id = c.id AND c.n % 11 = 5
                """
            )
            // Flexpool: each generated pool member worked every fifth day of the past year
            // on the demand of an organisation; some demand asked for more people than came.
            _ = try await tx.query(
                """
                CREATE TEMP TABLE demo_history_shift ON COMMIT DROP AS
                WITH members AS (
                    SELECT m.account_id, row_number() OVER (ORDER BY array_position(\(professionals)::uuid[], m.account_id)) AS j,
                           (SELECT min(function_code) FROM pool_member_function f WHERE f.account_id = m.account_id) AS function_code,
                           (SELECT min(area_slug) FROM pool_member_area a WHERE a.account_id = m.account_id) AS area_slug
                    FROM pool_member m WHERE m.account_id = ANY(\(professionals)::uuid[])
                ), organisations AS (
                    SELECT array_agg(id ORDER BY slug) AS ids FROM organisation WHERE active
                ), shifts AS (
                    SELECT mb.account_id, mb.function_code, mb.area_slug, d,
                           ('x' || substr(md5(mb.j || ':' || d), 1, 8))::bit(32)::int & 2147483647 AS h
                    FROM members mb, generate_series(5, 365) AS d
                    WHERE (d + mb.j) % 5 = 0 AND mb.function_code IS NOT NULL AND mb.area_slug IS NOT NULL
                )
                SELECT gen_random_uuid() AS demand_id, s.*, o.ids[1 + s.h % cardinality(o.ids)] AS organisation_id,
                       ((current_date - s.d) + (ARRAY[time '07:30', time '15:00', time '23:00'])[1 + s.h % 3]) AT TIME ZONE 'Europe/Amsterdam' AS starts
                FROM shifts s, organisations o
                """
            )
            _ = try await tx.query(
                """
                INSERT INTO shift_demand (id, organisation_id, area_slug, function_code, shift, people_needed, priority, status, created_at, updated_at)
                SELECT demand_id, organisation_id, area_slug, function_code, tstzrange(starts, starts + interval '8 hours 30 minutes', '[)'),
                       CASE WHEN h % 4 = 0 THEN 2 ELSE 1 END, CASE WHEN h % 9 = 0 THEN 'urgent' ELSE 'normal' END, 'open',
                       starts - make_interval(days => 1 + h % 14), starts - make_interval(days => 1 + h % 14)
                FROM demo_history_shift
                """
            )
            _ = try await tx.query(
                """
                INSERT INTO shift_assignment (demand_id, account_id, status, source, created_at, decided_at)
                SELECT demand_id, account_id, 'confirmed', CASE WHEN h % 3 = 0 THEN 'claim' ELSE 'matching' END,
                       starts - make_interval(days => 1 + h % 14),
                       least(starts - make_interval(days => 1 + h % 14) + make_interval(hours => 2 + h % 70), starts - interval '1 hour')
                FROM demo_history_shift
                """
            )
            // Gaps nobody from the pool filled: per organisation, a weekend night shift every fortnight.
            _ = try await tx.query(
                """
                INSERT INTO shift_demand (organisation_id, area_slug, discipline, shift, people_needed, priority, status, created_at, updated_at)
                SELECT o.id, 'centrum', 'jeugdhulp',
                       tstzrange((w + time '22:00') AT TIME ZONE 'Europe/Amsterdam', (w + 1 + time '07:00') AT TIME ZONE 'Europe/Amsterdam', '[)'),
                       2, 'urgent', 'open', ((w - 10) + time '09:00') AT TIME ZONE 'Europe/Amsterdam', ((w - 10) + time '09:00') AT TIME ZONE 'Europe/Amsterdam'
                FROM organisation o, generate_series(1, 26) AS k, LATERAL (SELECT (date_trunc('week', current_date)::date - 14 * k + 5) AS w) AS week
                WHERE o.active
                """
            )
            // The academy: a past offering of each course that enrols here, with
            // enrolments in every outcome, and clicks on the courses of providers'
            // own systems.
            _ = try await tx.query(
                """
                WITH courses AS (
                    SELECT c.id, c.points, c.register, row_number() OVER (ORDER BY c.primary_code) AS n
                    FROM course c WHERE c.enrols_here AND c.withdrawn_at IS NULL
                )
                INSERT INTO course_offering (course_id, primary_code, start_date, end_date, max_students, place)
                SELECT id, 'VERLEDEN-' || n, current_date - (20 + n * 5)::int, current_date - (19 + n * 5)::int, 16, 'Amsterdam'
                FROM courses
                """
            )
            _ = try await tx.query(
                """
                WITH past AS (
                    SELECT o.id, o.start_date, o.end_date, c.points, c.register, row_number() OVER (ORDER BY o.primary_code) AS n
                    FROM course_offering o JOIN course c ON c.id = o.course_id
                    WHERE o.primary_code LIKE 'VERLEDEN-%'
                ), people AS (
                    SELECT p.*, k, (\(professionals)::uuid[])[1 + (p.n * 7 + k * 3) % cardinality(\(professionals)::uuid[])] AS account_id
                    FROM past p, generate_series(1, 10) AS k
                    WHERE cardinality(\(professionals)::uuid[]) >= 10
                )
                INSERT INTO enrolment (offering_id, account_id, status, requested_at, promoted_at, decided_at, points_awarded, register)
                SELECT DISTINCT ON (id, account_id) id, account_id,
                       CASE WHEN k <= 6 THEN 'completed' WHEN k = 7 THEN 'no_show' WHEN k = 8 THEN 'cancelled' ELSE 'attended' END,
                       (start_date - (10 + k * 3)) + time '10:00',
                       CASE WHEN k = 9 THEN (start_date - 5) + time '10:00' END,
                       CASE WHEN k <= 7 OR k >= 9 THEN (end_date + 1) + time '12:00' END,
                       CASE WHEN k <= 6 THEN points END,
                       CASE WHEN k <= 6 THEN register END
                FROM people
                ORDER BY id, account_id, k
                """
            )
            _ = try await tx.query(
                """
                INSERT INTO course_click (course_id, clicked_at)
                SELECT c.id, now() - make_interval(days => d, hours => d % 11)
                FROM course c, generate_series(1, 360) AS d
                WHERE NOT c.enrols_here AND (('x' || substr(md5(c.primary_code || ':' || d), 1, 8))::bit(32)::int & 7) = 0
                """
            )
        }
    }
}
