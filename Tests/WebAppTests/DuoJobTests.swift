import Domain
import Foundation
import HTTPTypes
import Hummingbird
import PQ
import Store
import TestSupport
import Testing

@Suite("Duo jobs")
struct DuoJobTests {
    @Test func aDuoPostingShowsWhoLooksForAPartnerAndTwoApplyTogether() async throws {
        try await TestApp.withDemo { browser, store in
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            // A published duo job of Altra for jeugdhulpverleners.
            let posting = try await store.postings.create(
                PostingDetails(kind: .vacancy, title: "Jeugdhulpverlener duobaan Oost", functionCode: "jeugdhulpverlener",
                               municipality: .amsterdam, areaSlug: "oost", description: "Samen één baan.", duoSuitable: true),
                organisation: altra.id, by: nil).id
            _ = try await store.postings.setStatus(posting, organisation: altra.id, to: .published, by: nil)
            // A colleague looking for a duo partner (interest and consent), and one who is not.
            let seekers = try await store.pool.query(
                """
                SELECT f.account_id FROM professional_function f JOIN account a ON a.id = f.account_id
                WHERE f.function_code = 'jeugdhulpverlener' AND a.email <> 'professional@doorstroom.test' ORDER BY a.id LIMIT 2
                """).decode(UUID.self)
            try #require(seekers.count == 2)
            let seeker = try #require(try await store.accounts.find(id: seekers[0]))
            let other = try #require(try await store.accounts.find(id: seekers[1]))
            _ = try await store.pool.query(
                "UPDATE professional SET interests = array_append(array_remove(interests, 'duo_job'), 'duo_job') WHERE account_id = \(seeker.id)")
            try await store.profiles.give(.contactMobility, by: seeker.id)
            _ = try await store.pool.query("UPDATE professional SET interests = array_remove(interests, 'duo_job') WHERE account_id = \(other.id)")

            // A visitor sees nobody; a logged-in professional sees the seeker with their address.
            #expect(!(try await Browser(browser.client).get("/vacatures/\(posting.lowercased)").body.contains(seeker.email)))
            try await browser.login("professional@doorstroom.test")
            let page = try await browser.get("/vacatures/\(posting.lowercased)")
            #expect(page.body.contains("Zoeken een duopartner voor deze functie") && page.body.contains("mailto:\(seeker.email)"))
            #expect(!page.body.contains(other.email))

            // Naming someone who is not looking is refused with a message, and nothing is stored.
            let refused = try await browser.post("/vacatures/\(posting.lowercased)/solliciteren", [
                ("motivation", "Samen met een collega wil ik deze baan delen."), ("duo_partner", other.email),
            ])
            #expect(refused.status == .unprocessableContent && refused.body.contains("geen collega die openstaat voor een duobaan"))
            #expect(try await store.pool.query("SELECT count(*)::int FROM application WHERE posting_id = \(posting)").first(decoding: Int.self) == 0)

            let applied = try await browser.post("/vacatures/\(posting.lowercased)/solliciteren", [
                ("motivation", "Samen met een collega wil ik deze baan delen."), ("duo_partner", seeker.email.uppercased()),
            ])
            #expect(applied.status == .seeOther)
            #expect(try await browser.get("/mijn/sollicitaties").body.contains("Als duo met \(seeker.displayName) (wacht op bevestiging)"))
            #expect(try await store.notifications.inbox(of: seeker.id).contains { $0.kind == .duoRequest })

            // The partner confirms; the HR adviser sees a confirmed duo application.
            let requests = try await store.applications.duoRequests(for: seeker.id)
            let application = try #require(requests.first).applicationID
            _ = try await store.pool.query("UPDATE account SET password_hash = (SELECT password_hash FROM account WHERE email = 'professional@doorstroom.test') WHERE id = \(seeker.id)")
            let partner = Browser(browser.client)
            try await partner.login(seeker.email)
            #expect(try await partner.get("/mijn/sollicitaties").body.contains("Gevraagd als duopartner"))
            #expect(try await partner.post("/mijn/sollicitaties/\(application.lowercased)/duo", [("antwoord", "ja")]).status == .seeOther)
            // Once is enough: a second answer finds nothing to answer.
            #expect(try await partner.post("/mijn/sollicitaties/\(application.lowercased)/duo", [("antwoord", "nee")]).status == .notFound)
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            #expect(try await store.notifications.inbox(of: priya).contains { $0.subject == "\(seeker.displayName) solliciteert samen met jou" })
            let hr = Browser(browser.client)
            try await hr.login("hr@altra.doorstroom.test")
            #expect(try await hr.get("/beheer/sollicitaties/\(application.lowercased)").body.contains("samen met \(seeker.displayName) (bevestigd door de duopartner)"))
            // Someone else cannot answer for the partner.
            #expect(try await hr.post("/mijn/sollicitaties/\(application.lowercased)/duo", [("antwoord", "ja")]).status == .notFound)
        }
    }

    @Test func aPartnerWhoDeclinesLeavesTheApplicationToTheApplicantAlone() async throws {
        try await TestApp.withDemo { browser, store in
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let posting = try await store.postings.create(
                PostingDetails(kind: .vacancy, title: "Gezinscoach duobaan", functionCode: "jeugdhulpverlener",
                               municipality: .amsterdam, description: "Samen één baan.", duoSuitable: true),
                organisation: altra.id, by: nil).id
            _ = try await store.postings.setStatus(posting, organisation: altra.id, to: .published, by: nil)
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            let seekerID = try #require(try await store.pool.query(
                """
                SELECT f.account_id FROM professional_function f JOIN account a ON a.id = f.account_id
                WHERE f.function_code = 'jeugdhulpverlener' AND a.id <> \(priya) ORDER BY a.id LIMIT 1
                """).first(decoding: UUID.self))
            let seeker = try #require(try await store.accounts.find(id: seekerID))
            _ = try await store.pool.query(
                "UPDATE professional SET interests = array_append(array_remove(interests, 'duo_job'), 'duo_job') WHERE account_id = \(seeker.id)")
            try await store.profiles.give(.contactMobility, by: seeker.id)
            let application = try await store.applications.apply(
                to: posting, applicant: priya, motivation: "Samen met een collega wil ik deze baan delen.", duoPartner: seeker.id)

            _ = try await store.pool.query("UPDATE account SET password_hash = (SELECT password_hash FROM account WHERE id = \(priya)) WHERE id = \(seeker.id)")
            try await browser.login(seeker.email)
            _ = try await browser.get("/mijn/sollicitaties")
            let declined = try await browser.post("/mijn/sollicitaties/\(application.lowercased)/duo", [("antwoord", "nee")])
            #expect(declined.status == .seeOther && declined.location == "/mijn/sollicitaties?gelukt=duo-nee")
            // The application goes on, without a partner; the applicant is told; nothing is left to answer.
            let mine = try #require(try await store.applications.mine(priya).first { $0.id == application })
            #expect(mine.status == .submitted && mine.duoPartnerName == nil && !mine.duoConfirmed)
            #expect(try await store.notifications.inbox(of: priya).contains { $0.subject == "\(seeker.displayName) solliciteert niet samen met jou" })
            #expect(try await store.applications.duoRequests(for: seeker.id).isEmpty)
        }
    }

    @Test func theDatabaseRefusesAPartnerOnAPostingThatIsNoDuoJob() async throws {
        try await TestApp.withDemo { _, store in
            let application = try #require(try await store.pool.query(
                """
                SELECT a.id FROM application a JOIN posting p ON p.id = a.posting_id WHERE NOT p.duo_suitable ORDER BY a.id LIMIT 1
                """).first(decoding: UUID.self))
            let someone = try #require(try await store.accounts.find(email: "student@doorstroom.test")).id
            await #expect(throws: PostgresError.self) {
                _ = try await store.pool.query("UPDATE application SET duo_partner_id = \(someone) WHERE id = \(application)")
            }
        }
    }
}
