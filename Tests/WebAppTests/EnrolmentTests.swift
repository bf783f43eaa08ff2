import Domain
import Foundation
import HTTPTypes
import NIOCore
import PQ
import Store
import Testing
import TestSupport

/// A course of Cordaan with one offering of `places` places, starting in a month.
func makeCourse(_ store: Store, code: String, places: Int?, points: Double = 12, enrolsHere: Bool = true) async throws -> (course: UUID, offering: UUID) {
    let cordaan = try await store.organisations.find(slug: "cordaan")!
    var catalogue = Catalogue()
    let existing = try await store.academy.courses(page: 1, pageSize: 250, organisation: cordaan.id).courses
    for course in existing {
        catalogue.courses.append(course.record)
        catalogue.namedCourseCodes.insert(course.record.primaryCode)
        for offering in try await store.academy.offerings(of: course.id, page: 1, pageSize: 250).offerings { catalogue.offerings.append(offering.record) }
    }
    catalogue.courses.append(CourseRecord(
        primaryCode: code, name: "Traumasensitief werken \(code)", description: "Over trauma bij kinderen en jongeren.", format: .classroom,
        link: enrolsHere ? nil : "https://cordaan.example/\(code)", enrolsHere: enrolsHere, topics: ["trauma"], register: .skj, points: points))
    catalogue.namedCourseCodes.insert(code)
    let start = AmsterdamTime.adding(30, to: Day(Date()))
    catalogue.offerings.append(OfferingRecord(primaryCode: code + "-1", courseCode: code, startDate: start, endDate: start, maxStudents: places))
    _ = try await store.academy.importCatalogue(catalogue, organisation: cordaan.id, by: nil, source: .command, allowWithdraw: false)
    let course = try await store.pool.query("SELECT id FROM course WHERE primary_code = \(code)").first(decoding: UUID.self)!
    let offering = try await store.pool.query("SELECT id FROM course_offering WHERE course_id = \(course)").first(decoding: UUID.self)!
    return (course, offering)
}

@Suite("Enrolling in the Jeugd Academie") struct EnrolmentTests {
    @Test func fortyConcurrentEnrolmentsForTenPlacesGiveTenAndThirtyWaitingInOrder() async throws {
        try await TestApp.withDemo(poolSize: 10) { browser, store in
            let (_, offering) = try await makeCourse(store, code: "RACE-1", places: 10)
            let window = TimeWindow(start: future(days: 90, hour: 8), end: future(days: 90, hour: 18))
            let people = try await makePoolMembers(store, count: 40, window: window, prefix: "cursist")
            let statuses = try await racePosts(browser, people.map { ($0, "/academie/uitvoering/\(offering.lowercased)/inschrijven") })
            #expect(statuses.allSatisfy { $0 == 303 })
            let rows = try await store.pool.query(
                "SELECT status, count(*) FROM enrolment WHERE offering_id = \(offering) GROUP BY status ORDER BY status").decode((String, Int).self)
            #expect(rows.map(\.0) == ["enrolled", "waitlisted"])
            #expect(rows.map(\.1) == [10, 30])
            #expect(try await store.pool.query("SELECT enrolled FROM course_offering WHERE id = \(offering)").first(decoding: Int.self) == 10)
            // The waiting list is in the order the requests were taken: everyone enrolled was taken before everyone waiting.
            let order = try await store.pool.query(
                "SELECT status FROM enrolment WHERE offering_id = \(offering) ORDER BY requested_at, id").decode(String.self)
            #expect(order == Array(repeating: "enrolled", count: 10) + Array(repeating: "waitlisted", count: 30))

            // A cancellation gives the place to the first waiting, who sees it on their page.
            let firstWaiting = try await store.pool.query(
                "SELECT account_id FROM enrolment WHERE offering_id = \(offering) AND status = 'waitlisted' ORDER BY requested_at, id LIMIT 1"
            ).first(decoding: UUID.self)!
            let leaving = try await store.pool.query(
                "SELECT e.id, e.account_id FROM enrolment e WHERE offering_id = \(offering) AND status = 'enrolled' ORDER BY requested_at LIMIT 1"
            ).first!.decode((UUID, UUID).self)
            let leaver = people.first { $0.id == leaving.1 }!
            let client = Browser(browser.client)
            client.setCookie("doorstroom_session", leaver.sessionToken)
            let asked = try await client.post("/mijn/ontwikkeling/inschrijving/\(leaving.0.lowercased)/annuleren", [], csrf: leaver.csrf)
            #expect(asked.status == .ok && asked.body.contains("Inschrijving annuleren?"), "it asks first")
            #expect(try await store.pool.query("SELECT status FROM enrolment WHERE id = \(leaving.0)").first(decoding: String.self) == "enrolled",
                    "nothing changes before the confirmation")
            #expect(try await client.post("/mijn/ontwikkeling/inschrijving/\(leaving.0.lowercased)/annuleren", [("bevestigd", "1")], csrf: leaver.csrf).status == .seeOther)
            let promoted = try await store.pool.query(
                "SELECT status, promoted_at IS NOT NULL FROM enrolment WHERE offering_id = \(offering) AND account_id = \(firstWaiting)"
            ).first!.decode((String, Bool).self)
            #expect(promoted == ("enrolled", true))
            let lucky = Browser(browser.client)
            let luckyMember = people.first { $0.id == firstWaiting }!
            lucky.setCookie("doorstroom_session", luckyMember.sessionToken)
            #expect(try await lucky.get("/mijn/ontwikkeling").body.contains("Er kwam een plaats vrij"))
            #expect(try await store.pool.query("SELECT enrolled FROM course_offering WHERE id = \(offering)").first(decoding: Int.self) == 10)
            // Cancelling someone else's enrolment: 404, and nothing changes.
            let other = try await store.pool.query(
                "SELECT id FROM enrolment WHERE offering_id = \(offering) AND status = 'enrolled' AND account_id <> \(leaver.id) LIMIT 1").first(decoding: UUID.self)!
            #expect(try await client.post("/mijn/ontwikkeling/inschrijving/\(other.lowercased)/annuleren", [], csrf: leaver.csrf).status == .notFound)
        }
    }

    @Test func completionAddsPointsAndOnlyTheProvidersHRRecordsIt() async throws {
        try await TestApp.withDemo { browser, store in
            let (course, offering) = try await makeCourse(store, code: "PUNT-1", places: 5, points: 14)
            try await browser.login("professional@doorstroom.test")
            let before = try await browser.get("/mijn/ontwikkeling")
            let coursePage = try await browser.get("/academie/\(course.lowercased)")
            #expect(coursePage.body.contains("/academie/uitvoering/\(offering.lowercased)/inschrijven"))
            #expect(try await browser.post("/academie/uitvoering/\(offering.lowercased)/inschrijven", []).status == .seeOther)
            #expect(try await browser.post("/academie/uitvoering/\(offering.lowercased)/inschrijven", []).status == .conflict)
            let enrolment = try await store.pool.query("SELECT id FROM enrolment WHERE offering_id = \(offering)").first(decoding: UUID.self)!
            // Altra's adviser cannot see or mark Cordaan's offering.
            let altra = Browser(browser.client)
            try await altra.login("hr@altra.doorstroom.test")
            #expect(try await altra.get("/beheer/cursussen/uitvoering/\(offering.lowercased)").status == .notFound)
            _ = try await altra.get("/beheer/cursussen")
            #expect(try await altra.post("/beheer/cursussen/uitvoering/\(offering.lowercased)/inschrijving/\(enrolment.lowercased)", [("outcome", "completed")]).status == .notFound)
            #expect(try await store.pool.query("SELECT status FROM enrolment WHERE id = \(enrolment)").first(decoding: String.self) == "enrolled")
            // Cordaan's adviser marks it completed; the points show on "mijn ontwikkeling".
            let cordaan = Browser(browser.client)
            try await cordaan.login("hr@cordaan.doorstroom.test")
            let participants = try await cordaan.get("/beheer/cursussen/uitvoering/\(offering.lowercased)")
            #expect(participants.body.contains("Priya Ramdin"))
            #expect(try await cordaan.post("/beheer/cursussen/uitvoering/\(offering.lowercased)/inschrijving/\(enrolment.lowercased)", [("outcome", "completed")]).status == .seeOther)
            let points = { (page: String) -> Double in
                let marker = "Geaccrediteerde scholing</dt><dd>"
                guard let range = page.range(of: marker) else { return -1 }
                return Double(page[range.upperBound...].prefix { $0 != " " }.replacingOccurrences(of: ",", with: ".")) ?? -1
            }
            let after = try await browser.get("/mijn/ontwikkeling")
            #expect(points(after.body) == points(before.body) + 14)
            #expect(after.body.contains("Traumasensitief werken PUNT-1"))
            // Reflection hours add up too; a bad entry is named and stores nothing.
            _ = try await browser.get("/mijn/ontwikkeling")
            let bad = try await browser.post("/mijn/ontwikkeling/reflectie", [("kind", "supervision"), ("held_on", "2099-01-01"), ("hours", "30")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("Geef het aantal uren: 0,5 tot en met 24."))
            #expect(try await browser.post("/mijn/ontwikkeling/reflectie", [("kind", "supervision"), ("held_on", Day(Date()).iso), ("hours", "1,5")]).status == .seeOther)
            #expect(try await browser.get("/mijn/ontwikkeling").body.contains("supervisie, 1,5 uur"))
        }
    }

    @Test func searchingFilteringTheCoursePageAndTheProvidersOwnSystem() async throws {
        try await TestApp.withDemo { browser, store in
            let (course, _) = try await makeCourse(store, code: "EIGEN-1", places: nil, enrolsHere: false)
            // Dutch search with stemming: "jongere" finds "jongeren".
            let found = try await browser.get("/academie?q=jongere")
            #expect(found.status == .ok)
            #expect(found.body.contains("/academie/\(course.lowercased)"))
            // The vacancy bank's compounds: "sensitief" finds "Traumasensitief werken";
            // stop words alone do not narrow the list.
            #expect(try await browser.get("/academie?q=sensitief").body.contains("/academie/\(course.lowercased)"))
            #expect(!(try await browser.get("/academie?q=kwartel").body.contains("/academie/\(course.lowercased)")))
            #expect(try await browser.get("/academie?q=de%20het").body.contains("/academie/\(course.lowercased)"))
            let filtered = try await browser.get("/academie?register=NIP&vorm=e_learning")
            #expect(!filtered.body.contains("/academie/\(course.lowercased)"))
            let page = try await browser.get("/academie/\(course.lowercased)")
            #expect(page.body.contains("Inschrijven bij Cordaan"))
            #expect(!page.body.contains("/inschrijven\""))
            // The JSON-LD is a schema.org Course with its instance.
            let start = try #require(page.body.range(of: "<script type=\"application/ld+json\">"))
            let json = page.body[start.upperBound...].prefix { $0 != "<" }
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            #expect(object?["@type"] as? String == "Course")
            #expect((object?["hasCourseInstance"] as? [[String: Any]])?.first?["@type"] as? String == "CourseInstance")
            // The click through is counted and leads to the provider.
            let click = try await browser.get("/academie/\(course.lowercased)/aanbieder")
            #expect(click.status == .seeOther)
            #expect(click.location == "https://cordaan.example/EIGEN-1")
            #expect(try await store.pool.query("SELECT count(*) FROM course_click WHERE course_id = \(course)").first(decoding: Int.self) == 1)
            // Enrolling here is refused for such a course.
            try await browser.login("professional@doorstroom.test")
            let offering = try await store.pool.query("SELECT id FROM course_offering WHERE course_id = \(course)").first(decoding: UUID.self)!
            _ = try await browser.get("/academie")
            #expect(try await browser.post("/academie/uitvoering/\(offering.lowercased)/inschrijven", []).status == .conflict)
        }
    }
}
