import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import PQ
import Store
import TestSupport
import Testing
import WebApp

@Suite("Roles are checked on the server")
struct AccessTests {
    @Test func visitorsAreSentToTheLoginPage() async throws {
        try await TestApp.withDemo { browser, _ in
            for path in ["/mijn", "/beheer/organisaties", "/beheer/accounts"] {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther, "\(path)")
                #expect(page.location?.hasPrefix("/login?next=") == true)
            }
        }
    }

    @Test func onlyAdminsManageOrganisationsAndAccounts() async throws {
        for email in ["professional@doorstroom.test", "hr@altra.doorstroom.test", "coordinator@doorstroom.test", "student@doorstroom.test"] {
            try await TestApp.withDemo { browser, store in
                try await browser.login(email)
                #expect(try await browser.get("/beheer/organisaties").status == .forbidden, "\(email)")
                #expect(try await browser.get("/beheer/accounts").status == .forbidden, "\(email)")
                try await browser.get("/mijn")
                let post = try await browser.post(
                    "/beheer/organisaties", [("name", "Nieuw"), ("slug", "nieuw"), ("kind", "care_provider"), ("municipality", "diemen")])
                #expect(post.status == .forbidden)
                #expect(try await store.organisations.find(slug: "nieuw") == nil)
                #expect(!(try await browser.get("/").body.contains("/beheer/accounts")), "no admin links for \(email)")
            }
        }
    }

    @Test func unknownPagesAndErrorsRevealNothingInternal() async throws {
        try await TestApp.withDemo { browser, _ in
            let page = try await browser.get("/bestaat/niet")
            #expect(page.status == .notFound)
            #expect(page.body.contains("Pagina niet gevonden"))
            #expect(page.headers[.contentSecurityPolicy] != nil)
            try await browser.login("admin@doorstroom.test")
            try await browser.get("/beheer/accounts")
            let bad = try await browser.post("/beheer/accounts/niet-een-uuid/blokkeren", [("disabled", "true")])
            #expect(bad.status == .notFound)
            #expect(!bad.body.contains("PostgresError"))
        }
    }

    @Test func staticFilesAreServed() async throws {
        try await TestApp.withDemo { browser, _ in
            let css = try await browser.get("/static/css/doorstroom.css")
            #expect(css.status == .ok)
            #expect(css.body.contains("--accent"))
        }
    }
}

@Suite("Oversized requests")
struct OversizedRequestTests {
    /// Forms over 1 MiB, API bodies over 1 MiB and catalogue files over 32 MiB get 413
    /// and change nothing.
    @Test func oversizedBodiesAndUploadsAreRefusedWith413() async throws {
        try await TestApp.withDemo { browser, store in
            _ = try await browser.get("/login")
            let bigForm = try await browser.post("/login", [("email", "a@b.nl"), ("password", String(repeating: "x", count: 1 << 21))])
            #expect(bigForm.status == .contentTooLarge)
            let altra = try await store.organisations.find(slug: "altra")!
            let token = try await store.apiTokens.create(organisation: altra.id, name: "Groot", by: nil)
            let before = try await store.pool.query("SELECT count(*) FROM posting").first(decoding: Int.self)
            let bigJSON = "{\"title\": \"" + String(repeating: "y", count: 1 << 21) + "\"}"
            let api = try await browser.send("/api/v1/postings", method: .post,
                                             headers: [.contentType: "application/json", .authorization: "Bearer " + token],
                                             body: .init(string: bigJSON))
            #expect(api.status == .contentTooLarge)
            #expect(try await store.pool.query("SELECT count(*) FROM posting").first(decoding: Int.self) == before)
            let hr = Browser(browser.client)
            try await hr.login("hr@altra.doorstroom.test")
            let huge = try await upload(hr, organisation: "altra", file: String(repeating: "z", count: 33 << 20))
            #expect(huge.status == .contentTooLarge)
        }
    }
}
