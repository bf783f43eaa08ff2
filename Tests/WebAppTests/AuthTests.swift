import Foundation
import Hummingbird
import HummingbirdTesting
import PQ
import Store
import TestSupport
import Testing
import WebApp

@Suite("Logging in, sessions, CSRF and throttling")
struct AuthTests {
    @Test func theLoginPageCarriesACSRFTokenAndSetsAHardenedCookie() async throws {
        try await TestApp.withDemo { browser, _ in
            let page = try await browser.get("/login")
            #expect(page.status == .ok)
            #expect(page.body.contains("<html lang=\"nl\">"))
            #expect(page.body.contains("<label for=\"email\">E-mailadres</label>"))
            #expect(Browser.csrfToken(in: page.body)?.count ?? 0 >= 32)
            let cookie = try #require(page.headers[values: .setCookie].first)
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test func theDemoHRAdviserLogsInWithANewSession() async throws {
        try await TestApp.withDemo { browser, _ in
            try await browser.get("/login")
            let visitorCookie = browser.cookies["doorstroom_session"]
            let response = try await browser.post(
                "/login", [("email", "HR@altra.doorstroom.test"), ("password", "doorstroom-demo"), ("next", "/mijn")])
            #expect(response.status == .found)
            #expect(response.location == "/mijn")
            #expect(browser.cookies["doorstroom_session"] != visitorCookie, "the session id is renewed at login")
            let mine = try await browser.get("/mijn")
            #expect(mine.status == .ok)
            #expect(mine.body.contains("Hanneke de Wit"))
            #expect(mine.body.contains("HR-adviseur"))
            #expect(mine.body.contains("Altra"))
        }
    }

    @Test func aWrongPasswordShowsADutchErrorAndKeepsTheEmail() async throws {
        try await TestApp.withDemo { browser, _ in
            let page = try await browser.login("hr@altra.doorstroom.test", "fout-wachtwoord")
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("Het e-mailadres of het wachtwoord klopt niet."))
            #expect(page.body.contains("value=\"hr@altra.doorstroom.test\""))
            #expect(!page.body.contains("fout-wachtwoord"), "the password is never echoed")
            let empty = try await browser.post("/login", [("email", ""), ("password", "")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("Vul je e-mailadres in."))
            #expect(empty.body.contains("Vul je wachtwoord in."))
        }
    }

    @Test func aPostWithoutItsCSRFTokenIsRefusedAndChangesNothing() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.get("/login")
            let missing = try await browser.post(
                "/login", [("email", "hr@altra.doorstroom.test"), ("password", "doorstroom-demo")], csrf: "")
            #expect(missing.status == .forbidden)
            #expect(missing.body.contains("Geen toegang"))
            let wrong = try await browser.post(
                "/login", [("email", "hr@altra.doorstroom.test"), ("password", "doorstroom-demo")], csrf: String(repeating: "x", count: 43))
            #expect(wrong.status == .forbidden)
            #expect(browser.cookies["doorstroom_session"] != nil)
            #expect(try await browser.get("/mijn").status == .seeOther, "still not logged in")

            // Logged in as admin: a forged organisation form without the token stores nothing.
            try await browser.login("admin@doorstroom.test")
            let before = try await store.organisations.all().count
            let forged = try await browser.post(
                "/beheer/organisaties", [("name", "Nep"), ("slug", "nep"), ("kind", "care_provider"), ("municipality", "amsterdam")], csrf: "")
            #expect(forged.status == .forbidden)
            #expect(try await store.organisations.all().count == before)
        }
    }

    @Test func theEleventhFailedLoginGets429WithRetryAfter() async throws {
        try await TestApp.withDemo { browser, _ in
            for attempt in 1...10 {
                let page = try await browser.login("hr@cordaan.doorstroom.test", "fout-\(attempt)")
                #expect(page.status == .unauthorized)
            }
            let eleventh = try await browser.login("hr@cordaan.doorstroom.test", "doorstroom-demo")
            #expect(eleventh.status == .tooManyRequests)
            #expect(Int(eleventh.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(eleventh.body.contains("Te veel mislukte pogingen"))

            // The same answer for an account that does not exist.
            for attempt in 1...10 {
                _ = try await browser.login("bestaat-niet@doorstroom.test", "fout-\(attempt)")
            }
            let unknown = try await browser.login("bestaat-niet@doorstroom.test", "fout")
            #expect(unknown.status == .tooManyRequests)
            // Another account is not affected.
            #expect(try await browser.login("hr@altra.doorstroom.test").status == .found)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("student@doorstroom.test")
            let token = try #require(browser.cookies["doorstroom_session"])
            #expect(try await browser.get("/mijn").status == .ok)
            let out = try await browser.post("/logout", [])
            #expect(out.status == .found)
            #expect(try await store.sessions.find(token: token) == nil)
            #expect(try await browser.get("/mijn").status == .seeOther)
        }
    }

    @Test func redirectsAfterLoginStayOnThisSite() async throws {
        try await TestApp.withDemo { browser, _ in
            try await browser.get("/login")
            let page = try await browser.post(
                "/login", [("email", "student@doorstroom.test"), ("password", "doorstroom-demo"), ("next", "//evil.example/")])
            #expect(page.location == "/mijn")
        }
    }
}
