import Foundation
import PQ

/// A small, known history in the first quarter of 2021 for three organisations A, B
/// and C, whose monitoring figures are counted by hand in the tests (MonitorStoreTests,
/// MonitorWebTests). Times are Amsterdam wall-clock times.
///
/// Postings (vacancies unless said): P1 A published 2020-12-10, still open; P9 A duo job
/// published 2020-11-01, still open, one hire on 2021-02-03; P2 A published 01-05,
/// filled 01-15 (10 days); P8 C published 01-02, filled 01-22 (20 days); P3 B published
/// 01-10, filled 02-09 (30 days); P4 B published 2021-02-01 00:30 (31 January in UTC),
/// closed unfilled 03-05; P7 A published 03-01, filled 03-21 (20 days); P5 A internship
/// (hbo, 2 places) published 01-20 with one hire; P6 C a draft. Agreements for 2021,
/// hbo: A 3, B 2.
///
/// People: X (A until 01-14, B from 01-15: a move A→B), Y (A until 02-09, B from 02-10:
/// a move A→B), Z (B until 02-19, C from 02-20: a move B→C), W (a move C→A on
/// 2020-12-30, outside), V (C from 2019 until 2021-03-10, nothing after: left).
///
/// Flexpool: D1 at A 01-10 08:00–16:00 for 3 people, asked 01-01 08:00, confirmed X
/// (01-02 08:00) and Y (01-03 08:00); D2 at B 01-20 10:00–14:00 for 1, asked 01-19
/// 10:00, confirmed X 01-19 22:00; D3 at B 01-25, cancelled; D4 at A 02-05 08:00–16:00
/// for 1, Z declined.
///
/// Academy: K1 of A (classroom) with O1 starting 02-10, O2 starting 04-01 and O3
/// withdrawn (02-15); K2 of B (e-learning at the provider's own site); K3 of A
/// withdrawn. On O1: E1 enrolled (req. 01-05), E2 completed (req. 01-06, 4 points on
/// 02-20), E3 cancelled (01-07), E4 waitlisted (01-08), E5 enrolled after the waiting
/// list (01-09). Clicks on K2: two in January, one in March.
public enum MonitorFixture {
    public struct Organisations: Sendable {
        public let a: UUID
        public let b: UUID
        public let c: UUID
    }

    static func time(_ text: String) -> SQL {
        "(\(text)::timestamp AT TIME ZONE 'Europe/Amsterdam')"
    }

    static func time(_ text: String?) -> SQL {
        text.map { time($0) } ?? "NULL"
    }

    /// Creates A, B and C (`prefix-a`, ...) and the history above.
    public static func load(on pool: Pool, prefix: String = "fixture") async throws -> Organisations {
        func organisation(_ letter: String) async throws -> UUID {
            try await pool.query(
                """
                INSERT INTO organisation (slug, name, kind, municipality_slug)
                VALUES (\(prefix + "-" + letter), \("Organisatie " + letter.uppercased() + " (" + prefix + ")"), 'care_provider', 'amsterdam')
                RETURNING id
                """
            ).first(decoding: UUID.self)!
        }
        let orgs = Organisations(a: try await organisation("a"), b: try await organisation("b"), c: try await organisation("c"))

        func person(_ name: String) async throws -> UUID {
            let id = try await pool.query(
                "INSERT INTO account (email, display_name) VALUES (\(prefix + "-" + name + "@fixture.test"), \(name)) RETURNING id"
            ).first(decoding: UUID.self)!
            _ = try await pool.query("INSERT INTO professional (account_id) VALUES (\(id))")
            return id
        }
        func employment(_ who: UUID, _ org: UUID, _ start: String, _ end: String?) async throws {
            _ = try await pool.query(
                """
                INSERT INTO employment (account_id, organisation_id, function_code, started_on, ended_on)
                VALUES (\(who), \(org), 'jeugdzorgwerker', \(start)::date, \(end)::date)
                """)
        }
        func move(_ who: UUID, _ from: UUID, _ to: UUID, _ on: String) async throws {
            _ = try await pool.query(
                "INSERT INTO mobility_move (account_id, from_organisation_id, to_organisation_id, moved_on) VALUES (\(who), \(from), \(to), \(on)::date)")
        }
        let x = try await person("x"), y = try await person("y"), z = try await person("z"), w = try await person("w"), v = try await person("v")
        try await employment(x, orgs.a, "2018-01-01", "2021-01-14"); try await employment(x, orgs.b, "2021-01-15", nil)
        try await employment(y, orgs.a, "2018-01-01", "2021-02-09"); try await employment(y, orgs.b, "2021-02-10", nil)
        try await employment(z, orgs.b, "2018-01-01", "2021-02-19"); try await employment(z, orgs.c, "2021-02-20", nil)
        try await employment(w, orgs.c, "2018-01-01", "2020-12-29"); try await employment(w, orgs.a, "2020-12-30", nil)
        try await employment(v, orgs.c, "2019-01-01", "2021-03-10")
        try await move(x, orgs.a, orgs.b, "2021-01-15")
        try await move(y, orgs.a, orgs.b, "2021-02-10")
        try await move(z, orgs.b, orgs.c, "2021-02-20")
        try await move(w, orgs.c, orgs.a, "2020-12-30")

        func posting(_ org: UUID, _ kind: String, _ status: String, published: String?, closed: String?, places: Int? = nil,
                     level: String? = nil, duo: Bool = false) async throws -> UUID {
            try await pool.query(
                """
                INSERT INTO posting (organisation_id, kind, status, title, municipality_slug, description, places, education_level,
                                     duo_suitable, published_at, closed_at)
                VALUES (\(org), \(kind), \(status), 'Vacature uit de fixture', 'amsterdam', 'Beschrijving', \(places), \(level),
                        \(duo), \(time(published)), \(time(closed)))
                RETURNING id
                """
            ).first(decoding: UUID.self)!
        }
        _ = try await posting(orgs.a, "vacancy", "published", published: "2020-12-10 12:00", closed: nil)
        let p9 = try await posting(orgs.a, "vacancy", "published", published: "2020-11-01 12:00", closed: nil, duo: true)
        _ = try await posting(orgs.a, "vacancy", "filled", published: "2021-01-05 12:00", closed: "2021-01-15 12:00")
        _ = try await posting(orgs.c, "vacancy", "filled", published: "2021-01-02 12:00", closed: "2021-01-22 12:00")
        _ = try await posting(orgs.b, "vacancy", "filled", published: "2021-01-10 12:00", closed: "2021-02-09 12:00")
        _ = try await posting(orgs.b, "vacancy", "closed", published: "2021-02-01 00:30", closed: "2021-03-05 12:00")
        _ = try await posting(orgs.a, "vacancy", "filled", published: "2021-03-01 12:00", closed: "2021-03-21 12:00")
        let p5 = try await posting(orgs.a, "internship", "published", published: "2021-01-20 12:00", closed: nil, places: 2, level: "hbo")
        _ = try await posting(orgs.c, "vacancy", "draft", published: nil, closed: nil)
        func hire(_ posting: UUID, _ who: UUID, _ on: String) async throws {
            _ = try await pool.query(
                """
                INSERT INTO application (posting_id, applicant_id, motivation, status, decided_at)
                VALUES (\(posting), \(who), 'Graag, want ik wil verder.', 'hired', \(time(on)))
                """)
        }
        try await hire(p9, v, "2021-02-03 10:00")
        try await hire(p5, z, "2021-01-25 10:00")
        _ = try await pool.query(
            """
            INSERT INTO internship_agreement (organisation_id, year, education_level, places_agreed)
            VALUES (\(orgs.a), 2021, 'hbo', 3), (\(orgs.b), 2021, 'hbo', 2)
            """)

        func demand(_ org: UUID, _ from: String, _ to: String, people: Int, asked: String, status: String = "open") async throws -> UUID {
            try await pool.query(
                """
                INSERT INTO shift_demand (organisation_id, area_slug, function_code, shift, people_needed, priority, status, created_at)
                VALUES (\(org), 'centrum', 'jeugdzorgwerker', tstzrange(\(time(from)), \(time(to)), '[)'), \(people), 'normal', \(status), \(time(asked)))
                RETURNING id
                """
            ).first(decoding: UUID.self)!
        }
        func assign(_ demand: UUID, _ who: UUID, _ status: String, decided: String) async throws {
            _ = try await pool.query(
                """
                INSERT INTO shift_assignment (demand_id, account_id, status, source, decided_at)
                VALUES (\(demand), \(who), \(status), 'matching', \(time(decided)))
                """)
        }
        let d1 = try await demand(orgs.a, "2021-01-10 08:00", "2021-01-10 16:00", people: 3, asked: "2021-01-01 08:00")
        try await assign(d1, x, "confirmed", decided: "2021-01-02 08:00")
        try await assign(d1, y, "confirmed", decided: "2021-01-03 08:00")
        let d2 = try await demand(orgs.b, "2021-01-20 10:00", "2021-01-20 14:00", people: 1, asked: "2021-01-19 10:00")
        try await assign(d2, x, "confirmed", decided: "2021-01-19 22:00")
        _ = try await demand(orgs.b, "2021-01-25 08:00", "2021-01-25 16:00", people: 1, asked: "2021-01-20 08:00", status: "cancelled")
        let d4 = try await demand(orgs.a, "2021-02-05 08:00", "2021-02-05 16:00", people: 1, asked: "2021-02-01 08:00")
        try await assign(d4, z, "declined", decided: "2021-02-02 08:00")

        func course(_ org: UUID, _ code: String, _ format: String, withdrawn: Bool = false, link: String? = nil) async throws -> UUID {
            try await pool.query(
                """
                INSERT INTO course (organisation_id, primary_code, name, description, format, enrols_here, link, search, withdrawn_at)
                VALUES (\(org), \(code), \("Cursus " + code), 'Beschrijving', \(format), \(link == nil), \(link),
                        to_tsvector('dutch', \(code)), CASE WHEN \(withdrawn) THEN now() END)
                RETURNING id
                """
            ).first(decoding: UUID.self)!
        }
        func offering(_ course: UUID, _ code: String, _ start: String, withdrawn: Bool = false) async throws -> UUID {
            try await pool.query(
                """
                INSERT INTO course_offering (course_id, primary_code, start_date, end_date, withdrawn_at)
                VALUES (\(course), \(code), \(start)::date, \(start)::date + 30, CASE WHEN \(withdrawn) THEN now() END)
                RETURNING id
                """
            ).first(decoding: UUID.self)!
        }
        let k1 = try await course(orgs.a, "K1", "classroom")
        let k2 = try await course(orgs.b, "K2", "e_learning", link: "https://example.org/k2")
        _ = try await course(orgs.a, "K3", "blended", withdrawn: true)
        let o1 = try await offering(k1, "O1", "2021-02-10")
        _ = try await offering(k1, "O2", "2021-04-01")
        _ = try await offering(k1, "O3", "2021-02-15", withdrawn: true)
        func enrol(_ who: UUID, _ status: String, requested: String, promoted: String? = nil, decided: String? = nil, points: Double? = nil) async throws {
            _ = try await pool.query(
                """
                INSERT INTO enrolment (offering_id, account_id, status, requested_at, promoted_at, decided_at, points_awarded)
                VALUES (\(o1), \(who), \(status), \(time(requested)), \(time(promoted)), \(time(decided)), \(points)::numeric)
                """)
        }
        try await enrol(x, "enrolled", requested: "2021-01-05 12:00")
        try await enrol(y, "completed", requested: "2021-01-06 12:00", decided: "2021-02-20 12:00", points: 4)
        try await enrol(z, "cancelled", requested: "2021-01-07 12:00")
        try await enrol(w, "waitlisted", requested: "2021-01-08 12:00")
        try await enrol(v, "enrolled", requested: "2021-01-09 12:00", promoted: "2021-01-12 12:00")
        for clicked in ["2021-01-03 12:00", "2021-01-28 12:00", "2021-03-02 12:00"] {
            _ = try await pool.query("INSERT INTO course_click (course_id, clicked_at) VALUES (\(k2), \(time(clicked)))")
        }
        return orgs
    }
}
