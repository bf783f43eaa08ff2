import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PQ
import Passwords
import Store
import TestSupport
import Testing
import WebApp

@Suite("Accounts: signing up, confirming, invitations, resets and the account page")
struct AccountTests {
    static let goodPassword = "zeven lange paarden op het ijs"

    func signUp(_ browser: Browser, email: String, password: String = goodPassword, kind: String = "werkzoekende",
                extra: [(String, String)] = []) async throws -> Browser.Page {
        try await browser.get("/registreren")
        return try await browser.post("/registreren", [
            ("kind", kind), ("displayName", "Noor Nieuw"), ("email", email), ("password", password),
        ] + extra)
    }

    @Test func aJobSeekerSignsUpConfirmsThroughTheMailAndApplies() async throws {
        try await TestApp.withDemo { browser, store in
            let email = "noor@voorbeeld.nl"
            let page = try await signUp(browser, email: email)
            #expect(page.status == .ok)
            #expect(page.body.contains("Kijk in je mail"))
            let account = try #require(try await store.accounts.find(email: email))
            #expect(account.has(.jobSeeker))
            #expect(!account.emailConfirmed)

            // Logged in before confirming: the posting says why she cannot apply, and applying is refused.
            #expect(try await browser.login(email, Self.goodPassword).status == .found)
            let posting = try #require(try await store.pool.query(
                "SELECT id FROM posting WHERE status = 'published' AND kind = 'vacancy' AND (closing_date IS NULL OR closing_date >= current_date) AND (internal_until IS NULL OR internal_until < current_date) ORDER BY id LIMIT 1"
            ).first(decoding: UUID.self))
            let detail = try await browser.get("/vacatures/\(posting.lowercased)")
            #expect(detail.body.contains("Bevestig eerst je e-mailadres"))
            #expect(!detail.body.contains("name=\"motivation\""))
            let early = try await browser.post("/vacatures/\(posting.lowercased)/solliciteren", [("motivation", "Graag.")])
            #expect(early.status == .forbidden)
            #expect(try await store.applications.mine(account.id).isEmpty)

            // A forged link is refused; the mailed one works once.
            #expect(try await browser.get("/bevestigen/" + String(repeating: "A", count: 43)).status == .notFound)
            let link = try #require(try await Browser.mailedLink(store, to: email, subject: "Bevestig"))
            let confirmed = try await browser.get(link)
            #expect(confirmed.status == .ok)
            #expect(confirmed.body.contains("Je e-mailadres is bevestigd"))
            #expect(try await browser.get(link).status == .gone, "a link works once")
            #expect(try await store.accounts.find(id: account.id)?.emailConfirmed == true)

            let applied = try await browser.post("/vacatures/\(posting.lowercased)/solliciteren", [("motivation", "Ik wil graag de jeugdhulp in.")])
            #expect(applied.status == .seeOther)
            #expect(try await store.applications.mine(account.id).count == 1)
            #expect(try await store.audit.recent(limit: 50).contains { $0.action == AuditAction.accountConfirmEmail.rawValue })
        }
    }

    @Test func anExpiredOrReplacedConfirmationLinkIsRefusedAndANewOneCanBeAsked() async throws {
        try await TestApp.withDemo { browser, store in
            let email = "laat@voorbeeld.nl"
            _ = try await signUp(browser, email: email)
            let first = try #require(try await Browser.mailedLink(store, to: email, subject: "Bevestig"))
            _ = try await store.pool.query(
                "UPDATE account_token SET created_at = now() - interval '25 hours', expires_at = now() - interval '1 hour'")
            let expired = try await browser.get(first)
            #expect(expired.status == .gone)
            #expect(expired.body.contains("verlopen"))

            try await browser.login(email, Self.goodPassword)
            let account = try await browser.get("/mijn/account")
            #expect(account.body.contains("nog niet bevestigd"))
            let resent = try await browser.post("/bevestigen/opnieuw", [])
            #expect(resent.body.contains("Nieuwe link gestuurd"))
            let second = try #require(try await Browser.mailedLink(store, to: email, subject: "Bevestig"))
            #expect(second != first)
            #expect(try await browser.get(second).status == .ok)
        }
    }

    @Test func signingUpWithAKnownAddressLooksTheSameAndMailsTheOwner() async throws {
        try await TestApp.withDemo { browser, store in
            let known = try await signUp(browser, email: "Professional@doorstroom.test")
            let fresh = try await signUp(Browser(browser.client), email: "iemand-nieuws@voorbeeld.nl")
            func strip(_ page: Browser.Page) -> String {
                page.body.replacingOccurrences(of: "Professional@doorstroom.test", with: "X")
                    .replacingOccurrences(of: "iemand-nieuws@voorbeeld.nl", with: "X")
                    .replacingOccurrences(of: #"name="_csrf" value="[^"]*""#, with: "", options: .regularExpression)
            }
            #expect(known.status == fresh.status)
            #expect(strip(known) == strip(fresh), "no way to learn who has an account")
            #expect(try await Browser.mailedLink(store, to: "professional@doorstroom.test", subject: "al een account") == "/wachtwoord-vergeten")
            // The known account kept its password and its role.
            let account = try #require(try await store.accounts.find(email: "professional@doorstroom.test"))
            #expect(!account.has(.jobSeeker))
            #expect(try await Browser(browser.client).login("professional@doorstroom.test").status == .found)
        }
    }

    @Test func aStudentSignsUpWithSchoolProgrammeAndLevel() async throws {
        try await TestApp.withDemo { browser, store in
            let missing = try await signUp(browser, email: "sam@student.nl", kind: "student")
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains("Vul je school in."))
            #expect(missing.body.contains("<li><a href=\"#school\">Vul je school in.</a></li>"), "the summary at the top links to the field")
            #expect(missing.body.contains("Kies het niveau van je opleiding."))
            #expect(try await store.accounts.find(email: "sam@student.nl") == nil, "bad input changes nothing")
            let page = try await signUp(browser, email: "sam@student.nl", kind: "student",
                                        extra: [("school", "Hogeschool van Amsterdam"), ("programme", "Social Work"), ("level", "hbo")])
            #expect(page.status == .ok)
            let account = try #require(try await store.accounts.find(email: "sam@student.nl"))
            #expect(account.has(.student))
            let (school, level) = try #require(try await store.pool.query(
                "SELECT school, level FROM student WHERE account_id = \(account.id)").first(decoding: (String, String).self))
            #expect(school == "Hogeschool van Amsterdam" && level == "hbo")
        }
    }

    @Test func passwordsFollowThePolicy() async throws {
        try await TestApp.withDemo { browser, store in
            let common = try await signUp(browser, email: "a@voorbeeld.nl", password: "qwertyuiop12")
            #expect(common.body.contains("veelgebruikte wachtwoorden"))
            let own = try await signUp(browser, email: "lange.naam@voorbeeld.nl", password: "lange.naam@voorbeeld.nl!")
            #expect(own.body.contains("zonder je e-mailadres"))
            let site = try await signUp(browser, email: "b@voorbeeld.nl", password: "mijn doorstroom account")
            #expect(site.body.contains("zonder je e-mailadres of de naam Doorstroom"))
            let long = try await signUp(browser, email: "c@voorbeeld.nl", password: String(repeating: "ab", count: 64) + "c")
            #expect(long.status == .unprocessableContent)
            #expect(long.body.contains("Dit wachtwoord is te lang: hoogstens 128 tekens."))
            #expect(try await store.accounts.find(email: "c@voorbeeld.nl") == nil)

            // Twelve characters of any script round-trip, composed or decomposed alike.
            let unicode = "wachtwoörd😀日本語ﬁ€x"
            let twelve = String(unicode.prefix(12))
            #expect(try await signUp(browser, email: "uni@voorbeeld.nl", password: twelve).status == .ok)
            #expect(try await Browser(browser.client).login("uni@voorbeeld.nl", twelve).status == .found)
            #expect(try await Browser(browser.client).login("uni@voorbeeld.nl", twelve.decomposedStringWithCanonicalMapping).status == .found)
            #expect(try await Browser(browser.client).login("uni@voorbeeld.nl", String(unicode.prefix(11)) + "?").status == .unauthorized)
        }
    }

    @Test func anHRAdviserInvitesEmployeesWhoChooseTheirPassword() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            let page = try await browser.get("/beheer/uitnodigingen")
            #expect(page.status == .ok)
            #expect(page.body.contains("Altra"))
            let one = try await browser.post("/beheer/uitnodigingen", [
                ("organisation", "altra"), ("displayName", "Sanne Bakker"), ("email", "sanne@altra.nl"), ("function", "jeugdhulpverlener"),
            ])
            #expect(one.body.contains("Sanne Bakker is uitgenodigd"))
            let again = try await browser.post("/beheer/uitnodigingen", [
                ("organisation", "altra"), ("displayName", "Sanne"), ("email", "SANNE@altra.nl"), ("function", "jeugdhulpverlener"),
            ])
            #expect(again.status == .conflict)

            // A CSV of three: two good lines and one bad one.
            let csv = "naam,email,functie\nTom de Vries,tom@altra.nl,jeugdhulpverlener\nFout Regel,geen-adres,jeugdhulpverlener\n\"Ali, B.\",ali@altra.nl,teamleider\n"
            let many = try await browser.postMultipart("/beheer/uitnodigingen/csv", fields: [("organisation", "altra")], file: ("file", "lijst.csv", csv))
            #expect(many.body.contains("2 medewerkers uitgenodigd."))
            #expect(many.body.contains("Regel 3"))
            #expect(try await store.accounts.find(email: "geen-adres") == nil)

            // Sanne opens her mail and chooses a password; she can then log in as Altra's professional.
            let link = try #require(try await Browser.mailedLink(store, to: "sanne@altra.nl", subject: "nodigt je uit"))
            #expect(link.hasPrefix("/uitnodiging/"))
            let sanne = Browser(browser.client)
            let form = try await sanne.get(link)
            #expect(form.body.contains("Welkom, Sanne Bakker"))
            let mismatch = try await sanne.post(link, [("password", Self.goodPassword), ("confirm", "iets anders")])
            #expect(mismatch.status == .unprocessableContent)
            let done = try await sanne.post(link, [("password", Self.goodPassword), ("confirm", Self.goodPassword)])
            #expect(done.body.contains("Welkom bij Doorstroom"))
            #expect(try await sanne.get(link).status == .gone)
            #expect(try await sanne.login("sanne@altra.nl", Self.goodPassword).status == .found)
            let account = try #require(try await store.accounts.find(email: "sanne@altra.nl"))
            #expect(account.has(.professional) && account.emailConfirmed)
            let history = try await store.professionals.history(of: account.id)
            #expect(history.first?.organisationName == "Altra")
            #expect(try await browser.get("/beheer/uitnodigingen").body.contains("Geactiveerd"))
        }
    }

    @Test func aForgottenPasswordIsResetThroughTheMailedLinkAndEndsEverySession() async throws {
        try await TestApp.withDemo { browser, store in
            let email = "professional@doorstroom.test"
            let elsewhere = Browser(browser.client)
            try await elsewhere.login(email)
            #expect(try await elsewhere.get("/mijn").status == .ok)

            try await browser.get("/wachtwoord-vergeten")
            let known = try await browser.post("/wachtwoord-vergeten", [("email", email)])
            let unknown = try await browser.post("/wachtwoord-vergeten", [("email", "niemand@doorstroom.test")])
            #expect(known.status == .ok && unknown.status == .ok)
            #expect(known.body.replacingOccurrences(of: email, with: "X") == unknown.body.replacingOccurrences(of: "niemand@doorstroom.test", with: "X"),
                    "the same page for known and unknown addresses")
            #expect(try await store.pool.query("SELECT count(*)::int FROM notification WHERE kind = 'account_mail'").first(decoding: Int.self) == 1)

            let forged = "/wachtwoord-herstellen/" + String(repeating: "B", count: 43)
            #expect(try await browser.get(forged).status == .notFound)
            #expect(try await browser.post(forged, [("password", Self.goodPassword), ("confirm", Self.goodPassword)]).status == .notFound)

            let link = try #require(try await Browser.mailedLink(store, to: email, subject: "nieuw wachtwoord"))
            let weak = try await browser.post(link, [("password", "password1234"), ("confirm", "password1234")])
            #expect(weak.status == .unprocessableContent)
            #expect(weak.body.contains("veelgebruikte wachtwoorden"))
            let reset = try await browser.post(link, [("password", Self.goodPassword), ("confirm", Self.goodPassword)])
            #expect(reset.body.contains("Je wachtwoord is gewijzigd"))
            #expect(try await elsewhere.get("/mijn").status == .seeOther, "every other session ended")
            #expect(try await browser.post(link, [("password", Self.goodPassword + "!"), ("confirm", Self.goodPassword + "!")]).status == .gone,
                    "a reset link works once")
            #expect(try await Browser(browser.client).login(email).status == .unauthorized)
            #expect(try await Browser(browser.client).login(email, Self.goodPassword).status == .found)

            // A link past its hour is refused.
            _ = try await browser.post("/wachtwoord-vergeten", [("email", email)])
            let late = try #require(try await Browser.mailedLink(store, to: email, subject: "nieuw wachtwoord"))
            _ = try await store.pool.query(
                "UPDATE account_token SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE used_at IS NULL")
            #expect(try await browser.get(late).status == .gone)
        }
    }

    @Test func thePasswordIsChangedWithTheCurrentOneAndOtherSessionsCanBeEnded() async throws {
        try await TestApp.withDemo { browser, store in
            let email = "student@doorstroom.test"
            let phone = Browser(browser.client)
            try await phone.send("/login", method: .get, headers: [.userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1"], body: nil)
            _ = try await phone.post("/login", [("email", email), ("password", "doorstroom-demo")])
            try await browser.login(email)
            let page = try await browser.get("/mijn/account")
            #expect(page.body.contains("(dit apparaat)"))
            #expect(page.body.contains("Log uit op alle andere apparaten"))

            let wrong = try await browser.post("/mijn/account/wachtwoord", [("current", "fout"), ("new", Self.goodPassword), ("confirm", Self.goodPassword)])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.contains("Dit is niet je huidige wachtwoord."))
            let changed = try await browser.post("/mijn/account/wachtwoord", [
                ("current", "doorstroom-demo"), ("new", Self.goodPassword), ("confirm", Self.goodPassword),
            ])
            #expect(changed.location == "/mijn/account?gelukt=wachtwoord")
            #expect(try await browser.get("/mijn").status == .ok, "this session stays")
            #expect(try await phone.get("/mijn").status == .seeOther, "the other session ended")

            // Logging out the others.
            let laptop = Browser(browser.client)
            try await laptop.login(email, Self.goodPassword)
            _ = try await browser.get("/mijn/account")
            #expect(try await browser.post("/mijn/account/sessies/uitloggen", []).status == .seeOther)
            #expect(try await laptop.get("/mijn").status == .seeOther)
            #expect(try await browser.get("/mijn").status == .ok)
            #expect(try await store.audit.recent(limit: 50).contains { $0.action == AuditAction.accountLogoutOthers.rawValue })
        }
    }

    @Test func sessionsEndWhenIdleAndAfterTheirAbsoluteLifetime() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("student@doorstroom.test")
            let token = try #require(browser.cookies["doorstroom_session"])
            // Active every few minutes for eight days: the absolute lifetime still ends it.
            _ = try await store.pool.query(
                """
                UPDATE session SET created_at = now() - interval '8 days', last_seen_at = now() - interval '1 minute',
                    expires_at = now() + interval '11 hours'
                WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))
                """)
            #expect(try await browser.get("/mijn").status == .seeOther)

            try await browser.login("student@doorstroom.test")
            let second = try #require(browser.cookies["doorstroom_session"])
            #expect(try await browser.get("/mijn").status == .ok)
            // Thirteen hours without a request: idle.
            _ = try await store.pool.query(
                """
                UPDATE session SET created_at = now() - interval '14 hours', last_seen_at = now() - interval '13 hours',
                    expires_at = now() - interval '1 hour'
                WHERE token_hash = sha256(convert_to(\(second), 'UTF8'))
                """)
            #expect(try await browser.get("/mijn").status == .seeOther)
        }
    }
}

@Suite("Two-step verification")
struct TwoStepTests {
    @Test func aProfessionalSwitchesItOnAndLogsInWithACodeOrARecoveryCode() async throws {
        try await TestApp.withDemo { browser, store in
            let email = "professional@doorstroom.test"
            try await browser.login(email)
            let setup = try await browser.get("/mijn/account/tweestaps")
            let secret = try #require(Browser.attribute("data-secret", in: setup.body))
            #expect(setup.body.contains("otpauth://totp/Doorstroom:professional@doorstroom.test?secret=\(secret)&amp;issuer=Doorstroom"))
            #expect(try await browser.get("/mijn/account/tweestaps").body.contains(secret), "a reload shows the same secret")
            let bytes = try #require(TOTP(base32: secret)).secret
            let stored = try #require(try await store.pool.query("SELECT totp_secret FROM account WHERE lower(email) = \(email)").first(decoding: Data?.self) ?? nil)
            #expect(!stored.elementsEqual(bytes) && stored.range(of: Data(bytes)) == nil, "the secret is stored sealed")

            let wrong = try await browser.post("/mijn/account/tweestaps", [("code", "000000")])
            #expect(wrong.status == .unprocessableContent)
            let step = TOTP.step(at: Date())
            let codes = try await browser.post("/mijn/account/tweestaps", [("code", TOTP(secret: bytes).code(step: step))])
            let recovery = Browser.recoveryCodes(in: codes.body)
            #expect(recovery.count == 10)

            // Logging in now asks for a code after the password; the session is nobody's until then.
            let phone = Browser(browser.client)
            try await phone.get("/login")
            let first = try await phone.post("/login", [("email", email), ("password", "doorstroom-demo"), ("next", "/mijn/profiel")])
            #expect(first.location?.hasPrefix("/login/code") == true)
            #expect(try await phone.get("/mijn").status == .seeOther, "no access before the second step")
            _ = try await phone.get(first.location!)
            let bad = try await phone.post("/login/code", [("code", "123456"), ("next", "/mijn/profiel")])
            #expect(bad.status == .unauthorized)
            let reused = try await phone.post("/login/code", [("code", TOTP(secret: bytes).code(step: step)), ("next", "/mijn/profiel")])
            #expect(reused.status == .unauthorized, "the code used to switch it on is not accepted again")
            let good = try await phone.post("/login/code", [("code", TOTP(secret: bytes).code(step: step + 1)), ("next", "/mijn/profiel")])
            #expect(good.location == "/mijn/profiel")
            #expect(try await phone.get("/mijn").status == .ok)

            // A recovery code works once.
            let laptop = Browser(browser.client)
            try await laptop.get("/login")
            _ = try await laptop.post("/login", [("email", email), ("password", "doorstroom-demo")])
            _ = try await laptop.get("/login/code")
            let recovered = try await laptop.post("/login/code", [("code", recovery[0].uppercased())])
            #expect(recovered.location == "/mijn")
            let again = Browser(browser.client)
            try await again.get("/login")
            _ = try await again.post("/login", [("email", email), ("password", "doorstroom-demo")])
            _ = try await again.get("/login/code")
            #expect(try await again.post("/login/code", [("code", recovery[0])]).status == .unauthorized)
            #expect(try await store.accounts.twoStep(of: try #require(try await store.accounts.find(email: email)).id).recoveryCodesLeft == 9)
        }
    }

    @Test func anAdminSetsItUpAtLoginBeforeAnythingElseAndCannotSwitchItOff() async throws {
        try await TestApp.withDemo { browser, _ in
            try await browser.get("/login")
            let first = try await browser.post("/login", [("email", "admin@doorstroom.test"), ("password", "doorstroom-demo"), ("next", "/beheer")])
            #expect(first.location == "/login/tweestaps?next=/beheer")
            #expect(try await browser.get("/beheer").status == .seeOther, "no admin pages before it is set up")
            let setup = try await browser.get("/login/tweestaps?next=/beheer")
            #expect(setup.body.contains("Als beheerder log je in met je wachtwoord én een code"))

            let admin = Browser(browser.client)
            let codes = try await admin.login("admin@doorstroom.test")
            #expect(Browser.recoveryCodes(in: codes.body).count == 10)
            #expect(try await admin.get("/beheer/accounts").status == .ok)
            #expect(try await admin.post("/mijn/account/tweestaps/uit", [("password", "doorstroom-demo")]).status == .forbidden)
            // The next login asks for a code.
            let next = Browser(admin.client)
            try await next.get("/login")
            #expect(try await next.post("/login", [("email", "admin@doorstroom.test"), ("password", "doorstroom-demo")]).location?.hasPrefix("/login/code") == true)
        }
    }

    @Test func codesFollowRFC6238() {
        // RFC 6238, appendix B, SHA-1 (the eight-digit values end in these six digits).
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        #expect(totp.code(step: 59 / 30) == "287082")
        #expect(totp.code(step: 1_111_111_109 / 30) == "081804")
        #expect(totp.code(step: 1_234_567_890 / 30) == "005924")
        #expect(totp.code(step: 20_000_000_000 / 30) == "353130")
        #expect(TOTP(secret: Array("12345678901234567890".utf8)).base32 == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(TOTP(base32: "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ")?.secret == Array("12345678901234567890".utf8))
        #expect(TOTP(base32: "niet-base32!") == nil)
    }

    @Test func sealedSecretsOpenOnlyWithTheirKeyAndAccount() throws {
        let box = try SecretBox(key: Array(repeating: 1, count: 32))
        let sealed = box.seal([1, 2, 3], associatedData: Array("a".utf8))
        #expect(try box.open(sealed, associatedData: Array("a".utf8)) == [1, 2, 3])
        #expect(throws: SecretBox.Failure.cannotOpen) { try box.open(sealed, associatedData: Array("b".utf8)) }
        #expect(throws: SecretBox.Failure.cannotOpen) { try SecretBox(key: Array(repeating: 2, count: 32)).open(sealed, associatedData: Array("a".utf8)) }
        var tampered = sealed
        tampered[14] ^= 1
        #expect(throws: SecretBox.Failure.cannotOpen) { try box.open(tampered, associatedData: Array("a".utf8)) }
        #expect(throws: SecretBox.Failure.badKey) { try SecretBox(base64: "dGUga29ydA==") }
    }
}

@Suite("Throttling and the holes found by probing")
struct LoginHardeningTests {
    @Test func passwordSprayingFromOneClientIsStoppedAndTheOwnerStillLogsIn() async throws {
        try await TestApp.withDemo { browser, store in
            // Known and unknown addresses alike (the answer never tells which is which).
            let known = try await store.pool.query(
                "SELECT email FROM account WHERE email <> 'hr@cordaan.doorstroom.test' ORDER BY email LIMIT 20"
            ).decode(String.self)
            let emails = known + (1...(39 - known.count)).map { "persoon\($0)@voorbeeld.nl" } + ["hr@cordaan.doorstroom.test"]
            #expect(emails.count == 40)
            let attacker = Browser(browser.client, clientAddress: "203.0.113.7")
            var statuses: [HTTPResponse.Status] = []
            for email in emails {
                statuses.append(try await attacker.login(email, "Zomer2026!").status)
            }
            #expect(statuses.prefix(LoginAttemptStore.perClient.failures).allSatisfy { $0 == .unauthorized })
            #expect(statuses.dropFirst(LoginAttemptStore.perClient.failures).allSatisfy { $0 == .tooManyRequests }, "the spraying client is stopped")
            let blocked = try await attacker.login("hr@altra.doorstroom.test")
            #expect(blocked.status == .tooManyRequests)
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
            // The owner of the last account, from her own address, is not locked out.
            let owner = Browser(browser.client, clientAddress: "198.51.100.9")
            #expect(try await owner.login("hr@cordaan.doorstroom.test").status == .found)
        }
    }

    @Test func theCheckBeforeErasureIsThrottledToo() async throws {
        try await TestApp.withDemo { browser, store in
            let client = Browser(browser.client, clientAddress: "203.0.113.8")
            try await client.login("student@doorstroom.test")
            var last: Browser.Page?
            for attempt in 0..<(LoginAttemptStore.perAccountAndClient.failures + 1) {
                _ = try await client.get("/mijn/gegevens")
                last = try await client.post("/mijn/gegevens/verwijderen", [("password", "fout-\(attempt)"), ("confirm", "VERWIJDER")])
            }
            #expect(last?.status == .tooManyRequests)
            #expect(try await store.accounts.find(email: "student@doorstroom.test") != nil)
        }
    }

    @Test func aRedirectTargetIsAPlainPathOfOurOwn() async throws {
        try await TestApp.withDemo { browser, _ in
            try await browser.login("student@doorstroom.test")
            for next in ["/%09/evil.example", "/%0A/evil.example", "/%5Cevil.example", "//evil.example", "/%20/evil.example", "https://evil.example"] {
                let page = try await browser.get("/login?next=" + next)
                #expect(page.location == "/mijn", "next=\(next)")
            }
            #expect(try await browser.get("/login?next=/vacatures%3Fq%3Djeugd").location == "/vacatures?q=jeugd")
        }
    }

    @Test func aLargeMultipartBodyWithoutASessionIsRefusedUnread() async throws {
        try await TestApp.withDemo { browser, _ in
            let boundary = String(repeating: "a", count: 70)
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 32 << 20)
            let page = try await browser.send(
                "/beheer/cursussen", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
            #expect(page.status == .forbidden)

            // Logged in, without the token as the first part: refused once past a form's size.
            let hr = Browser(browser.client)
            try await hr.login("hr@altra.doorstroom.test")
            let big = try await hr.send(
                "/beheer/cursussen", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
            #expect(big.status == .forbidden)
        }
    }

    @Test func multipartBoundariesAreFoundInLinearTime() {
        // The pathological shape: a body of nothing but boundary characters. A
        // quadratic search takes seconds on this; the linear one does not (no timing
        // here: the answer is what is checked, the time is in the note's measurement).
        let boundary = String(repeating: "-", count: 68) + "x"
        var body = Array(repeating: UInt8(ascii: "-"), count: 4 << 20)
        body += Array("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nwaarde\r\n--\(boundary)--\r\n".utf8)
        let form = FormData(multipart: body, boundary: boundary)
        #expect(form["a"] == "waarde")
        let normal = FormData(multipart: Array("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"y\"\r\n\r\ntwee\r\n--b--\r\n".utf8), boundary: "b")
        #expect(normal["x"] == "1" && normal["y"] == "twee")
    }

    @Test func csvCellsThatLookLikeFormulasAreNeutralised() throws {
        #expect(CSVText.neutralised("=HYPERLINK(\"https://evil.example\",\"klik\")") == "'=HYPERLINK(\"https://evil.example\",\"klik\")")
        for start in ["+", "-", "@", "\t", "\r"] { #expect(CSVText.neutralised(start + "1+1").hasPrefix("'")) }
        #expect(CSVText.neutralised("Altra") == "Altra")
        let table = MonitorTable(
            id: "t", title: "T", columns: [.init("organisatie", "Organisatie"), .init("saldo", "Saldo")],
            rows: [[.text("=HYPERLINK(\"https://evil.example\")"), .count(-3)]])
        let csv = table.csv(dutch: true)
        #expect(csv.contains("\"'=HYPERLINK(\"\"https://evil.example\"\")\""))
        #expect(csv.contains(";-3\r\n"), "numbers stay numbers")
    }

    @Test func absoluteLinksComeFromTheSiteAddressNotTheHostHeader() async throws {
        try await TestApp.withDemo { browser, _ in
            let feed = try await browser.get("/vacatures.atom", headers: [.init("Host")!: "evil.example"])
            #expect(feed.body.contains("href=\"\(TestApp.siteURL)/vacatures"))
            #expect(!feed.body.contains("evil.example"))
        }
    }

    @Test func behindHTTPSTheCookieIsHostPrefixedAndAnswersCarryHSTS() async throws {
        try await TestDatabase.withStore(poolSize: 4) { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 5)
            var configuration = TestApp.configuration
            configuration.alwaysSecureCookies = true
            let app = try await buildApplication(store: store, configuration: configuration, logger: TestDatabase.logger)
            try await app.test(.router) { client in
                let browser = Browser(client)
                let page = try await browser.get("/login")
                let cookie = try #require(page.headers[values: .setCookie].first)
                #expect(cookie.hasPrefix("__Host-doorstroom_session="))
                #expect(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.lowercased().contains("domain="))
                #expect(page.headers[.init("Strict-Transport-Security")!]?.hasPrefix("max-age=31536000") == true)
                #expect(try await browser.post("/login", [("email", "student@doorstroom.test"), ("password", "doorstroom-demo")]).status == .found)
                #expect(try await browser.get("/mijn").status == .ok)
            }
        }
    }
}

@Suite("The common-password list")
struct CommonPasswordTests {
    @Test func theListRefusesItsOwnEntriesAndNamesItsSource() throws {
        let list = CommonPasswords.shipped
        #expect(list.count >= 10_000)
        for entry in list.all {
            #expect(PasswordPolicy.problem(with: entry, email: "iemand@voorbeeld.nl", common: list) != nil, "\(entry)")
        }
        // Common words with the digits people add still count as common.
        #expect(list.contains("Welkom2026!!"))
        #expect(list.contains("123Dragon"))
        #expect(!list.contains("zeven lange paarden op het ijs"))
        let readme = try String(contentsOfFile: TestDatabase.projectRoot + "/Sources/Passwords/Resources/README.md", encoding: .utf8)
        #expect(readme.contains("zxcvbn") && readme.contains("MIT"))
    }
}
