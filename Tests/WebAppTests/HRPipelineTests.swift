import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import PQ
import Store
import TestSupport
import Testing
import WebApp

/// A minimal PDF and a minimal DOCX (a ZIP whose part names say it is a Word document).
enum SampleFiles {
    static let pdf = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    static var docx: [UInt8] {
        var bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0, count: 26)
        bytes += Array("[Content_Types].xml<Types/>".utf8)
        bytes += [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0, count: 26)
        bytes += Array("word/document.xml<w:document/>".utf8)
        return bytes
    }
}

@Suite("The HR pipeline: notified of applications, counted per state, CVs kept safe")
struct HRPipelineTests {
    /// A student applies to an Altra internship: Altra's HR advisers (both) hear of it
    /// in their inbox and by mail, Cordaan's adviser does not.
    @Test func aNewApplicationNotifiesThePostingsAdvisersAndOnlyThem() async throws {
        try await TestApp.withDemo { browser, store in
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let second = try await store.accounts.create(
                NewAccount(email: "hr2@altra.doorstroom.test", displayName: "Tweede HR Altra", password: "", grant: RoleGrant(role: .hrAdviser, organisationID: altra.id)),
                passwordHash: nil, grantedBy: nil)
            let posting = try await makePosting(store, organisation: "altra", kind: .internship, title: "Stage Lepelaar")
            try await browser.login("student@doorstroom.test")
            try await browser.get("/vacatures/\(posting.id.lowercased)")
            let applied = try await browser.post("/vacatures/\(posting.id.lowercased)/solliciteren", [("motivation", "Ik wil graag bij jullie leren.")])
            #expect(applied.status == .seeOther)

            let recipients = try await store.pool.query(
                "SELECT a.email FROM notification n JOIN account a ON a.id = n.account_id WHERE n.kind = 'application_received' ORDER BY 1"
            ).decode(String.self)
            #expect(recipients == ["hr2@altra.doorstroom.test", "hr@altra.doorstroom.test"])
            let inbox = try await store.notifications.inbox(of: second.id)
            #expect(inbox.first?.subject.contains("Stage Lepelaar") == true)
            // The applicant's name stays out of the message (and the mail).
            #expect(inbox.first.map { !$0.subject.contains("Stijn Koster") && !$0.body.contains("Stijn Koster") } == true)
            #expect(inbox.first?.link == "/beheer/sollicitaties?vacature=\(posting.id.lowercased)")
            // The mail goes through the outbox like every notification.
            let mails = try await store.pool.query(
                "SELECT count(*)::int FROM notification WHERE kind = 'application_received' AND email_state = 'pending'"
            ).first(decoding: Int.self)
            #expect(mails == 2)
        }
    }

    /// The counts per state are the database's, for the whole organisation, for one
    /// posting and for a name; "nieuw" holds until the adviser has looked.
    @Test func thePipelinesCountsAreTheDatabasesAndNewMeansSinceLastLook() async throws {
        try await TestApp.withDemo { browser, store in
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let posting = try await makePosting(store, organisation: "altra", title: "Pijplijn Kwartel")
            let professional = try #require(try await store.accounts.find(email: "professional@doorstroom.test"))
            let application = try await store.applications.apply(to: posting.id, applicant: professional.id, motivation: "Graag, dit past mij goed.")
            let adviser = try #require(try await store.accounts.find(email: "hr@altra.doorstroom.test"))
            _ = try await store.applications.move(application, by: altra.id, adviser: adviser.id, to: .inReview)

            try await browser.login("hr@altra.doorstroom.test")
            let page = try await browser.get("/beheer/sollicitaties")
            #expect(page.status == .ok)
            let database = try await store.pool.query(
                """
                SELECT a.status, count(*)::int FROM application a JOIN posting p ON p.id = a.posting_id
                WHERE p.organisation_id = \(altra.id) AND a.status <> 'withdrawn' GROUP BY a.status
                """
            ).decode((String, Int).self)
            #expect(!database.isEmpty)
            for state in ApplicationStatus.allCases where state != .withdrawn {
                let count = database.first { $0.0 == state.rawValue }?.1 ?? 0
                #expect(page.body.contains("id=\"stand-\(state.rawValue)\"><a href=\"/beheer/sollicitaties?stand=\(state.rawValue)\">\(state.label)</a> <span class=\"count\">\(count)</span>"),
                        "\(state) should count \(count)")
            }
            // One posting: its one application, in review, and new the first time only.
            let one = try await browser.get("/beheer/sollicitaties?vacature=\(posting.id.lowercased)")
            #expect(one.body.contains("Pijplijn Kwartel"))
            #expect(one.body.contains("stand-in_review\"><a href=\"/beheer/sollicitaties?vacature=\(posting.id.lowercased)&amp;stand=in_review\">In behandeling</a> <span class=\"count\">1</span>"))
            // It was new on the first look (the whole list), not since.
            let card = try #require(page.body.range(of: "Pijplijn Kwartel · "))
            let before = page.body[..<card.lowerBound].suffix(250)
            #expect(before.contains("<span class=\"tag new\">nieuw</span>"))
            #expect(!one.body.contains("<span class=\"tag new\">nieuw</span>"))
            // A search on name, any case; another name finds nothing.
            let name = professional.displayName.split(separator: " ").last.map(String.init) ?? professional.displayName
            let found = try await browser.get("/beheer/sollicitaties?vacature=\(posting.id.lowercased)&naam=\(Browser.encode(name.uppercased()))")
            #expect(found.body.contains(professional.displayName))
            let none = try await browser.get("/beheer/sollicitaties?vacature=\(posting.id.lowercased)&naam=Zzyzx")
            #expect(!none.body.contains(professional.displayName))
            // A date after today leaves nothing; a state filter shows one section.
            let later = try await browser.get("/beheer/sollicitaties?vacature=\(posting.id.lowercased)&vanaf=\(day(2).iso)")
            #expect(!later.body.contains(professional.displayName))
            let reviewing = try await browser.get("/beheer/sollicitaties?stand=in_review")
            #expect(!reviewing.body.contains("id=\"stand-submitted\""))
        }
    }

    /// A CV of the wrong type or over 5 MB is refused with a message and nothing is
    /// stored; a good one is served only to the posting organisation's advisers, as an
    /// attachment; erasure removes it.
    @Test func aCVIsCheckedByContentServedOnlyToTheAdvisersAndErased() async throws {
        try await TestApp.withDemo { browser, store in
            let posting = try await makePosting(store, organisation: "altra", title: "Cv Roerdomp")
            let path = "/vacatures/\(posting.id.lowercased)/solliciteren"
            func count(_ table: String) async throws -> Int {
                try await store.pool.query(SQL(unsafe: "SELECT count(*)::int FROM \(table)")).first(decoding: Int.self) ?? 0
            }
            let applicationsBefore = try await count("application")
            try await browser.login("professional@doorstroom.test")
            try await browser.get("/vacatures/\(posting.id.lowercased)")
            let fields = [("motivation", "Ik wil hier graag werken."), ("phone", "06 1234 5678")]
            // A text file named .pdf.
            let fake = try await browser.postMultipart(path, fields: fields, files: [("cv", "cv.pdf", "application/pdf", Array("gewoon tekst".utf8))])
            #expect(fake.status == .unprocessableContent)
            #expect(fake.body.contains("PDF- of Word-bestand"))
            // Over 5 MB.
            let big = try await browser.postMultipart(path, fields: fields, files: [("cv", "cv.pdf", "application/pdf", SampleFiles.pdf + Array(repeating: 32, count: 5 * 1024 * 1024))])
            #expect(big.status == .unprocessableContent)
            #expect(big.body.contains("te groot"))
            // A bad phone number.
            let phone = try await browser.postMultipart(path, fields: [("motivation", "Ik wil hier graag werken."), ("phone", "bel me")], files: [])
            #expect(phone.status == .unprocessableContent)
            #expect(phone.body.contains("telefoonnummer"))
            #expect(try await count("application") == applicationsBefore)
            #expect(try await count("application_cv") == 0)
            // A Word file, named oddly: its content decides.
            let good = try await browser.postMultipart(path, fields: fields, files: [("cv", "../mijn cv (def).bin", "application/octet-stream", SampleFiles.docx)])
            #expect(good.status == .seeOther)
            let id = try #require(try await store.pool.query("SELECT id FROM application WHERE posting_id = \(posting.id)").first(decoding: UUID.self))

            // Altra's adviser downloads it.
            let altraAdviser = Browser(browser.client)
            try await altraAdviser.login("hr@altra.doorstroom.test")
            let detail = try await altraAdviser.get("/beheer/sollicitaties/\(id.lowercased)")
            #expect(detail.body.contains("06 1234 5678"))
            #expect(detail.body.contains("mijn cv (def).docx"))
            let download = try await altraAdviser.get("/beheer/sollicitaties/\(id.lowercased)/cv")
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == CurriculumVitae.Kind.docx.rawValue)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"mijn cv (def).docx\"") == true)
            #expect(Array(download.body.utf8) == SampleFiles.docx)
            // Cordaan's adviser, the applicant and a visitor do not.
            let cordaan = Browser(browser.client)
            try await cordaan.login("hr@cordaan.doorstroom.test")
            #expect(try await cordaan.get("/beheer/sollicitaties/\(id.lowercased)/cv").status == .notFound)
            #expect(try await browser.get("/beheer/sollicitaties/\(id.lowercased)/cv").status == .forbidden)
            #expect(try await Browser(browser.client).get("/beheer/sollicitaties/\(id.lowercased)/cv").status != .ok)

            // Erasure of the applicant removes the CV and the phone number.
            let professional = try #require(try await store.accounts.find(email: "professional@doorstroom.test"))
            #expect(try await store.dataRights.erase(professional.id))
            #expect(try await count("application_cv") == 0)
            #expect(try await altraAdviser.get("/beheer/sollicitaties/\(id.lowercased)/cv").status == .notFound)
        }
    }

    /// Retention removes a rejected application's CV with its motivation.
    @Test func retentionRemovesTheCVWithTheMotivation() async throws {
        try await TestDatabase.withStore { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 5)
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let posting = try await makePosting(store, organisation: "altra", title: "Bewaren Grutto")
            let professional = try #require(try await store.accounts.find(email: "professional@doorstroom.test"))
            let cv = try CurriculumVitae.check(fileName: "cv.pdf", content: SampleFiles.pdf).get()
            let id = try await store.applications.apply(to: posting.id, applicant: professional.id, motivation: "Graag, dit past mij goed.", phone: "0612345678", cv: cv)
            _ = try await store.applications.move(id, by: altra.id, adviser: nil, to: .rejected)
            _ = try await store.dataRights.applyRetention(now: Date().addingTimeInterval(40 * 86_400))
            let (motivation, phone, cvs) = try #require(try await store.pool.query(
                "SELECT motivation, phone, (SELECT count(*)::int FROM application_cv WHERE application_id = \(id)) FROM application WHERE id = \(id)"
            ).first(decoding: (String?, String?, Int).self))
            #expect(motivation == nil && phone == nil && cvs == 0)
        }
    }

    /// The postings list hides closed and filled postings unless asked, filters by kind
    /// and finds by title, 25 to a page.
    @Test func thePostingsListFiltersSearchesAndPages() async throws {
        try await TestApp.withDemo { browser, store in
            _ = try await makePosting(store, organisation: "altra", title: "Gesloten Fuut", status: .closed)
            _ = try await makePosting(store, organisation: "altra", kind: .shadowDay, title: "Meeloop Fuut")
            for index in 0..<30 { _ = try await makePosting(store, organisation: "altra", title: "Reeks Dodaars \(index)", status: .draft) }
            try await browser.login("hr@altra.doorstroom.test")
            let first = try await browser.get("/beheer/vacatures")
            #expect(!first.body.contains("Gesloten Fuut"))
            #expect(first.body.contains("Pagina 1 van"))
            #expect(first.body.components(separatedBy: "<td data-label=\"Titel\">").count - 1 == 25)
            let all = try await browser.get("/beheer/vacatures?stand=alle&q=fuut")
            #expect(all.body.contains("Gesloten Fuut") && all.body.contains("Meeloop Fuut"))
            let shadow = try await browser.get("/beheer/vacatures?soort=shadow_day&q=fuut")
            #expect(shadow.body.contains("Meeloop Fuut") && !shadow.body.contains("Gesloten Fuut"))
            let search = try await browser.get("/beheer/vacatures?q=dodaars&pagina=2")
            #expect(search.body.components(separatedBy: "<td data-label=\"Titel\">").count - 1 == 5)
            #expect(search.body.contains("rel=\"prev\""))
        }
    }
}
