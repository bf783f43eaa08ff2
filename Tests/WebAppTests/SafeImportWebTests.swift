import Domain
import Foundation
import HTTPTypes
import NIOCore
import PQ
import Store
import Testing
import TestSupport

/// Issue 23 through the page and the API: nothing changes until confirmed, a course
/// comes back with one button, the log shows every attempt to whom it belongs.
@Suite("Safe catalogue imports on the web") struct SafeImportWebTests {
    static func liveCodes(_ store: Store, _ slug: String) async throws -> [String] {
        try await store.pool.query(
            """
            SELECT c.primary_code FROM course c JOIN organisation o ON o.id = c.organisation_id
            WHERE o.slug = \(slug) AND c.withdrawn_at IS NULL ORDER BY 1
            """).decode(String.self)
    }

    @Test func anUploadThatWithdrawsTooMuchWaitsForTheAdvisersConfirmation() async throws {
        try await TestApp.withDemo { browser, store in
            let before = try await Self.liveCodes(store, "altra")
            try #require(before.count >= 3)
            try await browser.login("hr@altra.doorstroom.test")
            _ = try await browser.get("/beheer/cursussen")
            // The documented example holds none of Altra's demo courses: it would withdraw them all.
            var page = try await upload(browser, organisation: "altra", file: AcademyWebTests.example)
            #expect(page.status == .ok)
            #expect(page.body.contains("Er is nog niets veranderd"))
            #expect(page.body.contains("Let op: dit is meer dan een vijfde van je cursussen"))
            for code in before { #expect(page.body.contains("(\(code))</li>"), "the preview names \(code) as withdrawn") }
            let confirm = try #require(page.body.range(of: #"/beheer/cursussen/upload/([0-9a-f-]{36})/bevestigen"#, options: .regularExpression)
                .map { String(page.body[$0]) })
            #expect(try await Self.liveCodes(store, "altra") == before, "nothing changed before the confirmation")
            // Another organisation's adviser cannot confirm it.
            let other = Browser(browser.client)
            try await other.login("hr@cordaan.doorstroom.test")
            _ = try await other.get("/beheer/cursussen")
            #expect(try await other.post(confirm, []).status == .notFound)
            // Confirmed: exactly the file that was shown is imported.
            page = try await browser.post(confirm, [])
            #expect(page.status == .ok)
            let after = try await Self.liveCodes(store, "altra")
            #expect(after == ["ALT-SOS-E", "ALT-VA-2027"])
            #expect(page.body.contains("Teruggetrokken (binnen 30 dagen terug te zetten)"))
            // A confirmation is used once.
            #expect(try await browser.post(confirm, []).status == .notFound)
            // One of the withdrawn courses comes back with one button.
            page = try await browser.get("/beheer/cursussen")
            #expect(page.body.contains("Teruggetrokken door een import"))
            let restore = try #require(page.body.range(of: #"/beheer/cursussen/cursus/([0-9a-f-]{36})/terugzetten"#, options: .regularExpression)
                .map { String(page.body[$0]) })
            _ = try await other.get("/beheer/cursussen")
            #expect(try await other.post(restore, []).status == .notFound, "not Cordaan's course")
            page = try await browser.post(restore, [])
            #expect(page.status == .seeOther)
            #expect(try await Self.liveCodes(store, "altra").count == after.count + 1)
            // The log shows the import the adviser confirmed (a preview is not an import).
            page = try await browser.get("/beheer/cursussen")
            #expect(page.body.contains("Ingelezen (terugtrekken bevestigd)"))
        }
    }

    @Test func aCancelledUploadChangesNothing() async throws {
        try await TestApp.withDemo { browser, store in
            let before = try await Self.liveCodes(store, "altra")
            try await browser.login("hr@altra.doorstroom.test")
            _ = try await browser.get("/beheer/cursussen")
            let page = try await upload(browser, organisation: "altra", file: AcademyWebTests.example)
            let cancel = try #require(page.body.range(of: #"/beheer/cursussen/upload/([0-9a-f-]{36})/annuleren"#, options: .regularExpression)
                .map { String(page.body[$0]) })
            #expect(try await browser.post(cancel, []).status == .seeOther)
            #expect(try await browser.post(cancel.replacingOccurrences(of: "annuleren", with: "bevestigen"), []).status == .notFound)
            #expect(try await Self.liveCodes(store, "altra") == before)
        }
    }

    @Test func theAPIRefusesAFileWithoutAValidCourseAndWaitsForAllowWithdraw() async throws {
        try await TestApp.withDemo { browser, store in
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let token = try await store.apiTokens.create(organisation: altra.id, name: "LMS", by: nil)
            func put(_ body: String, query: String = "") async throws -> (Browser.Page, [String: Any]) {
                let page = try await browser.send("/api/v1/organisations/altra/catalogue" + query, method: .put,
                                                  headers: [.contentType: "application/json", .authorization: "Bearer " + token],
                                                  body: ByteBuffer(string: body))
                return (page, (try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any]) ?? [:])
            }
            let before = try await Self.liveCodes(store, "altra")
            var (page, report) = try await put(#"{"courses": [{"primaryCode": "X-1", "description": "zonder naam"}]}"#)
            #expect(page.status == .unprocessableContent)
            #expect(report["outcome"] as? String == "no_valid_course")
            (page, report) = try await put(AcademyWebTests.example)
            #expect(page.status == .conflict)
            #expect(report["outcome"] as? String == "needs_confirmation")
            #expect((report["withdrawn_courses"] as? [[String: Any]])?.count == before.count)
            #expect(try await Self.liveCodes(store, "altra") == before)
            (page, report) = try await put(AcademyWebTests.example, query: "?allow_withdraw=true")
            #expect(page.status == .ok)
            #expect((report["courses"] as? [String: Any])?["withdrawn"] as? Int == before.count)
            // The log names the system by its token's name, for every attempt.
            let log = try await store.academy.importLog(organisations: [altra.id])
            #expect(log.prefix(3).map(\.importedBy) == ["LMS", "LMS", "LMS"])
            #expect(log.prefix(3).map(\.outcome) == [.applied, .needsConfirmation, .noValidCourse])
        }
    }

    @Test func adminsSeeEveryOrganisationsImportsAndAdvisersTheirOwn() async throws {
        try await TestApp.withDemo { browser, store in
            let cordaan = try #require(try await store.organisations.find(slug: "cordaan"))
            _ = try await store.academy.importCatalogue(CatalogueParser.parse(json: Data("{".utf8)), organisation: cordaan.id, by: nil,
                                                        source: .api, allowWithdraw: false)
            try await browser.login("admin@doorstroom.test")
            var page = try await browser.get("/beheer/importlog")
            #expect(page.status == .ok)
            #expect(page.body.contains("Niets veranderd: bestand onleesbaar"))
            #expect(page.body.contains("Cordaan"))
            let hr = Browser(browser.client)
            try await hr.login("hr@altra.doorstroom.test")
            #expect(try await hr.get("/beheer/importlog").status == .forbidden)
            page = try await hr.get("/beheer/cursussen")
            #expect(!page.body.contains("Niets veranderd: bestand onleesbaar"), "Cordaan's attempt is not Altra's business")
        }
    }
}
