import Domain
import Foundation
import PQ
import Store
import TestSupport
import Testing

/// A catalogue import never empties a catalogue by mistake (issue 23).
@Suite("A catalogue import never empties a catalogue by mistake")
struct SafeImportTests {
    typealias T = AcademyImportTests

    /// Ten courses of Altra, each with one offering.
    static func tenCourses(_ store: Store) async throws -> Organisation {
        let altra = try await T.organisation(store, "altra")
        let codes = (1...10).map { "C-\($0)" }
        let report = try await store.academy.importCatalogue(
            CatalogueParser.parse(json: T.file(courses: codes.map { T.course($0, name: "Cursus \($0)") },
                                               offerings: codes.map { T.offering($0 + "-A", course: $0) })),
            organisation: altra.id, by: nil, source: .command, allowWithdraw: false)
        #expect(report.outcome == .applied && report.courses.inserted == 10)
        return altra
    }

    static func live(_ store: Store, _ organisation: Organisation) async throws -> [String] {
        try await store.pool.query(
            "SELECT primary_code FROM course WHERE organisation_id = \(organisation.id) AND withdrawn_at IS NULL ORDER BY primary_code"
        ).decode(String.self)
    }

    @Test func aFileWithNoValidCourseChangesNothing() async throws {
        try await TestDatabase.withStore { store in
            let altra = try await Self.tenCourses(store)
            let before = try await T.versions(store)
            // One course, rejected (its name is missing): nothing may be withdrawn.
            let rejected = T.file(courses: [#"{"primaryCode": "C-99", "description": "zonder naam"}"#], offerings: [])
            let report = try await store.academy.importCatalogue(
                CatalogueParser.parse(json: rejected), organisation: altra.id, by: nil, source: .api, allowWithdraw: true)
            #expect(report.outcome == .noValidCourse)
            #expect(report.courses.withdrawn == 0 && report.rejected.count == 1)
            #expect(try await T.versions(store) == before)
            #expect(try await Self.live(store, altra).count == 10)
        }
    }

    @Test func anOfferingsPageSentAsACatalogueChangesNothing() async throws {
        try await TestDatabase.withStore { store in
            let altra = try await Self.tenCourses(store)
            let before = try await T.versions(store)
            // GET /ooapi/v5/courses/{id}/offerings, saved and sent as the catalogue.
            let page = """
                {"pageSize": 10, "pageNumber": 1, "hasPreviousPage": false, "hasNextPage": false, "items": [
                  {"offeringId": "4f0c8d1e-1b1a-4f5e-9d7c-2f8e9a0b1c2d", "primaryCode": {"codeType": "offeringCode", "code": "C-1-A"},
                   "offeringType": "course", "name": [{"language": "nl-NL", "value": "Cursus C-1"}],
                   "description": [{"language": "nl-NL", "value": "Een uitvoering."}], "startDate": "2027-04-01", "endDate": "2027-04-15"}]}
                """
            for allow in [false, true] {
                let report = try await store.academy.importCatalogue(
                    CatalogueParser.parse(json: Data(page.utf8)), organisation: altra.id, by: nil, source: .api, allowWithdraw: allow)
                #expect(report.outcome == .unreadable)
                #expect(report.rejected.first?.reason.contains("uitvoeringen") == true)
            }
            #expect(try await T.versions(store) == before)
            #expect(try await Self.live(store, altra).count == 10)
        }
    }

    @Test func droppingThreeOfTenNeedsAConfirmationThenWithdrawsExactlyThose() async throws {
        try await TestDatabase.withStore { store in
            let altra = try await Self.tenCourses(store)
            let kept = (1...7).map { "C-\($0)" }
            let file = CatalogueParser.parse(json: T.file(courses: kept.map { T.course($0, name: "Cursus \($0)") },
                                                          offerings: kept.map { T.offering($0 + "-A", course: $0) }))
            let before = try await T.versions(store)
            let refused = try await store.academy.importCatalogue(file, organisation: altra.id, by: nil, source: .command, allowWithdraw: false)
            #expect(refused.outcome == .needsConfirmation)
            #expect(refused.withdrawnCourses.map(\.code) == ["C-10", "C-8", "C-9"])
            #expect(refused.liveCourses == 10)
            #expect(try await T.versions(store) == before, "nothing changed before the confirmation")
            let confirmed = try await store.academy.importCatalogue(file, organisation: altra.id, by: nil, source: .command, allowWithdraw: true)
            #expect(confirmed.outcome == .applied && confirmed.courses.withdrawn == 3)
            #expect(try await Self.live(store, altra) == kept.sorted())
            // Two of ten is a fifth, not more: no confirmation needed.
            #expect(!WithdrawalRule.needsConfirmation(withdrawing: 2, live: 10))
            #expect(WithdrawalRule.needsConfirmation(withdrawing: 11, live: 1000))
            #expect(!WithdrawalRule.needsConfirmation(withdrawing: 10, live: 1000))
        }
    }

    /// Undone within the hour: the enrolments are back and nobody was told. Held for an
    /// hour: everyone enrolled is told once, even with two instances running the job.
    @Test func aWithdrawalUndoneWithinTheHourTellsNobody() async throws {
        try await TestDatabase.withStore { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 8)
            let cordaan = try #require(try await store.organisations.find(slug: "cordaan"))
            let hr = try #require(try await store.accounts.find(email: "hr@cordaan.doorstroom.test"))
            let codes = try await store.pool.query(
                "SELECT primary_code FROM course WHERE organisation_id = \(cordaan.id) AND withdrawn_at IS NULL ORDER BY primary_code"
            ).decode(String.self)
            try #require(codes.count >= 2)
            // The course with the most live enrolments on a coming offering goes.
            let (target, enrolled) = try #require(try await store.pool.query(
                """
                SELECT c.primary_code, count(e.id)::int FROM course c JOIN course_offering x ON x.course_id = c.id
                JOIN enrolment e ON e.offering_id = x.id AND e.status IN ('enrolled', 'waitlisted')
                WHERE c.organisation_id = \(cordaan.id) AND x.end_date >= current_date
                GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1
                """).first(decoding: (String, Int).self))
            try #require(enrolled > 0)
            func enrolments() async throws -> Int {
                try await store.pool.query(
                    """
                    SELECT count(*)::int FROM enrolment e JOIN course_offering x ON x.id = e.offering_id JOIN course c ON c.id = x.course_id
                    WHERE c.primary_code = \(target) AND c.withdrawn_at IS NULL AND e.status IN ('enrolled', 'waitlisted')
                    """).first(decoding: Int.self) ?? 0
            }
            func told() async throws -> Int {
                try await store.pool.query("SELECT count(*)::int FROM notification WHERE kind = 'course_withdrawn'").first(decoding: Int.self) ?? 0
            }
            // Cordaan's file without that course, confirmed.
            var catalogue = Catalogue()
            for course in try await store.academy.courses(page: 1, pageSize: 250, organisation: cordaan.id).courses where course.record.primaryCode != target {
                catalogue.courses.append(course.record)
                catalogue.namedCourseCodes.insert(course.record.primaryCode)
                for offering in try await store.academy.offerings(of: course.id, page: 1, pageSize: 250).offerings { catalogue.offerings.append(offering.record) }
            }
            let report = try await store.academy.importCatalogue(catalogue, organisation: cordaan.id, by: hr.id, source: .upload, allowWithdraw: true)
            #expect(report.withdrawnCourses.map(\.code) == [target])
            #expect(try await enrolments() == 0)
            let withdrawnAt = try #require(try await store.pool.query("SELECT withdrawn_at FROM course WHERE primary_code = \(target)").first(decoding: Date.self))
            // Half an hour later the job runs: nobody is told yet.
            #expect(try await store.academy.notifyWithdrawals(now: withdrawnAt.addingTimeInterval(1800)) == 0)
            // The adviser brings it back within the hour.
            let restorable = try await store.academy.restorableCourses(organisations: [cordaan.id])
            let course = try #require(restorable.first { $0.code == target })
            #expect(course.enrolments == enrolled)
            #expect(try await store.academy.restore(course.id, organisations: [cordaan.id], by: hr.id))
            #expect(try await enrolments() == enrolled)
            // Later runs tell nobody: the withdrawal did not hold.
            #expect(try await store.academy.notifyWithdrawals(now: withdrawnAt.addingTimeInterval(7200)) == 0)
            #expect(try await told() == 0)
            let outbox = try await store.pool.query("SELECT count(*)::int FROM notification WHERE subject LIKE 'Cursus teruggetrokken%'").first(decoding: Int.self)
            #expect(outbox == 0)
            // Restoring twice, or another organisation's course, does nothing.
            #expect(try await !store.academy.restore(course.id, organisations: [cordaan.id], by: hr.id))

            // Withdrawn again, and this time it holds: each person enrolled is told once,
            // even when two instances run the job at the same moment.
            _ = try await store.academy.importCatalogue(catalogue, organisation: cordaan.id, by: hr.id, source: .upload, allowWithdraw: true)
            let again = try #require(try await store.pool.query("SELECT withdrawn_at FROM course WHERE primary_code = \(target)").first(decoding: Date.self))
            let later = again.addingTimeInterval(3700)
            async let first = store.academy.notifyWithdrawals(now: later)
            async let second = store.academy.notifyWithdrawals(now: later)
            let people = try await store.pool.query(
                """
                SELECT count(DISTINCT e.account_id)::int FROM enrolment e JOIN course_offering x ON x.id = e.offering_id
                JOIN course c ON c.id = x.course_id WHERE c.primary_code = \(target) AND e.status IN ('enrolled', 'waitlisted') AND x.end_date >= current_date
                """).first(decoding: Int.self) ?? 0
            #expect(try await first + second == people)
            #expect(try await told() == people)
            #expect(try await store.academy.notifyWithdrawals(now: later.addingTimeInterval(3600)) == 0)
        }
    }

    @Test func theImportLogShowsEveryAttempt() async throws {
        try await TestDatabase.withStore { store in
            let altra = try await Self.tenCourses(store)
            let cordaan = try await T.organisation(store, "cordaan")
            let seven = (1...7).map { "C-\($0)" }
            let file = CatalogueParser.parse(json: T.file(courses: seven.map { T.course($0, name: "Cursus \($0)") }, offerings: []))
            _ = try await store.academy.importCatalogue(CatalogueParser.parse(json: Data("{".utf8)), organisation: altra.id, by: nil, source: .api, allowWithdraw: false)
            _ = try await store.academy.importCatalogue(file, organisation: altra.id, by: nil, source: .command, allowWithdraw: false)
            _ = try await store.academy.importCatalogue(file, organisation: altra.id, by: nil, source: .command, allowWithdraw: true)
            _ = try await store.academy.importCatalogue(file, organisation: cordaan.id, by: nil, source: .api, allowWithdraw: false)
            let mine = try await store.academy.importLog(organisations: [altra.id])
            #expect(mine.map(\.outcome) == [.applied, .needsConfirmation, .unreadable, .applied])
            #expect(mine.map(\.source) == [.command, .command, .api, .command])
            #expect(mine[0].confirmed && mine[0].withdrawnCourses.map(\.code) == ["C-10", "C-8", "C-9"])
            #expect(mine[1].withdrawnCourses.count == 3 && mine[1].withdrawn == 0)
            #expect(mine[2].rejected.count == 1)
            #expect(mine.allSatisfy { $0.organisationName == "Altra" })
            #expect(try await store.academy.importLog(organisations: nil).count == 5)
            // Twelve months on, the lines go (but not before).
            #expect(try await store.academy.applyImportRetention(now: Date().addingTimeInterval(300 * 86_400)).logLines == 0)
            #expect(try await store.academy.applyImportRetention(now: Date().addingTimeInterval(400 * 86_400)).logLines == 5)
        }
    }
}
