import Domain
import Foundation
import PQ
import Store
import TestSupport
import Testing

/// Every monitoring figure against a count made by hand from MonitorFixture's history
/// (see its documentation for the records).
@Suite("Monitoring figures")
struct MonitorStoreTests {
    static let firstQuarter = MonitorPeriod.parse(from: "2021-01", to: "2021-03", step: "maand", today: Day(year: 2026, month: 11, day: 23)!)

    /// The rows of `table` whose text columns match `match`, as dictionaries of Dutch text.
    static func rows(_ table: MonitorTable, _ match: [String: String] = [:]) -> [[String: String]] {
        table.rows.map { row in Dictionary(uniqueKeysWithValues: zip(table.columns.map(\.key), row.map(\.dutch))) }
            .filter { row in match.allSatisfy { row[$0.key] == $0.value } }
    }

    static func row(_ table: MonitorTable, _ match: [String: String]) throws -> [String: String] {
        let found = rows(table, match)
        try #require(found.count == 1, "one row for \(match), found \(found.count)")
        return found[0]
    }

    static func withFixture(_ body: @Sendable (Store, MonitorFixture.Organisations) async throws -> Void) async throws {
        try await TestDatabase.withStore { store in
            let orgs = try await MonitorFixture.load(on: store.pool)
            try await body(store, orgs)
        }
    }

    /// Kept tables are what the live SQL computes, before and after every kind of
    /// change a figure counts (a new posting, a confirmed shift, an enrolment's outcome).
    @Test func keptTablesAreTheLiveFiguresAfterEveryChange() async throws {
        try await Self.withFixture { store, orgs in
            func same() async throws {
                for id in MonitorStore.tableIDs {
                    for scope in [MonitorScope.region, .init(organisation: orgs.a, named: [orgs.a])] {
                        let kept = try await store.monitor.table(id, period: Self.firstQuarter, scope: scope)
                        let live = try await store.monitor.compute(id, period: Self.firstQuarter, scope: scope)
                        #expect(kept == live, "\(id)")
                    }
                }
            }
            try await same()
            let before = try #require(try await store.monitor.table("postings", period: Self.firstQuarter, scope: .region))
            // Records in the period: the kept figures follow at once.
            _ = try await store.pool.query(
                """
                INSERT INTO posting (organisation_id, status, kind, title, municipality_slug, description, published_at)
                VALUES (\(orgs.a), 'published', 'vacancy', 'Later gevonden', 'amsterdam', 'Tekst', TIMESTAMPTZ '2021-02-10 12:00+01')
                """)
            let after = try #require(try await store.monitor.table("postings", period: Self.firstQuarter, scope: .region))
            #expect(after != before)
            try await same()
            _ = try await store.pool.query("UPDATE shift_assignment SET status = 'released' WHERE status = 'confirmed'")
            try await same()
            _ = try await store.pool.query("DELETE FROM enrolment")
            try await same()
        }
    }

    @Test func postingsPerMonthAndKindInAmsterdamTime() async throws {
        try await Self.withFixture { store, orgs in
            let table = try #require(try await store.monitor.table("postings", period: Self.firstQuarter, scope: .region))
            #expect(table.rows.count == 3 * 4)
            let jan = try Self.row(table, ["period": "jan 2021", "kind": "Vacature"])
            #expect(jan["opened"] == "3" && jan["open_at_end"] == "3" && jan["filled"] == "2" && jan["closed_unfilled"] == "0")
            #expect(jan["median_days_to_fill"] == "15,0")
            // P4 was published on 1 February 00:30 in Amsterdam (31 January in UTC): February.
            let feb = try Self.row(table, ["period": "feb 2021", "kind": "Vacature"])
            #expect(feb["opened"] == "1" && feb["open_at_end"] == "3" && feb["filled"] == "1" && feb["median_days_to_fill"] == "30,0")
            let mar = try Self.row(table, ["period": "mrt 2021", "kind": "Vacature"])
            #expect(mar["opened"] == "1" && mar["open_at_end"] == "2" && mar["filled"] == "1" && mar["closed_unfilled"] == "1")
            #expect(mar["median_days_to_fill"] == "20,0")
            let internship = Self.rows(table, ["kind": "Stage"])
            #expect(internship.map { $0["opened"]! } == ["1", "0", "0"] && internship.map { $0["open_at_end"]! } == ["1", "1", "1"])
            #expect(Self.rows(table, ["kind": "Traineeship"]).allSatisfy { $0["opened"] == "0" && $0["median_days_to_fill"] == "" })

            let quarter = MonitorPeriod.parse(from: "2021-01", to: "2021-03", step: "kwartaal", today: Day(year: 2026, month: 11, day: 23)!)
            let q = try #require(try await store.monitor.table("postings", period: quarter, scope: .region))
            let q1 = try Self.row(q, ["period": "K1 2021", "kind": "Vacature"])
            #expect(q1["opened"] == "5" && q1["open_at_end"] == "2" && q1["filled"] == "4" && q1["closed_unfilled"] == "1" && q1["median_days_to_fill"] == "20,0")

            let own = try #require(try await store.monitor.table("postings", period: Self.firstQuarter, scope: .init(organisation: orgs.a, named: nil)))
            let ownJan = try Self.row(own, ["period": "jan 2021", "kind": "Vacature"])
            #expect(ownJan["opened"] == "1" && ownJan["open_at_end"] == "2" && ownJan["filled"] == "1" && ownJan["median_days_to_fill"] == "10,0")
        }
    }

    @Test func internshipsAgainstAgreements() async throws {
        try await Self.withFixture { store, orgs in
            let region = try #require(try await store.monitor.table("internships", period: Self.firstQuarter, scope: .region))
            #expect(Self.rows(region).count == 3)
            #expect(try Self.row(region, ["year": "2021", "education_level": "HBO"]) ==
                    ["year": "2021", "education_level": "HBO", "agreed": "5", "posted": "2", "filled": "1"])
            let b = try #require(try await store.monitor.table("internships", period: Self.firstQuarter, scope: .init(organisation: orgs.b, named: nil)))
            #expect(try Self.row(b, ["education_level": "HBO"])["agreed"] == "2")
            #expect(try Self.row(b, ["education_level": "HBO"])["filled"] == "0")
        }
    }

    @Test func movesLeaversAndDuoJobs() async throws {
        try await Self.withFixture { store, orgs in
            let region = try #require(try await store.monitor.table("moves", period: Self.firstQuarter, scope: .region))
            #expect(Self.rows(region).map { $0["moves_between_members"]! } == ["1", "2", "0"])
            #expect(Self.rows(region).map { $0["left_domain"]! } == ["0", "0", "1"])
            #expect(Self.rows(region).map { $0["duo_jobs_started"]! } == ["0", "1", "0"])
            let a = try #require(try await store.monitor.table("moves", period: Self.firstQuarter, scope: .init(organisation: orgs.a, named: nil)))
            #expect(Self.rows(a).map { $0["moves_out"]! } == ["1", "1", "0"])
            #expect(Self.rows(a).map { $0["moves_in"]! } == ["0", "0", "0"])
            let c = try #require(try await store.monitor.table("moves", period: Self.firstQuarter, scope: .init(organisation: orgs.c, named: nil)))
            #expect(Self.rows(c).map { $0["moves_in"]! } == ["0", "1", "0"])
            #expect(Self.rows(c).map { $0["left_domain"]! } == ["0", "0", "1"])
        }
    }

    @Test func rotationsCountWhenApprovedInTheMonthTheyStart() async throws {
        try await Self.withFixture { store, orgs in
            // Two rotations between A and B starting in February, one approved; one approved in March between B and C.
            let people = try await store.pool.query(
                "INSERT INTO account (email, display_name) SELECT 'r' || n || '@fixture.test', 'R' || n FROM generate_series(1, 4) n RETURNING id"
            ).decode(UUID.self)
            func rotation(_ status: String, _ start: String, _ a: UUID, _ b: UUID, _ homeA: UUID, _ homeB: UUID) async throws {
                _ = try await store.pool.query(
                    """
                    WITH r AS (INSERT INTO rotation (function_code, starts_on, ends_on, status)
                               VALUES ('jeugdhulpverlener', \(start)::date, \(start)::date + 30, \(status)) RETURNING id, starts_on, ends_on)
                    INSERT INTO rotation_party (rotation_id, party, account_id, home_organisation_id, host_organisation_id, period)
                    SELECT r.id, 'proposer', \(a), \(homeA), \(homeB), daterange(r.starts_on, r.ends_on, '[]') FROM r
                    UNION ALL SELECT r.id, 'partner', \(b), \(homeB), \(homeA), daterange(r.starts_on, r.ends_on, '[]') FROM r
                    """)
            }
            try await rotation("approved", "2021-02-10", people[0], people[1], orgs.a, orgs.b)
            try await rotation("agreed", "2021-02-20", people[2], people[3], orgs.a, orgs.b)
            try await rotation("approved", "2021-03-01", people[2], people[3], orgs.b, orgs.c)
            let region = try #require(try await store.monitor.table("moves", period: Self.firstQuarter, scope: .region))
            #expect(Self.rows(region).map { $0["rotations_started"]! } == ["0", "1", "1"])
            let a = try #require(try await store.monitor.table("moves", period: Self.firstQuarter, scope: .init(organisation: orgs.a, named: nil)))
            #expect(Self.rows(a).map { $0["rotations_started"]! } == ["0", "1", "0"])
        }
    }

    @Test func mobilityMatrixFoldsWhatTheScopeDoesNotName() async throws {
        try await Self.withFixture { store, orgs in
            let all = try #require(try await store.monitor.table("mobility", period: Self.firstQuarter, scope: .region))
            #expect(Self.rows(all) == [
                ["from_organisation": "Organisatie A (fixture)", "to_organisation": "Organisatie B (fixture)", "moves": "2"],
                ["from_organisation": "Organisatie B (fixture)", "to_organisation": "Organisatie C (fixture)", "moves": "1"],
            ])
            // An HR adviser of A: A's own moves by name, the rest summed; B and C never named.
            let hr = try #require(try await store.monitor.table("mobility", period: Self.firstQuarter, scope: .init(organisation: nil, named: [orgs.a])))
            #expect(Self.rows(hr) == [
                ["from_organisation": "Organisatie A (fixture)", "to_organisation": MonitorScope.othersLabel, "moves": "2"],
                ["from_organisation": MonitorScope.othersLabel, "to_organisation": MonitorScope.othersLabel, "moves": "1"],
            ])
            #expect(!hr.csv(dutch: true).contains("Organisatie B") && !hr.csv(dutch: true).contains("Organisatie C"))
            // For one organisation: only moves that involve it.
            let c = try #require(try await store.monitor.table("mobility", period: Self.firstQuarter, scope: .init(organisation: orgs.c, named: nil)))
            #expect(Self.rows(c).map { $0["moves"]! } == ["1"])
        }
    }

    @Test func flexpoolHoursGapsFillRateAndWaiting() async throws {
        try await Self.withFixture { store, orgs in
            let region = try #require(try await store.monitor.table("flexpool", period: Self.firstQuarter, scope: .region))
            // January: D1 3 × 8 h and D2 1 × 4 h asked (D3 was cancelled); X and Y on D1, X on D2.
            #expect(try Self.row(region, ["period": "jan 2021"]) == [
                "period": "jan 2021", "shifts": "2", "demand_hours": "28,0", "pool_hours": "20,0", "gap_hours": "8,0",
                "fill_rate": "71,4", "median_hours_to_confirm": "24,0",
            ])
            // February: D4 asked, declined: all of it is a gap.
            #expect(try Self.row(region, ["period": "feb 2021"])["gap_hours"] == "8,0")
            #expect(try Self.row(region, ["period": "feb 2021"])["fill_rate"] == "0,0")
            #expect(try Self.row(region, ["period": "mrt 2021"])["fill_rate"] == "")
            let a = try #require(try await store.monitor.table("flexpool", period: Self.firstQuarter, scope: .init(organisation: orgs.a, named: nil)))
            #expect(try Self.row(a, ["period": "jan 2021"])["fill_rate"] == "66,7")
            #expect(try Self.row(a, ["period": "jan 2021"])["median_hours_to_confirm"] == "36,0")

            let organisations = try #require(try await store.monitor.table("flexpool-organisations", period: Self.firstQuarter, scope: .region))
            // Given: X worked D1 while employed by A and D2 while employed by B.
            #expect(Self.rows(organisations) == [
                ["organisation": "Organisatie A (fixture)", "demand_hours": "32,0", "hours_received": "16,0", "hours_given": "16,0"],
                ["organisation": "Organisatie B (fixture)", "demand_hours": "4,0", "hours_received": "4,0", "hours_given": "4,0"],
            ])
            let hr = try #require(try await store.monitor.table("flexpool-organisations", period: Self.firstQuarter, scope: .init(organisation: nil, named: [orgs.b])))
            #expect(Self.rows(hr).map { $0["organisation"]! } == ["Organisatie B (fixture)", MonitorScope.othersLabel])
        }
    }

    @Test func academyOfferAndUse() async throws {
        try await Self.withFixture { store, orgs in
            let region = try #require(try await store.monitor.table("academy", period: Self.firstQuarter, scope: .region))
            #expect(try Self.row(region, ["period": "jan 2021"]) == [
                "period": "jan 2021", "offerings_starting": "0", "enrolments": "3", "waitlisted": "2", "completions": "0",
                "provider_clicks": "2", "points_awarded": "0,0",
            ])
            #expect(try Self.row(region, ["period": "feb 2021"]) == [
                "period": "feb 2021", "offerings_starting": "1", "enrolments": "0", "waitlisted": "0", "completions": "1",
                "provider_clicks": "0", "points_awarded": "4,0",
            ])
            #expect(try Self.row(region, ["period": "mrt 2021"])["provider_clicks"] == "1")
            let a = try #require(try await store.monitor.table("academy", period: Self.firstQuarter, scope: .init(organisation: orgs.a, named: nil)))
            #expect(Self.rows(a).map { $0["provider_clicks"]! } == ["0", "0", "0"])
            #expect(try Self.row(a, ["period": "jan 2021"])["enrolments"] == "3")

            let offer = try #require(try await store.monitor.table("academy-offer", period: Self.firstQuarter, scope: .region))
            #expect(Self.rows(offer) == [
                ["organisation": "Organisatie A (fixture)", "format": "Klassikaal", "courses": "1", "offerings_in_period": "1"],
                ["organisation": "Organisatie B (fixture)", "format": "E-learning", "courses": "1", "offerings_in_period": "0"],
            ])
        }
    }

    @Test func theCSVOpensInDutchExcelOrAsPlainCommas() async throws {
        try await Self.withFixture { store, _ in
            let table = try #require(try await store.monitor.table("flexpool", period: Self.firstQuarter, scope: .region))
            let dutch = table.csv(dutch: true)
            #expect(dutch.hasPrefix("\u{FEFF}Periode;Diensten gevraagd;Gevraagde uren;Uren uit de flexpool;Gat (uitzendkrachten of open);Vulgraad (%);Mediane uren tot bevestiging\r\n"))
            #expect(dutch.contains("\r\njan 2021;2;28,0;20,0;8,0;71,4;24,0\r\n"))
            let plain = table.csv(dutch: false)
            #expect(plain.hasPrefix("period,shifts,"))
            #expect(plain.contains("\r\n2021-01,2,28.0,20.0,8.0,71.4,24.0\r\n"))
            #expect(plain.contains("\r\n2021-03,0,0.0,0.0,0.0,,\r\n"))
        }
    }

    @Test func everyTableAnswersForALongPeriodPerQuarter() async throws {
        try await Self.withFixture { store, orgs in
            let long = MonitorPeriod.parse(from: "2019-01", to: "2023-12", step: "kwartaal", today: Day(year: 2026, month: 11, day: 23)!)
            #expect(long.count == 20)
            for id in MonitorStore.tableIDs {
                for scope in [MonitorScope.region, .init(organisation: orgs.b, named: nil), .init(organisation: nil, named: [orgs.c])] {
                    let table = try #require(try await store.monitor.table(id, period: long, scope: scope))
                    #expect(table.columns.count >= 3)
                }
            }
            #expect(try await store.monitor.table("nothing", period: long, scope: .region) == nil)
        }
    }
}
