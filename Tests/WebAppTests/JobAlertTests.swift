import Domain
import Foundation
import HTTPTypes
import Mail
import NIOCore
import PQ
import Store
import Testing

/// Publishes a posting of `organisation` now.
private func publish(_ store: Store, _ title: String, organisation: String = "altra", function: String = "jeugdhulpverlener",
                     closing: Day? = nil) async throws -> UUID {
    let owner = try #require(try await store.organisations.find(slug: organisation))
    let id = try await store.postings.create(
        PostingDetails(kind: .vacancy, title: title, functionCode: function, municipality: .amsterdam, areaSlug: "oost",
                       closingDate: closing, description: "Een vacature om te testen."),
        organisation: owner.id, by: nil).id
    _ = try await store.postings.setStatus(id, organisation: owner.id, to: .published, by: nil)
    return id
}

@Suite("Saved postings and job alerts")
struct JobAlertTests {
    /// A saved search mails each new matching posting once, however many instances send
    /// at the same time and however often they look; postings that do not match, or
    /// that were there before the search was saved, never come. Its one-click
    /// unsubscribe works without logging in (and without a CSRF token).
    @Test func anAlertMailsEachNewMatchingPostingOnceAndUnsubscribeWorksWithoutLogin() async throws {
        try await TestApp.withDemo { browser, store in
            let before = try await publish(store, "Crisisbegeleider Zeeburg (al eerder)")
            try await browser.login("professional@doorstroom.test")
            let list = try await browser.get("/vacatures?q=crisisbegeleider")
            #expect(list.body.contains("Zoekopdracht bewaren"))
            let saved = try await browser.post("/mijn/vacaturealerts", [("zoekopdracht", "q=crisisbegeleider"), ("frequentie", "daily")])
            #expect(saved.status == .seeOther)
            let account = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            #expect(try await browser.get("/mijn/vacaturealerts").body.contains("&quot;crisisbegeleider&quot;"))

            let first = try await publish(store, "Crisisbegeleider Noord")
            _ = try await publish(store, "Pedagogisch medewerker Oost", function: "pedagogisch-medewerker")
            func sendTwice(_ now: Date) async throws {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<2 { group.addTask { try await store.jobAlerts.sendAlerts(now: now) } }
                    for try await _ in group {}
                }
            }
            func mails() async throws -> [(String, String?)] {
                try await store.pool.query(
                    "SELECT body, unsubscribe FROM notification WHERE account_id = \(account) AND kind = 'job_alert' ORDER BY created_at"
                ).decode((String, String?).self)
            }
            try await sendTwice(Date())
            var sent = try await mails()
            #expect(sent.count == 1)
            #expect(sent.first?.0.contains("Crisisbegeleider Noord") == true)
            #expect(sent.first?.0.contains("Pedagogisch medewerker Oost") == false, "only what matches")
            #expect(sent.first?.0.contains("al eerder") == false, "only what is new since the search was saved")
            _ = before

            // Not due again within the day; the next day, only the posting that is new.
            try await sendTwice(Date().addingTimeInterval(3600))
            #expect(try await mails().count == 1)
            let second = try await publish(store, "Crisisbegeleider West")
            try await sendTwice(Date().addingTimeInterval(86_400))
            sent = try await mails()
            #expect(sent.count == 2)
            #expect(sent.last?.0.contains("Crisisbegeleider West") == true && sent.last?.0.contains("Crisisbegeleider Noord") == false)
            try await sendTwice(Date().addingTimeInterval(2 * 86_400))
            #expect(try await mails().count == 2, "nothing new, no mail")
            #expect(try await store.pool.query("SELECT count(*) FROM job_alert_sent").first(decoding: Int.self) == 2)
            _ = (first, second)

            // Unsubscribe, as a mail program does it: one POST, no session, no token but the link's.
            let path = try #require(sent.last?.1)
            #expect(path.hasPrefix("/vacaturealerts/afmelden/"))
            let stranger = Browser(browser.client)
            let page = try await stranger.get(path)
            #expect(page.status == .ok && page.body.contains("crisisbegeleider"))
            let oneClick = try await stranger.send(path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                   body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(oneClick.status == .ok)
            #expect(try await store.jobAlerts.alerts(of: account).isEmpty)
            #expect(try await stranger.send(path, method: .post, headers: [:], body: nil).status == .notFound, "a used link does nothing more")
            #expect(try await stranger.get("/vacaturealerts/afmelden/" + String(repeating: "x", count: 43)).status == .notFound)
        }
    }

    /// The mail itself carries RFC 8058's two headers, pointing at the site.
    @Test func anAlertMailCarriesTheOneClickUnsubscribeHeaders() {
        let message = MailMessage(to: "a@example.org", toName: "A", subject: "Nieuwe vacature", text: "tekst", messageID: "x@doorstroom",
                                  unsubscribe: "https://doorstroom.example/vacaturealerts/afmelden/abc")
        let rendered = message.rendered(from: "noreply@doorstroom.example", date: Date())
        #expect(rendered.contains("List-Unsubscribe: <https://doorstroom.example/vacaturealerts/afmelden/abc>\r\n"))
        #expect(rendered.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        let plain = MailMessage(to: "a@example.org", toName: "A", subject: "S", text: "t", messageID: "y@doorstroom")
        #expect(!plain.rendered(from: "noreply@doorstroom.example", date: Date()).contains("List-Unsubscribe"))
    }

    /// A saved posting shows on /mijn/bewaard; three days before it closes its saver is
    /// reminded once (two instances at once); letting it go removes it.
    @Test func aSavedPostingIsListedAndRemindedOnceBeforeItCloses() async throws {
        try await TestApp.withDemo { browser, store in
            let today = Day(Date())
            let posting = try await publish(store, "Gedragswetenschapper Diemen", closing: AmsterdamTime.adding(10, to: today))
            try await browser.login("student@doorstroom.test")
            let page = try await browser.get("/vacatures/\(posting.lowercased)")
            #expect(page.body.contains(">Bewaren<"))
            let save = try await browser.post("/vacatures/\(posting.lowercased)/bewaren", [("bewaren", "ja")])
            #expect(save.status == .seeOther)
            #expect(try await browser.get("/vacatures/\(posting.lowercased)?gelukt=bewaard").body.contains("Niet meer bewaren"))
            #expect(try await browser.get("/mijn/bewaard").body.contains("Gedragswetenschapper Diemen"))

            let account = try #require(try await store.accounts.find(email: "student@doorstroom.test")).id
            func reminders() async throws -> Int {
                try await store.pool.query(
                    "SELECT count(*) FROM notification WHERE account_id = \(account) AND kind = 'posting_closing'").first(decoding: Int.self) ?? 0
            }
            _ = try await store.jobAlerts.remindClosing(today: today)
            #expect(try await reminders() == 0, "not yet: ten days to go")
            let threeBefore = AmsterdamTime.adding(7, to: today)
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 { group.addTask { try await store.jobAlerts.remindClosing(today: threeBefore) } }
                for try await _ in group {}
            }
            #expect(try await reminders() == 1)
            _ = try await store.jobAlerts.remindClosing(today: AmsterdamTime.adding(1, to: threeBefore))
            #expect(try await reminders() == 1)

            let removed = try await browser.post("/mijn/bewaard/\(posting.lowercased)/verwijderen", [])
            #expect(removed.status == .seeOther)
            #expect(!(try await browser.get("/mijn/bewaard").body.contains("Gedragswetenschapper Diemen")))
            // An unknown posting cannot be saved.
            #expect(try await browser.post("/vacatures/\(UUID().lowercased)/bewaren", [("bewaren", "ja")]).status == .notFound)
        }
    }
}
