import Domain
import Foundation
import HTTPTypes
import Hummingbird
import PQ
import Store
import TestSupport
import Testing

@Suite("Profiles and consent") struct ProfileTests {
    static func priya(_ store: Store) async throws -> UUID {
        try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
    }

    static func profileViews(_ store: Store, of subject: UUID) async throws -> Int {
        try await store.pool.query(
            "SELECT count(*) FROM audit_log WHERE action = 'profile.view' AND subject_account_id = \(subject)"
        ).first(decoding: Int.self) ?? -1
    }

    static func consent(_ browser: Browser, _ purpose: ConsentPurpose, give: Bool) async throws {
        _ = try await browser.get("/mijn/profiel")
        let answer = try await browser.post("/mijn/profiel/toestemming", [("purpose", purpose.rawValue), ("give", give ? "1" : "0")])
        #expect(answer.status == .seeOther)
    }

    @Test func withoutConsentAnotherOrganisationFindsNothingAndGets404WithConsentTheViewIsAudited() async throws {
        try await TestApp.withDemo { browser, store in
            let priya = try await Self.priya(store)
            let hr = Browser(browser.client)
            try await hr.login("hr@altra.doorstroom.test")
            try await browser.login("professional@doorstroom.test")
            let search = "/beheer/profielen?zoeken=1&functie=jeugdhulpverlener"

            // No consent: not found, and the profile does not exist for Altra (Priya works at Spirit).
            #expect(!(try await hr.get(search).body.contains("Priya")))
            #expect(try await hr.get("/beheer/profielen/\(priya.lowercased)?reden=vacancy").status == .notFound)
            #expect(try await hr.get("/beheer/profielen/\(priya.lowercased)").status == .notFound)
            #expect(try await Self.profileViews(store, of: priya) == 0)

            // With consent: found; opening asks why first and writes nothing until then.
            try await Self.consent(browser, .profileSearch, give: true)
            let found = try await hr.get(search)
            #expect(found.body.contains("href=\"/beheer/profielen/\(priya.lowercased)\""))
            let ask = try await hr.get("/beheer/profielen/\(priya.lowercased)")
            #expect(ask.status == .ok && ask.body.contains("Waarom open je dit profiel?"))
            #expect(try await Self.profileViews(store, of: priya) == 0)
            let opened = try await hr.get("/beheer/profielen/\(priya.lowercased)?reden=vacancy")
            #expect(opened.status == .ok && opened.body.contains("Jeugdhulpverlener") && opened.body.contains("Spirit"))
            // No consent to be contacted: no address.
            #expect(!opened.body.contains("professional@doorstroom.test"))
            #expect(try await Self.profileViews(store, of: priya) == 1)
            let line = try #require(try await store.pool.query(
                """
                SELECT a.email, l.reason FROM audit_log l JOIN account a ON a.id = l.actor_account_id
                WHERE l.action = 'profile.view' AND l.subject_account_id = \(priya)
                """).first(decoding: (String, String?).self))
            #expect(line.0 == "hr@altra.doorstroom.test" && line.1 == ProfileViewReason.vacancy.label)

            // The professional sees who looked, for which organisation, when and why.
            let mine = try await browser.get("/mijn/profiel")
            let hrName = try #require(try await store.accounts.find(email: "hr@altra.doorstroom.test")).displayName
            #expect(mine.body.contains(hrName) && mine.bodyWithoutLabels.contains("<td>Altra</td>") && mine.body.contains(ProfileViewReason.vacancy.label))

            // Consent to be contacted shows the address.
            try await Self.consent(browser, .contactMobility, give: true)
            #expect(try await hr.get("/beheer/profielen/\(priya.lowercased)?reden=rotation").body.contains("mailto:professional@doorstroom.test"))

            // Withdrawing hides the profile at once.
            try await Self.consent(browser, .profileSearch, give: false)
            #expect(!(try await hr.get(search).body.contains("Priya")))
            #expect(try await hr.get("/beheer/profielen/\(priya.lowercased)?reden=vacancy").status == .notFound)
            #expect(try await Self.profileViews(store, of: priya) == 2)
            // The history keeps what was given and withdrawn.
            let history = try await store.profiles.consentHistory(of: priya)
            #expect(history.count == 2 && history.contains { $0.purpose == .profileSearch && $0.withdrawnAt != nil })
            #expect(try await store.profiles.consents(of: priya) == [.contactMobility])
        }
    }

    @Test func theHRAdviserOfTheirOwnOrganisationMayOpenTheProfileWithoutConsent() async throws {
        try await TestApp.withDemo { browser, store in
            let priya = try await Self.priya(store)
            let spirit = try #require(try await store.organisations.find(slug: "spirit"))
            try await browser.login("admin@doorstroom.test")
            _ = try await browser.get("/beheer/accounts")
            let created = try await browser.post("/beheer/accounts", [
                ("email", "hr@spirit.doorstroom.test"), ("displayName", "HR Spirit"), ("password", "een lang genoeg wachtwoord"),
                ("role", "hr_adviser"), ("organisation", spirit.id.lowercased),
            ])
            #expect(created.status == .seeOther || created.status == .ok)
            let hr = Browser(browser.client)
            try await hr.login("hr@spirit.doorstroom.test", "een lang genoeg wachtwoord")
            let opened = try await hr.get("/beheer/profielen/\(priya.lowercased)?reden=development")
            #expect(opened.status == .ok && opened.body.contains("Jeugdhulpverlener"))
            // Not in the search of consenting profiles, though.
            #expect(!(try await hr.get("/beheer/profielen?zoeken=1").body.contains(priya.lowercased)))
            #expect(try await Self.profileViews(store, of: priya) == 1)
        }
    }

    @Test func theProfileFormSavesAndRefusesBadInputWithAMessage() async throws {
        try await TestApp.withDemo { browser, store in
            let priya = try await Self.priya(store)
            try await browser.login("professional@doorstroom.test")
            let before = try #require(try await store.professionals.find(accountID: priya))
            _ = try await browser.get("/mijn/profiel")
            let bad = try await browser.post("/mijn/profiel", [
                ("functions", "jeugdhulpverlener"), ("functions", "gedragswetenschapper"), ("hours", "99"), ("skj_number", "1"),
                ("skj_registered_on", "2020-01-01"),
            ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("Vul een aantal uren tussen 1 en 60 in") && bad.body.contains("4 tot 20 cijfers"))
            // What was typed stays in the form; nothing was stored.
            #expect(bad.body.contains("value=\"99\""))
            #expect(try await store.professionals.find(accountID: priya) == before)

            let good = try await browser.post("/mijn/profiel", [
                ("functions", "jeugdhulpverlener"), ("functions", "gedragswetenschapper"), ("disciplines", "ggz"), ("education_level", "wo"),
                ("areas", "oost"), ("areas", "diemen"), ("hours", "28"), ("interests", "rotation"), ("interests", "duo_job"),
                ("skj_number", "110012345"), ("skj_registered_on", "2023-03-01"), ("skj_expires_on", "2028-03-01"),
            ])
            #expect(good.status == .seeOther && good.location == "/mijn/profiel?gelukt=profiel")
            let after = try #require(try await store.professionals.find(accountID: priya))
            #expect(after.functionCodes == ["gedragswetenschapper", "jeugdhulpverlener"] && after.hoursPerWeek == 28)
            #expect(after.interests == [.rotation, .duoJob] && after.educationLevel == .wo && after.areaSlugs == ["diemen", "oost"])
            #expect(after.registrations.map(\.number) == ["110012345"])
            let page = try await browser.get("/mijn/profiel?gelukt=profiel")
            #expect(page.body.contains("Je profiel is opgeslagen."))
        }
    }
}
