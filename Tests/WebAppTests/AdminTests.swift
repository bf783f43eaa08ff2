import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import PQ
import Store
import TestSupport
import Testing
import WebApp

@Suite("Admins add organisations and accounts and grant roles")
struct AdminTests {
    @Test func addingAnOrganisation() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("admin@doorstroom.test")
            try await browser.get("/beheer/organisaties")
            let added = try await browser.post(
                "/beheer/organisaties", [("name", "Levvel"), ("slug", "levvel"), ("kind", "care_provider"), ("municipality", "amsterdam")])
            #expect(added.status == .seeOther)
            let list = try await browser.get(try #require(added.location))
            #expect(list.body.contains("Levvel"))
            #expect(list.body.contains("Toegevoegd."))
            #expect(try await store.organisations.find(slug: "levvel")?.kind == .careProvider)
        }
    }

    @Test func badOrganisationInputShowsMessagesKeepsInputAndStoresNothing() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("admin@doorstroom.test")
            try await browser.get("/beheer/organisaties")
            let before = try await store.organisations.all().count
            let page = try await browser.post(
                "/beheer/organisaties", [("name", "<script>alert(1)</script>"), ("slug", "Niet Goed!"), ("kind", ""), ("municipality", "utrecht")])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("Alleen kleine letters"))
            #expect(page.body.contains("Kies het soort organisatie."))
            #expect(page.body.contains("Kies een gemeente van de regio."))
            #expect(page.body.contains("value=\"Niet Goed!\""))
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.body.contains("<script>alert(1)</script>"))
            #expect(try await store.organisations.all().count == before)

            let taken = try await browser.post(
                "/beheer/organisaties", [("name", "Nog een Altra"), ("slug", "altra"), ("kind", "care_provider"), ("municipality", "amsterdam")])
            #expect(taken.status == .unprocessableContent)
            #expect(taken.body.contains("Deze korte naam is al in gebruik."))
            #expect(try await store.organisations.all().count == before)
        }
    }

    @Test func addingAnAccountWithARoleWhoCanThenLogIn() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("admin@doorstroom.test")
            try await browser.get("/beheer/accounts")
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let added = try await browser.post("/beheer/accounts", [
                ("displayName", "Nieuwe HR"), ("email", "nieuw@altra.doorstroom.test"), ("password", "een-goed-wachtwoord"),
                ("role", "hr_adviser"), ("organisation", altra.id.uuidString.lowercased()),
            ])
            #expect(added.status == .seeOther)
            let account = try #require(try await store.accounts.find(email: "nieuw@altra.doorstroom.test"))
            #expect(account.has(.hrAdviser, for: altra.id))
            let audit = try await store.audit.recent().map(\.action)
            #expect(audit.contains("account.create"))

            // A duplicate email (other case) and a short password: messages, nothing stored.
            let count = try await store.accounts.all(limit: 1000).count
            let duplicate = try await browser.post("/beheer/accounts", [
                ("displayName", "Dubbel"), ("email", "NIEUW@altra.doorstroom.test"), ("password", "een-goed-wachtwoord"),
                ("role", ""), ("organisation", ""),
            ])
            #expect(duplicate.status == .unprocessableContent)
            #expect(duplicate.body.contains("Er is al een account met dit e-mailadres."))
            let short = try await browser.post("/beheer/accounts", [
                ("displayName", "Kort"), ("email", "kort@altra.doorstroom.test"), ("password", "kort"), ("role", "hr_adviser"), ("organisation", ""),
            ])
            #expect(short.body.contains("Kies een wachtwoord van minstens 12 tekens."))
            #expect(short.body.contains("Kies de organisatie waarvoor deze rol geldt."))
            #expect(try await store.accounts.all(limit: 1000).count == count)

            // The new account logs in.
            let other = Browser(browser.client)
            #expect(try await other.login("nieuw@altra.doorstroom.test", "een-goed-wachtwoord").status == .found)
        }
    }

    @Test func grantingRevokingAndBlocking() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("admin@doorstroom.test")
            try await browser.get("/beheer/accounts")
            let student = try #require(try await store.accounts.find(email: "student@doorstroom.test"))
            let id = student.id.uuidString.lowercased()
            #expect(try await browser.post("/beheer/accounts/\(id)/rollen", [("role", "professional"), ("organisation", "")]).status == .seeOther)
            #expect(try await store.accounts.find(id: student.id)?.has(.professional) == true)
            let twice = try await browser.post("/beheer/accounts/\(id)/rollen", [("role", "professional"), ("organisation", "")])
            #expect(twice.status == .unprocessableContent)
            #expect(twice.body.contains("Dit account heeft deze rol al."))
            #expect(try await browser.post("/beheer/accounts/\(id)/rollen/intrekken", [("role", "professional"), ("organisation", "")]).status == .seeOther)
            #expect(try await store.accounts.find(id: student.id)?.has(.professional) == false)

            let studentBrowser = Browser(browser.client)
            try await studentBrowser.login("student@doorstroom.test")
            #expect(try await studentBrowser.get("/mijn").status == .ok)
            #expect(try await browser.post("/beheer/accounts/\(id)/blokkeren", [("disabled", "true")]).status == .seeOther)
            #expect(try await studentBrowser.get("/mijn").status == .seeOther, "blocking ends the sessions")
            #expect(try await studentBrowser.login("student@doorstroom.test").status == .unauthorized)

            // An admin cannot revoke their own admin role or block themselves.
            let admin = try #require(try await store.accounts.find(email: "admin@doorstroom.test"))
            let adminID = admin.id.uuidString.lowercased()
            try await browser.get("/beheer/accounts")
            let revokeSelf = try await browser.post("/beheer/accounts/\(adminID)/rollen/intrekken", [("role", "admin"), ("organisation", "")])
            #expect(revokeSelf.status == .conflict)
            #expect(revokeSelf.body.contains("Je kunt je eigen beheerdersrol niet intrekken."))
            let blockSelf = try await browser.post("/beheer/accounts/\(adminID)/blokkeren", [("disabled", "true")])
            #expect(blockSelf.body.contains("Je kunt jezelf niet blokkeren."))
            #expect(try await store.accounts.find(id: admin.id)?.has(.admin) == true)
            #expect(try await store.accounts.find(id: admin.id)?.disabled == false)
        }
    }
}
