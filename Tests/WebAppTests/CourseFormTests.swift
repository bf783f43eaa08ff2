import Domain
import Foundation
import HTTPTypes
import NIOCore
import PQ
import Store
import Testing
import TestSupport

@Suite("Providers: the course form, the upload preview, the format page")
struct CourseFormTests {
    /// Every course and offering row of an organisation, with its row version: a
    /// change of any kind shows.
    static func snapshot(_ store: Store, _ slug: String) async throws -> [String] {
        try await store.pool.query(
            """
            SELECT c.primary_code || ':' || c.xmin::text || ':' || coalesce(c.withdrawn_at::text, '') || ':' ||
                   coalesce((SELECT string_agg(x.primary_code || '/' || x.xmin::text, ',' ORDER BY x.primary_code) FROM course_offering x WHERE x.course_id = c.id), '')
            FROM course c JOIN organisation o ON o.id = c.organisation_id WHERE o.slug = \(slug) ORDER BY c.primary_code
            """).decode(String.self)
    }

    static func fields(code: String, name: String) -> [(String, String)] {
        [("organisation", "altra"), ("course_code", code), ("name", name), ("description", "Een cursus gemaakt in het formulier."), ("format", "blended"),
         ("enrolment", "doorstroom"), ("topics", "veiligheid, gezin"), ("target_functions", "jeugdhulpverlener"),
         ("target_disciplines", "jeugdhulp"), ("study_hours", "6"), ("register", "SKJ"), ("points", "4,5"), ("price", "95")]
    }

    /// A course made in the form, with an offering; a bad field is named and stores
    /// nothing; a later file import that does not name the course leaves it.
    @Test func aFormMadeCourseSurvivesAnImportThatDoesNotNameIt() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            try await browser.get("/beheer/cursussen/nieuw")
            let before = try await Self.snapshot(store, "altra")
            var bad = Self.fields(code: "ALT-FORM-1", name: "Formuliercursus")
            bad[bad.firstIndex { $0.0 == "points" }!] = ("points", "900")
            let refused = try await browser.post("/beheer/cursussen/nieuw", bad)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("href=\"#points\""))
            #expect(try await Self.snapshot(store, "altra") == before)

            let made = try await browser.post("/beheer/cursussen/nieuw", Self.fields(code: "ALT-FORM-1", name: "Formuliercursus"))
            #expect(made.status == .seeOther)
            let path = try #require(made.location?.split(separator: "?").first.map(String.init))
            let course = try #require(try await store.academy.courses(page: 1, pageSize: 100, organisation: nil).courses.first { $0.record.primaryCode == "ALT-FORM-1" })
            #expect(course.record.points == 4.5 && course.record.priceCents == 9500 && course.record.topics == ["veiligheid", "gezin"])
            // The same code again is refused.
            let twice = try await browser.post("/beheer/cursussen/nieuw", Self.fields(code: "ALT-FORM-1", name: "Nog een"))
            #expect(twice.status == .conflict)
            // An offering, with a session typed as people type it.
            try await browser.get(path + "/uitvoeringen/nieuw")
            let start = day(60), end = day(61)
            let offering = try await browser.post(path + "/uitvoeringen/nieuw", [
                ("offering_code", "ALT-FORM-1-A"), ("start_date", start.iso), ("end_date", end.iso), ("max_students", "12"),
                ("place", "Amsterdam"), ("sessions", "\(start.iso) 09:00-16:00"),
            ])
            #expect(offering.status == .seeOther)
            let offerings = try await store.academy.offerings(ofCourse: course.id, ended: false, today: Day(Date()))
            #expect(offerings.count == 1 && offerings[0].record.sessions.count == 1 && offerings[0].fromForm)
            let wrongDates = try await browser.post(path + "/uitvoeringen/nieuw", [("offering_code", "ALT-FORM-1-B"), ("start_date", end.iso), ("end_date", start.iso)])
            #expect(wrongDates.status == .unprocessableContent && wrongDates.body.contains("endDate ligt voor startDate"))
            // It is in the public catalogue.
            #expect(try await Browser(browser.client).get("/academie/\(course.id.lowercased)").body.contains("Formuliercursus"))

            // A file with the documented example's courses only, confirmed: the demo courses go, the form's stays.
            let page = try await upload(browser, organisation: "altra", file: AcademyWebTests.example)
            #expect(!page.body.contains("Formuliercursus (ALT-FORM-1)"), "the preview does not withdraw it")
            _ = try await confirmShown(browser, page)
            let live = try await SafeImportWebTests.liveCodes(store, "altra")
            #expect(live.contains("ALT-FORM-1") && live.contains("ALT-VA-2027"))
            #expect(try await store.academy.offerings(ofCourse: course.id, ended: false, today: Day(Date())).first?.withdrawn == false)

            // Withdrawn by hand: it asks first, then it is out of the catalogue.
            let asked = try await browser.post(path + "/terugtrekken", [])
            #expect(asked.body.contains("Cursus terugtrekken?"))
            #expect(try await SafeImportWebTests.liveCodes(store, "altra").contains("ALT-FORM-1"))
            #expect(try await browser.post(path + "/terugtrekken", [("bevestigd", "1")]).status == .seeOther)
            #expect(!(try await SafeImportWebTests.liveCodes(store, "altra").contains("ALT-FORM-1")))
            // Another organisation's adviser never reaches the form.
            let cordaan = Browser(browser.client)
            try await cordaan.login("hr@cordaan.doorstroom.test")
            let altraCourse = try #require(try await store.academy.courses(page: 1, pageSize: 100, organisation: try await store.organisations.find(slug: "altra")!.id).courses.first)
            #expect(try await cordaan.get("/beheer/cursussen/cursus/\(altraCourse.id.lowercased)").status == .notFound)
        }
    }

    /// Nothing changes until the adviser confirms; the confirmed import does what the
    /// preview said; when the catalogue changed in between, the new preview is shown
    /// instead and nothing is imported.
    @Test func nothingChangesUntilConfirmedAndTheResultIsThePreview() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            try await browser.get("/beheer/cursussen")
            let before = try await Self.snapshot(store, "altra")
            let imports = try await store.pool.query("SELECT count(*)::int FROM catalogue_import").first(decoding: Int.self)
            var page = try await upload(browser, organisation: "altra", file: AcademyWebTests.example)
            #expect(page.body.contains("Er is nog niets veranderd. Cursussen: 2 nieuw, 0 gewijzigd, 0 ongewijzigd, \(before.count) teruggetrokken."))
            #expect(try await Self.snapshot(store, "altra") == before)
            #expect(try await store.pool.query("SELECT count(*)::int FROM catalogue_import").first(decoding: Int.self) == imports, "a preview is not logged as an import")
            // Confirmed: exactly that.
            page = try await confirmShown(browser, page)
            #expect(page.body.contains("Cursussen: 2 nieuw, 0 gewijzigd, 0 ongewijzigd, \(before.count) teruggetrokken."))
            #expect(try await SafeImportWebTests.liveCodes(store, "altra") == ["ALT-SOS-E", "ALT-VA-2027"])

            // A preview, then the catalogue changes (a course made in the form takes a code the file has): the confirmation shows the new preview.
            let changed = AcademyWebTests.example.replacingOccurrences(of: "Verklarende Analyse in de praktijk", with: "Verklarende Analyse, herzien")
            page = try await upload(browser, organisation: "altra", file: changed)
            #expect(page.body.contains("Cursussen: 0 nieuw, 1 gewijzigd"))
            _ = try await store.pool.query(
                "UPDATE course SET name = 'Verklarende Analyse, herzien', names = jsonb_set(names, '{0,value}', '\"Verklarende Analyse, herzien\"') WHERE primary_code = 'ALT-VA-2027'")
            let middle = try await Self.snapshot(store, "altra")
            page = try await confirmShown(browser, page)
            #expect(page.body.contains("Je catalogus is veranderd sinds je vorige voorbeeld"))
            #expect(page.body.contains("Cursussen: 0 nieuw, 0 gewijzigd, 2 ongewijzigd"))
            #expect(try await Self.snapshot(store, "altra") == middle, "nothing was imported")
        }
    }

    /// The format is described on the site, with templates that import without a rejection.
    @Test func theFormatPageAndItsTemplates() async throws {
        try await TestApp.withDemo { browser, _ in
            let page = try await browser.get("/academie/formaat")
            #expect(page.status == .ok)
            #expect(page.body.contains("href=\"/static/sjablonen/catalogus.csv\"") && page.body.contains("href=\"/static/sjablonen/catalogus.json\""))
            for column in CatalogueParser.csvColumns { #expect(page.body.contains("<code>\(column)</code>"), "\(column) is explained") }
            let csv = try await browser.get("/static/sjablonen/catalogus.csv")
            #expect(csv.status == .ok)
            let fromCSV = CatalogueParser.parse(csv: csv.body)
            #expect(fromCSV.rejected.isEmpty, "\(fromCSV.rejected)")
            #expect(fromCSV.courses.count == 2 && fromCSV.offerings.count == 2)
            let json = try await browser.get("/static/sjablonen/catalogus.json")
            #expect(json.status == .ok)
            let fromJSON = CatalogueParser.parse(json: Data(json.body.utf8))
            #expect(fromJSON.rejected.isEmpty, "\(fromJSON.rejected)")
            #expect(fromJSON.courses.count == 2 && fromJSON.offerings.count == 1)
        }
    }

    /// The provider's offerings table leaves ended offerings out unless asked.
    @Test func endedOfferingsAreHiddenUnlessAsked() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            try await browser.get("/beheer/cursussen/nieuw")
            let made = try await browser.post("/beheer/cursussen/nieuw", Self.fields(code: "ALT-OUD", name: "Oude cursus"))
            let path = try #require(made.location?.split(separator: "?").first.map(String.init))
            let course = try #require(UUID(uuidString: String(path.split(separator: "/").last ?? "")))
            _ = try await store.pool.query(
                """
                INSERT INTO course_offering (course_id, primary_code, start_date, end_date, origin)
                VALUES (\(course), 'OUD-1', current_date - 40, current_date - 39, 'form'), (\(course), 'NIEUW-1', current_date + 10, current_date + 11, 'form')
                """)
            let now = try await browser.get(path)
            #expect(now.body.contains("NIEUW-1") && !now.body.contains("OUD-1"))
            let all = try await browser.get(path + "?afgelopen=1")
            #expect(all.body.contains("NIEUW-1") && all.body.contains("OUD-1"))
            let list = try await browser.get("/beheer/cursussen")
            #expect(list.body.contains("Ook afgelopen tonen"))
            let old = try await browser.get("/beheer/cursussen?afgelopen=1")
            #expect(old.body.components(separatedBy: "Oude cursus</a></td><td data-label=\"Wanneer\">").count - 1 == 2)
            #expect(list.body.components(separatedBy: "Oude cursus</a></td><td data-label=\"Wanneer\">").count - 1 == 1)
        }
    }
}
