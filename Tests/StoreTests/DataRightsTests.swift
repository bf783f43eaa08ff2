import Domain
import Foundation
import PQ
import Store
import TestSupport
import Testing

/// Export, erasure and retention against the demo data, on a real PostgreSQL.
@Suite("Data rights")
struct DataRightsTests {
    static let priyaEmail = "professional@doorstroom.test"

    /// Priya with a bit of everything: an application (moved on by the HR adviser, so a
    /// notification), consent, reflection, a profile view, a session and login attempts,
    /// on top of the demo's enrolments, flexpool membership and shifts.
    static func withPriya(_ body: @Sendable (Store, Account) async throws -> Void) async throws {
        try await TestDatabase.withStore { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 20)
            let priya = try #require(try await store.accounts.find(email: priyaEmail))
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let hr = try #require(try await store.accounts.find(email: "hr@altra.doorstroom.test"))
            let posting = try #require(try await store.pool.query(
                """
                SELECT id FROM posting WHERE organisation_id = \(altra.id) AND status = 'published' AND kind = 'vacancy'
                  AND (closing_date IS NULL OR closing_date >= current_date) ORDER BY created_at LIMIT 1
                """).first(decoding: UUID.self))
            let application = try await store.applications.apply(to: posting, applicant: priya.id, motivation: "Ik wil graag bij Altra werken, al jaren.")
            _ = try await store.applications.move(application, by: altra.id, adviser: nil, to: .inReview)
            try await store.profiles.give(.profileSearch, by: priya.id)
            try await store.profiles.recordView(of: priya.id, by: hr.id, reason: .vacancy)
            try await store.academy.logReflection(priya.id, kind: "intervision", heldOn: Day(year: 2026, month: 10, day: 1)!, hours: 2, note: "Casus besproken")
            _ = try await store.sessions.create(accountID: priya.id)
            _ = try await store.pool.query("INSERT INTO login_attempt (email_key, succeeded) VALUES (\(priyaEmail), true), ('iemand@anders.test', false)")
            try await body(store, priya)
        }
    }

    static func count(_ store: Store, _ sql: SQL) async throws -> Int {
        try await store.pool.query(sql).first(decoding: Int.self) ?? -1
    }

    @Test func theExportHoldsEveryRowAboutThePersonAndNothingAboutAnyoneElse() async throws {
        try await Self.withPriya { store, priya in
            let json = try #require(try await store.dataRights.export(priya.id))
            let export = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            func list(_ key: String) -> [[String: Any]] { export[key] as? [[String: Any]] ?? [] }
            let id = priya.id
            let expected: [(String, SQL)] = [
                ("applications", "SELECT count(*)::int FROM application WHERE applicant_id = \(id)"),
                ("enrolments", "SELECT count(*)::int FROM enrolment WHERE account_id = \(id)"),
                ("shifts", "SELECT count(*)::int FROM shift_assignment WHERE account_id = \(id)"),
                ("consents", "SELECT count(*)::int FROM consent WHERE account_id = \(id)"),
                ("audit", "SELECT count(*)::int FROM audit_log WHERE subject_account_id = \(id)"),
                ("employment", "SELECT count(*)::int FROM employment WHERE account_id = \(id)"),
                ("registrations", "SELECT count(*)::int FROM registration WHERE account_id = \(id)"),
                ("reflection", "SELECT count(*)::int FROM reflection_log WHERE account_id = \(id)"),
                ("notifications", "SELECT count(*)::int FROM notification WHERE account_id = \(id)"),
                ("roles", "SELECT count(*)::int FROM role_grant WHERE account_id = \(id)"),
                ("moves", "SELECT count(*)::int FROM mobility_move WHERE account_id = \(id)"),
                ("course_clicks", "SELECT count(*)::int FROM course_click WHERE account_id = \(id)"),
                ("rotations", "SELECT count(*)::int FROM rotation_party WHERE account_id = \(id)"),
                ("meetings", "SELECT count(*)::int FROM event_registration WHERE account_id = \(id)"),
                ("duo_requests", "SELECT count(*)::int FROM application WHERE duo_partner_id = \(id)"),
            ]
            for (key, sql) in expected {
                let rows = try await Self.count(store, sql)
                #expect(list(key).count == rows, "\(key): \(list(key).count) in the export, \(rows) in the database")
            }
            // Something in every part that the demo and the set-up gave her.
            for key in ["applications", "enrolments", "shifts", "consents", "audit", "employment", "reflection", "notifications"] {
                #expect(!list(key).isEmpty, "\(key) is empty")
            }
            let account = try #require(export["account"] as? [String: Any])
            #expect(account["email"] as? String == Self.priyaEmail)
            let flexpool = try #require(export["flexpool"] as? [String: Any])
            let availability = try await Self.count(store, "SELECT count(*)::int FROM pool_availability WHERE account_id = \(id)")
            #expect((flexpool["availability"] as? [Any])?.count == availability && availability > 0)
            #expect(list("applications").contains { $0["motivation"] as? String == "Ik wil graag bij Altra werken, al jaren." })
            // The HR adviser who looked is there by role and organisation, not by name.
            #expect(list("audit").contains { $0["action"] as? String == "profile.view" && ($0["by"] as? String)?.contains("Altra") == true })
            // Nobody else's name or address.
            let others = try await store.pool.query("SELECT email, display_name FROM account WHERE id <> \(id)").decode((String, String).self)
            #expect(others.count > 20)
            for (email, name) in others {
                #expect(!json.contains(email), "export holds \(email)")
                #expect(!json.contains(name), "export holds \(name)")
            }
        }
    }

    /// Every text value in every table of the public schema that contains `needle`.
    static func occurrences(of needle: String, in store: Store) async throws -> [String] {
        let columns = try await store.pool.query(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
            ORDER BY 1, 2
            """).decode((String, String).self)
        var found: [String] = []
        for (table, column) in columns {
            // Names from the catalogue, quoted; the needle is a parameter.
            let quotedTable = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let quotedColumn = "\"" + column.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let hits = try await store.pool.query(
                "SELECT count(*)::int FROM \(SQL(unsafe: quotedTable)) WHERE strpos(lower(\(SQL(unsafe: quotedColumn))::text), lower(\(needle))) > 0"
            ).first(decoding: Int.self) ?? 0
            if hits > 0 { found.append("\(table).\(column) (\(hits))") }
        }
        return found
    }

    @Test func afterErasureTheNameAndAddressAreNowhereAndTheMonitorCountsAreUnchanged() async throws {
        try await Self.withPriya { store, priya in
            let today = Day(Date())
            let lastMonth = AmsterdamTime.adding(-today.day, to: today)
            let period = MonitorPeriod.parse(from: "2025-01", to: String(format: "%04d-%02d", lastMonth.year, lastMonth.month), step: "maand", today: today)
            func figures() async throws -> [String: [[String]]] {
                var all: [String: [[String]]] = [:]
                for id in MonitorStore.tableIDs {
                    all[id] = try await store.monitor.table(id, period: period, scope: .region)?.rows.map { $0.map(\.dutch) }
                }
                return all
            }
            #expect(try await Self.count(store, "SELECT count(*)::int FROM account WHERE display_name = \(priya.displayName)") == 1)
            #expect(!(try await Self.occurrences(of: priya.email, in: store)).isEmpty)
            let before = try await figures()
            let applicationsBefore = try await Self.count(store, "SELECT count(*)::int FROM application WHERE applicant_id = \(priya.id)")
            let shiftsBefore = try await Self.count(store, "SELECT count(*)::int FROM shift_assignment WHERE account_id = \(priya.id)")

            #expect(try await store.dataRights.erase(priya.id))

            #expect(try await Self.occurrences(of: priya.email, in: store) == [])
            #expect(try await Self.occurrences(of: priya.displayName, in: store) == [])
            #expect(try await Self.occurrences(of: "Ik wil graag bij Altra werken", in: store) == [])
            // Sessions ended, no way to log in, a second erasure finds nothing.
            #expect(try await Self.count(store, "SELECT count(*)::int FROM session WHERE account_id = \(priya.id)") == 0)
            let pseudonymous = try #require(try await store.accounts.find(id: priya.id))
            let credentials = try #require(try await store.accounts.credentials(email: pseudonymous.email))
            #expect(credentials.passwordHash == nil && credentials.disabled)
            #expect(try await store.dataRights.erase(priya.id) == false)
            #expect(try await store.dataRights.export(priya.id) == nil)
            // The rows the counts need are still there, under the pseudonym.
            #expect(try await Self.count(store, "SELECT count(*)::int FROM application WHERE applicant_id = \(priya.id)") == applicationsBefore)
            #expect(try await Self.count(store, "SELECT count(*)::int FROM shift_assignment WHERE account_id = \(priya.id)") == shiftsBefore)
            #expect(try await figures() == before)
            // Other people's login attempts are untouched.
            #expect(try await Self.count(store, "SELECT count(*)::int FROM login_attempt WHERE email_key = 'iemand@anders.test'") == 1)
        }
    }

    @Test func theRetentionJobOnAMovedClockStripsExactlyTheExpiredApplications() async throws {
        try await TestDatabase.withStore { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 20)
            // Rejected ones already in the demo are out of the way first.
            _ = try await store.dataRights.applyRetention(now: Date().addingTimeInterval(400 * 86_400))
            let decided = Date(timeIntervalSince1970: 1_790_000_000) // 2026-09-21
            let applications = try await store.pool.query(
                "SELECT id FROM application WHERE status IN ('submitted', 'in_review') AND content_removed_at IS NULL ORDER BY id LIMIT 5"
            ).decode(UUID.self)
            try #require(applications.count == 5)
            // 0, 1: rejected, four weeks; 2: rejected, kept a year; 3: hired; 4: still in review.
            _ = try await store.pool.query(
                """
                UPDATE application SET status = CASE WHEN id = \(applications[3]) THEN 'hired' ELSE 'rejected' END,
                    decided_at = \(decided), keep_for_a_year = (id = \(applications[2]))
                WHERE id = ANY(\(Array(applications[0...3]))::uuid[])
                """)
            func stripped() async throws -> Set<UUID> {
                Set(try await store.pool.query(
                    "SELECT id FROM application WHERE id = ANY(\(applications)::uuid[]) AND motivation IS NULL AND content_removed_at IS NOT NULL"
                ).decode(UUID.self))
            }
            let day: TimeInterval = 86_400
            #expect(try await store.dataRights.applyRetention(now: decided.addingTimeInterval(27 * day)).applicationsStripped == 0)
            #expect(try await stripped() == [])
            let report = try await store.dataRights.applyRetention(now: decided.addingTimeInterval(29 * day))
            #expect(report.applicationsStripped == 2)
            #expect(try await stripped() == [applications[0], applications[1]])
            // What it did is written down, about each applicant.
            #expect(try await Self.count(store, "SELECT count(*)::int FROM audit_log WHERE action = 'retention.application' AND object_id = ANY(\([applications[0].uuidString.lowercased(), applications[1].uuidString.lowercased()])::text[])") == 2)
            // Running again changes nothing; after a year the consented one goes too.
            #expect(try await store.dataRights.applyRetention(now: decided.addingTimeInterval(29 * day)).applicationsStripped == 0)
            #expect(try await store.dataRights.applyRetention(now: decided.addingTimeInterval(364 * day)).applicationsStripped == 0)
            #expect(try await store.dataRights.applyRetention(now: decided.addingTimeInterval(366 * day)).applicationsStripped == 1)
            #expect(try await stripped() == [applications[0], applications[1], applications[2]])
        }
    }
}
