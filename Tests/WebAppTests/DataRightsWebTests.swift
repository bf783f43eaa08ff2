import Domain
import Foundation
import HTTPTypes
import Hummingbird
import PQ
import Store
import TestSupport
import Testing

@Suite("Inbox and data rights, through the pages")
struct DataRightsWebTests {
    @Test func anApplicationMovedOnShowsInTheApplicantsInboxAndOpensWhereItLeads() async throws {
        try await TestApp.withDemo { browser, store in
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test"))
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let posting = try #require(try await store.pool.query(
                """
                SELECT id FROM posting WHERE organisation_id = \(altra.id) AND status = 'published' AND kind = 'vacancy'
                  AND (closing_date IS NULL OR closing_date >= current_date) ORDER BY created_at LIMIT 1
                """).first(decoding: UUID.self))
            let title = try #require(try await store.postings.find(id: posting)).details.title
            let application = try await store.applications.apply(to: posting, applicant: priya.id, motivation: "Graag, ik ben er klaar voor.")

            try await browser.login("professional@doorstroom.test")
            // The demo's matching proposed her shifts: she was told. She reads them all.
            #expect(try await browser.get("/mijn/berichten").body.contains("voor je voorgesteld"))
            #expect(try await browser.post("/mijn/berichten/gelezen", []).status == .seeOther)
            #expect(try await browser.get("/mijn/berichten").body.contains("<h1>Meldingen</h1>"))
            // The inbox's first address sends on to it for good.
            let old = try await browser.get("/meldingen")
            #expect(old.status == .movedPermanently && old.location == "/mijn/berichten")
            #expect(try await store.notifications.unreadCount(of: priya.id) == 0)

            let hr = Browser(browser.client)
            try await hr.login("hr@altra.doorstroom.test")
            _ = try await hr.get("/beheer/sollicitaties/\(application.lowercased)")
            let moved = try await hr.post("/beheer/sollicitaties/\(application.lowercased)/status", [("status", "invited")])
            #expect(moved.status == .seeOther)

            let inbox = try await browser.get("/mijn/berichten")
            #expect(inbox.body.contains("Meldingen (1 nieuw)"))
            #expect(inbox.body.contains("Altra nodigt je uit voor een gesprek over"))
            #expect(inbox.body.contains(title.replacingOccurrences(of: "&", with: "&amp;")))
            let id = try #require(try await store.notifications.inbox(of: priya.id).first).id
            let opened = try await browser.post("/mijn/berichten/\(id.lowercased)/openen", [])
            #expect(opened.status == .seeOther && opened.location == "/mijn/sollicitaties")
            #expect(try await store.notifications.unreadCount(of: priya.id) == 0)
            // Someone else's notification does not exist for the HR adviser.
            _ = try await hr.get("/mijn/berichten")
            #expect(try await hr.post("/mijn/berichten/\(id.lowercased)/openen", []).status == .notFound)
        }
    }

    @Test func theDownloadIsJSONAboutThePersonOnly() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("professional@doorstroom.test")
            let page = try await browser.get("/mijn/gegevens")
            #expect(page.status == .ok && page.body.contains("href=\"/mijn/gegevens/download\""))
            let download = try await browser.get("/mijn/gegevens/download")
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/json; charset=utf-8")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"doorstroom-mijn-gegevens-") == true)
            let export = try #require(try JSONSerialization.jsonObject(with: Data(download.body.utf8)) as? [String: Any])
            #expect((export["account"] as? [String: Any])?["email"] as? String == "professional@doorstroom.test")
            #expect(!download.body.contains("hr@altra.doorstroom.test"))

            let hr = Browser(browser.client)
            try await hr.login("hr@altra.doorstroom.test")
            let theirs = try await hr.get("/mijn/gegevens/download")
            #expect(theirs.status == .ok && !theirs.body.contains("professional@doorstroom.test"))
            // A visitor is sent to the login.
            #expect(try await Browser(browser.client).get("/mijn/gegevens/download").status == .seeOther)
        }
    }

    @Test func erasingNeedsThePasswordAndTheWordThenEndsEverySessionForGood() async throws {
        try await TestApp.withDemo { browser, store in
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test"))
            try await browser.login("professional@doorstroom.test")
            let elsewhere = Browser(browser.client)
            try await elsewhere.login("professional@doorstroom.test")

            _ = try await browser.get("/mijn/gegevens")
            let wrong = try await browser.post("/mijn/gegevens/verwijderen", [("password", "niet mijn wachtwoord"), ("confirm", "verwijder")])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.contains("Dit wachtwoord klopt niet.") && wrong.body.contains("Typ VERWIJDER (in hoofdletters) om te bevestigen."))
            #expect(try await store.accounts.find(id: priya.id)?.email == "professional@doorstroom.test")
            #expect(try await browser.get("/mijn").status == .ok)

            let erased = try await browser.post("/mijn/gegevens/verwijderen", [("password", "doorstroom-demo"), ("confirm", "VERWIJDER")])
            #expect(erased.status == .seeOther && erased.location == "/?gewist=1")
            #expect(try await browser.get("/?gewist=1").body.contains("Je account is verwijderd"))
            // Both sessions are gone; the old address and password lead nowhere.
            #expect(try await elsewhere.get("/mijn").status == .seeOther)
            let again = try await Browser(browser.client).login("professional@doorstroom.test")
            #expect(again.status == .unauthorized)
            let account = try #require(try await store.accounts.find(id: priya.id))
            #expect(account.email.hasSuffix("@verwijderd.invalid") && account.displayName.hasPrefix("Verwijderd account"))
        }
    }
}
