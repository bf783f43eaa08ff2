import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import PQ
import Store
import TestSupport
import Testing
import WebApp

@Suite("HR advisers manage their own organisation's postings and applications")
struct HRTests {
    @Test func anHRAdviserCannotTouchAnotherOrganisationsPosting() async throws {
        try await TestApp.withDemo { browser, store in
            let cordaans = try await makePosting(store, organisation: "cordaan", title: "Van Cordaan Tapir")
            let id = cordaans.id.uuidString.lowercased()
            try await browser.login("hr@altra.doorstroom.test")
            #expect(try await browser.get("/beheer/vacatures/\(id)").status == .notFound)
            try await browser.get("/beheer/vacatures")
            let edit = try await browser.post("/beheer/vacatures/\(id)", [
                ("kind", "vacancy"), ("title", "Gekaapt"), ("municipality", "amsterdam"), ("description", "Overgenomen."),
            ])
            #expect(edit.status == .notFound)
            #expect(try await browser.post("/beheer/vacatures/\(id)/status", [("status", "closed")]).status == .notFound)
            #expect(try await browser.post("/beheer/vacatures/\(id)/kopie", []).status == .notFound)
            // Nor through the API with Altra's token.
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let token = try await store.apiTokens.create(organisation: altra.id, name: "test", by: nil)
            let put = try await browser.send(
                "/api/v1/postings/\(id)", method: .put,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"kind":"vacancy","title":"Gekaapt","municipality":"amsterdam","description":"Overgenomen."}"#))
            #expect(put.status == .notFound)
            #expect(put.headers[.contentType] == "application/json")
            let unchanged = try #require(try await store.postings.find(id: cordaans.id))
            #expect(unchanged.details.title == "Van Cordaan Tapir")
            #expect(unchanged.status == .published)
            // The list shows only Altra's postings.
            let list = try await browser.get("/beheer/vacatures")
            #expect(!list.body.contains("Van Cordaan Tapir"))
            // And another organisation's applications are not found either.
            let professional = try #require(try await store.accounts.find(email: "professional@doorstroom.test"))
            let application = try await store.applications.apply(to: cordaans.id, applicant: professional.id, motivation: "Graag, dit past mij goed.")
            #expect(try await browser.get("/beheer/sollicitaties/\(application.uuidString.lowercased())").status == .notFound)
        }
    }

    /// The address fields of the form: a postal code that is none is refused with its
    /// message and nothing is saved; a good one is written the Dutch way.
    @Test func theFormsAddressIsCheckedAndWrittenTheDutchWay() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            try await browser.get("/beheer/vacatures/nieuw")
            let altra = try #require(try await store.organisations.find(slug: "altra")).id
            let before = try await store.postings.forOrganisation(altra).count
            var fields = [("kind", "vacancy"), ("title", "Adres Wielewaal"), ("municipality", "amsterdam"), ("description", "Tekst."),
                          ("street_address", "Herengracht 12"), ("postal_code", "Amsterdam")]
            let refused = try await browser.post("/beheer/vacatures", fields)
            #expect(refused.status == .unprocessableContent && refused.body.contains("Vul een postcode in als 1015 BN."))
            #expect(try await store.postings.forOrganisation(altra).count == before)
            fields[5] = ("postal_code", "1015bn")
            #expect(try await browser.post("/beheer/vacatures", fields).status == .seeOther)
            let saved = try #require(try await store.postings.forOrganisation(altra).first { $0.details.title == "Adres Wielewaal" })
            #expect(saved.details.streetAddress == "Herengracht 12" && saved.details.postalCode == "1015 BN")
        }
    }

    @Test func createPublishCopyAndClose() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            try await browser.get("/beheer/vacatures/nieuw")
            let created = try await browser.post("/beheer/vacatures", [
                ("kind", "vacancy"), ("title", "Jeugdhulpverlener Zebravink"), ("function", "jeugdhulpverlener"), ("discipline", "jeugdhulp"),
                ("education_level", "hbo"), ("hours_min", "24"), ("hours_max", "32"), ("salary_scale", "9"), ("municipality", "amsterdam"),
                ("area", "oost"), ("start_date", day(40).iso), ("closing_date", day(20).iso), ("description", "Beschrijving.\n\n- een\n- twee"),
                ("contact", "hr@altra.nl"), ("duo", "on"), ("internal_until", ""),
            ])
            #expect(created.status == .seeOther)
            let editPath = try #require(created.location?.components(separatedBy: "?").first)
            let id = try #require(UUID(uuidString: String(editPath.split(separator: "/").last ?? "")))
            #expect(try await store.postings.find(id: id)?.status == .draft)
            #expect(!(try await Browser(browser.client).get("/vacatures?q=zebravink").body.contains("Zebravink")), "drafts do not list")
            // Preview works for the HR adviser.
            #expect(try await browser.get("/vacatures/\(id.uuidString.lowercased())").body.contains("voorvertoning"))
            try await browser.get(editPath)
            #expect(try await browser.post("/beheer/vacatures/\(id.uuidString.lowercased())/status", [("status", "published")]).status == .seeOther)
            #expect(try await Browser(browser.client).get("/vacatures?q=zebravink").body.contains("Jeugdhulpverlener Zebravink"))
            // Copy makes a new draft with the same details.
            try await browser.get("/beheer/vacatures")
            let copy = try await browser.post("/beheer/vacatures/\(id.uuidString.lowercased())/kopie", [])
            #expect(copy.status == .seeOther)
            let all = try await store.postings.forOrganisation(try #require(try await store.organisations.find(slug: "altra")).id)
            let zebras = all.filter { $0.details.title == "Jeugdhulpverlener Zebravink" }
            #expect(zebras.count == 2)
            #expect(Set(zebras.map(\.status)) == [.draft, .published])
            #expect(zebras.allSatisfy { $0.details.duoSuitable && $0.details.hoursMin == 24 && $0.details.areaSlug == "oost" })
            // Closing takes it off the list.
            try await browser.get("/beheer/vacatures")
            try await browser.post("/beheer/vacatures/\(id.uuidString.lowercased())/status", [("status", "closed")])
            #expect(!(try await Browser(browser.client).get("/vacatures?q=zebravink").body.contains("Zebravink")))
        }
    }

    @Test func badPostingInputGivesDutchMessagesAtTheFieldsAndStoresNothing() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@cordaan.doorstroom.test")
            try await browser.get("/beheer/vacatures/nieuw")
            let cordaan = try #require(try await store.organisations.find(slug: "cordaan"))
            let before = try await store.postings.forOrganisation(cordaan.id).count
            let page = try await browser.post("/beheer/vacatures", [
                ("kind", "shadow_day"), ("title", "<b"), ("function", "astronaut"), ("hours_min", "30"), ("hours_max", "20"),
                ("salary_scale", "99"), ("municipality", "diemen"), ("area", "zuidoost"), ("start_date", "31-02-2026"),
                ("description", ""), ("duo", "on"), ("places", ""),
            ])
            #expect(page.status == .unprocessableContent)
            for message in [
                "Kies een functie uit de lijst.", "Het maximum aantal uren is kleiner dan het minimum.",
                "De CAO Jeugdzorg kent schaal 1 tot en met 18.", "Dit gebied ligt niet in de gekozen gemeente.",
                "Vul een datum in als 31-12-2026.", "Beschrijf de functie, de plek en wat je vraagt.",
                "Alleen een vacature kan een duobaan zijn.", "Geef aan hoeveel plaatsen er zijn.",
            ] {
                #expect(page.body.contains(message), "\(message)")
            }
            #expect(page.body.contains("value=\"&lt;b\""), "what was typed stays, escaped")
            #expect(page.body.contains("id=\"title-fout\""))
            #expect(page.body.contains("Geef een titel van minstens 3 tekens."))
            #expect(try await store.postings.forOrganisation(cordaan.id).count == before)
            // Very long and strange input: a clear message, never a 500.
            let long = try await browser.post("/beheer/vacatures", [
                ("kind", "vacancy"), ("title", String(repeating: "ä", count: 5000)), ("municipality", "amsterdam"),
                ("description", String(repeating: "x\u{0}", count: 100)), ("hours_min", "99999999999999999999999"),
            ])
            #expect(long.status == .unprocessableContent)
            #expect(long.body.contains("De titel is te lang"))
            #expect(try await store.postings.forOrganisation(cordaan.id).count == before)
        }
    }

    @Test func applicationsMoveThroughTheirStatesAndAHireIsAMove() async throws {
        try await TestApp.withDemo { browser, store in
            let posting = try await makePosting(
                store, organisation: "altra", title: "Jeugdhulpverlener Pelikaan", function: "jeugdhulpverlener")
            let id = posting.id.uuidString.lowercased()
            let professional = Browser(browser.client)
            try await professional.login("professional@doorstroom.test")
            let detail = try await professional.get("/vacatures/\(id)")
            #expect(detail.body.contains("Korte motivatie"))
            let short = try await professional.post("/vacatures/\(id)/solliciteren", [("motivation", "kort")])
            #expect(short.status == .unprocessableContent)
            #expect(short.body.contains("Schrijf een korte motivatie (minstens 10 tekens)."))
            let applied = try await professional.post("/vacatures/\(id)/solliciteren", [("motivation", "Ik werk nu bij Spirit en wil graag bij Altra werken.")])
            #expect(applied.status == .seeOther)
            let mine = try await professional.get("/mijn/sollicitaties")
            #expect(mine.body.contains("Jeugdhulpverlener Pelikaan"))
            #expect(mine.body.contains("Ingediend"))
            // A second application is refused.
            try await professional.get("/vacatures/\(id)")
            let twice = try await professional.post("/vacatures/\(id)/solliciteren", [("motivation", "Nog een keer, want ik wil het echt.")])
            #expect(twice.status == .seeOther || twice.status == .conflict)
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test"))
            #expect(try await store.applications.mine(priya.id).filter { $0.postingID == posting.id }.count == 1)

            // The HR adviser of Altra opens it (audit line) and moves it on.
            try await browser.login("hr@altra.doorstroom.test")
            let list = try await browser.get("/beheer/sollicitaties")
            #expect(list.body.contains("Priya Ramdin"))
            let application = try #require(try await store.applications.mine(priya.id).first { $0.postingID == posting.id })
            let page = try await browser.get("/beheer/sollicitaties/\(application.id.uuidString.lowercased())")
            #expect(page.body.contains("Ik werk nu bij Spirit"))
            #expect(try await store.audit.about(priya.id).contains { $0.action == "application.view" && $0.actorName == "Hanneke de Wit (HR Altra)" })
            let skip = try await browser.post("/beheer/sollicitaties/\(application.id.uuidString.lowercased())/status", [("status", "hired")])
            #expect(skip.status == .conflict, "submitted cannot jump to hired")
            for next in ["in_review", "invited", "hired"] {
                try await browser.get("/beheer/sollicitaties/\(application.id.uuidString.lowercased())")
                #expect(try await browser.post("/beheer/sollicitaties/\(application.id.uuidString.lowercased())/status", [("status", next)]).status == .seeOther)
            }
            #expect(try await professional.get("/mijn/sollicitaties").body.contains("Aangenomen"))
            // The hire of a Spirit professional by Altra is a move in the employment history.
            let history = try await store.professionals.history(of: priya.id)
            #expect(history.first?.organisationName == "Altra")
            #expect(history.first?.endedOn == nil)
            #expect(history.contains { $0.organisationName == "Spirit" && $0.endedOn != nil })
            let moves = try await store.pool.query(
                """
                SELECT f.slug, t.slug, m.function_code FROM mobility_move m
                JOIN organisation f ON f.id = m.from_organisation_id JOIN organisation t ON t.id = m.to_organisation_id
                WHERE m.account_id = \(priya.id)
                """
            ).decode((String, String, String?).self)
            #expect(moves.count == 1)
            #expect(moves.first?.0 == "spirit")
            #expect(moves.first?.1 == "altra")
            #expect(moves.first?.2 == "jeugdhulpverlener")
        }
    }

    @Test func theApplicantWithdraws() async throws {
        try await TestApp.withDemo { browser, store in
            let posting = try await makePosting(store, organisation: "spirit", kind: .shadowDay, title: "Meeloopdag Kolibrie", places: 1)
            let id = posting.id.uuidString.lowercased()
            try await browser.login("student@doorstroom.test")
            try await browser.get("/vacatures/\(id)")
            #expect(try await browser.post("/vacatures/\(id)/solliciteren", [("motivation", "Ik wil graag een dag meelopen.")]).status == .seeOther)
            #expect(try await store.postings.find(id: posting.id)?.placesLeft == 0)
            let student = try #require(try await store.accounts.find(email: "student@doorstroom.test"))
            let application = try #require(try await store.applications.mine(student.id).first)
            try await browser.get("/mijn/sollicitaties")
            let asked = try await browser.post("/mijn/sollicitaties/\(application.id.uuidString.lowercased())/intrekken", [])
            #expect(asked.status == .ok && asked.body.contains("Sollicitatie intrekken?"))
            #expect(try await store.applications.mine(student.id).first?.status != .withdrawn, "nothing changes before the confirmation")
            #expect(try await browser.post("/mijn/sollicitaties/\(application.id.uuidString.lowercased())/intrekken", [("bevestigd", "1")]).status == .seeOther)
            #expect(try await browser.get("/mijn/sollicitaties").body.contains("Ingetrokken"))
            #expect(try await store.postings.find(id: posting.id)?.placesLeft == 1, "withdrawing frees the place")
            // Students may not apply for vacancies.
            let vacancy = try await makePosting(store, organisation: "spirit", title: "Vacature Kolibrie")
            try await browser.get("/vacatures/\(vacancy.id.uuidString.lowercased())")
            #expect(try await browser.post("/vacatures/\(vacancy.id.uuidString.lowercased())/solliciteren", [("motivation", "Ik wil deze baan graag.")]).status == .forbidden)
        }
    }

    @Test func fiftyRacingApplicationsForFivePlacesAcceptExactlyFive() async throws {
        try await TestDatabase.withStore(poolSize: 10) { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 50)
            let posting = try await makePosting(store, organisation: "cordaan", kind: .shadowDay, title: "Meeloopdag Race", places: 5)
            let applicants = try await store.pool.query(
                "SELECT a.id FROM account a JOIN professional p ON p.account_id = a.id WHERE a.email LIKE '%.doorstroom.test' ORDER BY a.email LIMIT 50"
            ).decode(UUID.self)
            #expect(applicants.count == 50)
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for applicant in applicants {
                    group.addTask {
                        do {
                            _ = try await store.applications.apply(to: posting.id, applicant: applicant, motivation: "Ik wil graag meelopen!")
                            return true
                        } catch ApplicationStore.ApplyFailure.placesTaken {
                            return false
                        }
                    }
                }
                var all: [Bool] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0 }.count == 5)
            #expect(outcomes.filter { !$0 }.count == 45)
            let stored = try await store.pool.query(
                "SELECT count(*) FROM application WHERE posting_id = \(posting.id) AND status <> 'withdrawn'").first(decoding: Int.self)
            #expect(stored == 5)
            #expect(try await store.postings.find(id: posting.id)?.placesLeft == 0)
        }
    }

    @Test func internshipHiresNeverExceedTheirPlaces() async throws {
        try await TestDatabase.withStore(poolSize: 6) { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 10)
            let posting = try await makePosting(store, organisation: "altra", kind: .internship, title: "Stage Egel", places: 1)
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let applicants = try await store.pool.query(
                "SELECT account_id FROM professional ORDER BY account_id LIMIT 3").decode(UUID.self)
            var applications: [UUID] = []
            for applicant in applicants {
                applications.append(try await store.applications.apply(to: posting.id, applicant: applicant, motivation: "Ik wil graag deze stage doen."))
            }
            for application in applications {
                _ = try await store.applications.move(application, by: altra.id, adviser: nil, to: .inReview)
            }
            // Two hires race for the one place: exactly one wins.
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for application in applications.prefix(2) {
                    group.addTask {
                        do {
                            _ = try await store.applications.move(application, by: altra.id, adviser: nil, to: .hired)
                            return true
                        } catch ApplicationStore.MoveFailure.placesTaken {
                            return false
                        }
                    }
                }
                var all: [Bool] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await store.postings.find(id: posting.id)?.placesLeft == 0)
            // Once the place is filled, nobody new can apply.
            let late = try await store.pool.query(
                "SELECT account_id FROM professional ORDER BY account_id OFFSET 5 LIMIT 1").first(decoding: UUID.self)!
            do {
                _ = try await store.applications.apply(to: posting.id, applicant: late, motivation: "Ik ben te laat maar wil graag.")
                Issue.record("applied to a filled internship")
            } catch ApplicationStore.ApplyFailure.placesTaken {}
        }
    }

    @Test func internshipAgreementsShowAgreedPostedAndFilled() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            let page = try await browser.get("/beheer/stageafspraken")
            #expect(page.status == .ok)
            #expect(page.body.contains("Stageafspraken \(Day(Date()).year)"))
            #expect(page.body.contains("<h2>Altra</h2>"))
            #expect(!page.body.contains("<h2>Cordaan</h2>"), "only the adviser's own organisation")
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let before = try await store.internships.overview(organisation: altra.id, year: Day(Date()).year)
            _ = try await makePosting(store, organisation: "altra", kind: .internship, title: "Stage Bever", level: .wo, places: 3)
            #expect(try await browser.post("/beheer/stageafspraken", [
                ("organisation", "altra"), ("year", String(Day(Date()).year)), ("level", "wo"), ("places", "7"),
            ]).status == .seeOther)
            let after = try await store.internships.overview(organisation: altra.id, year: Day(Date()).year)
            let wo = try #require(after.first { $0.educationLevel == .wo })
            #expect(wo.agreed == 7)
            #expect(wo.posted == (before.first { $0.educationLevel == .wo }?.posted ?? 0) + 3)
            let bad = try await browser.post("/beheer/stageafspraken", [
                ("organisation", "altra"), ("year", String(Day(Date()).year)), ("level", "wo"), ("places", "-4"),
            ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("Vul een aantal plaatsen tussen 0 en 10.000 in."))
            #expect(try await browser.post("/beheer/stageafspraken", [
                ("organisation", "cordaan"), ("year", "2026"), ("level", "wo"), ("places", "1"),
            ]).status == .notFound)
        }
    }

    @Test func apiTokensAreMadeShownOnceUsedAndRevokedOnTheirPage() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@cordaan.doorstroom.test")
            try await browser.get("/beheer/api-tokens")
            let empty = try await browser.post("/beheer/api-tokens", [("organisation", "cordaan"), ("name", " ")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("Geef de sleutel een naam"))
            #expect(try await browser.post("/beheer/api-tokens", [("organisation", "altra"), ("name", "Niet van mij")]).status == .notFound)
            let created = try await browser.post("/beheer/api-tokens", [("organisation", "cordaan"), ("name", "HR-systeem")])
            #expect(created.status == .ok)
            let token = try #require(created.body.range(of: "<code>ds_").map { range in
                String(created.body[range.lowerBound...].dropFirst(6).prefix { $0 != "<" })
            })
            // Shown once: the list shows the name, never the token again.
            let list = try await browser.get("/beheer/api-tokens")
            #expect(list.body.contains("HR-systeem"))
            #expect(!list.body.contains(token))
            let body = ByteBuffer(string: #"{"kind":"vacancy","title":"Via sleutel Gnoe","municipality":"amsterdam","description":"Tekst."}"#)
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            #expect(try await browser.send("/api/v1/postings", method: .post, headers: headers, body: body).status == .created)
            // Another organisation's adviser cannot revoke it; its own adviser can, and then it stops working.
            let cordaan = try #require(try await store.organisations.find(slug: "cordaan"))
            let id = try #require(try await store.apiTokens.list(organisation: cordaan.id).first { $0.name == "HR-systeem" }).id
            let altra = Browser(browser.client)
            try await altra.login("hr@altra.doorstroom.test")
            try await altra.get("/beheer/api-tokens")
            #expect(try await altra.post("/beheer/api-tokens/\(id.uuidString.lowercased())/intrekken", []).status == .notFound)
            try await browser.get("/beheer/api-tokens")
            #expect(try await browser.post("/beheer/api-tokens/\(id.uuidString.lowercased())/intrekken", []).body.contains("API-sleutel intrekken?"))
            #expect(try await store.apiTokens.list(organisation: cordaan.id).contains { $0.id == id }, "nothing changes before the confirmation")
            #expect(try await browser.post("/beheer/api-tokens/\(id.uuidString.lowercased())/intrekken", [("bevestigd", "1")]).status == .seeOther)
            #expect(try await browser.send("/api/v1/postings", method: .post, headers: headers, body: body).status == .unauthorized)
        }
    }

    @Test func professionalsAndStudentsCannotReachHRPages() async throws {
        try await TestApp.withDemo { browser, _ in
            try await browser.login("professional@doorstroom.test")
            for path in ["/beheer/vacatures", "/beheer/vacatures/nieuw", "/beheer/sollicitaties", "/beheer/stageafspraken", "/beheer/api-tokens"] {
                #expect(try await browser.get(path).status == .forbidden, "\(path)")
            }
        }
    }
}

@Suite("The postings API")
struct PostingAPITests {
    @Test func readingWritingAndErrorsNamingTheField() async throws {
        try await TestApp.withDemo { browser, store in
            let list = try await browser.get("/api/v1/postings?kind=shadow_day")
            #expect(list.status == .ok)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [String: Any])
            let items = try #require(object["items"] as? [[String: Any]])
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { $0["kind"] as? String == "shadow_day" })

            let unauthorized = try await browser.send(
                "/api/v1/postings", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}"))
            #expect(unauthorized.status == .unauthorized)

            let cordaan = try #require(try await store.organisations.find(slug: "cordaan"))
            let token = try await store.apiTokens.create(organisation: cordaan.id, name: "HR-systeem", by: nil)
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let invalid = try await browser.send(
                "/api/v1/postings", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"kind":"vacancy","title":"x","municipality":"rotterdam","hours_min":"veel","description":"ok"}"#))
            #expect(invalid.status == .unprocessableContent)
            let errorBody = try #require(try JSONSerialization.jsonObject(with: Data(invalid.body.utf8)) as? [String: Any])
            let fields = try #require(errorBody["fields"] as? [[String: String]]).compactMap { $0["field"] }
            #expect(Set(fields) == ["title", "municipality", "hours_min"])
            #expect(try await store.postings.forOrganisation(cordaan.id).filter { $0.details.title == "x" }.isEmpty)
            let notJSON = try await browser.send("/api/v1/postings", method: .post, headers: headers, body: ByteBuffer(string: "<xml/>"))
            #expect(notJSON.status == .unprocessableContent)

            let created = try await browser.send(
                "/api/v1/postings", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"kind":"internship","title":"API-stage Okapi","municipality":"amsterdam","places":2,"description":"Via de API.","status":"published","duo":false}"#))
            #expect(created.status == .created)
            let posting = try #require(try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])
            let id = try #require(posting["id"] as? String)
            #expect(posting["status"] as? String == "published")
            #expect(posting["organisation"] as? String == "cordaan")
            #expect(try await browser.get("/vacatures?q=okapi").body.contains("API-stage Okapi"))

            let updated = try await browser.send(
                "/api/v1/postings/\(id)", method: .put, headers: headers,
                body: ByteBuffer(string: #"{"kind":"internship","title":"API-stage Okapi (bijgewerkt)","municipality":"diemen","places":3,"description":"Nieuw."}"#))
            #expect(updated.status == .ok)
            let fetched = try await browser.get("/api/v1/postings/\(id)")
            #expect(fetched.body.contains("API-stage Okapi (bijgewerkt)"))
            #expect(try await browser.get("/api/v1/postings/00000000-0000-0000-0000-000000000000").status == .notFound)
            let spec = try await browser.get("/api/v1/openapi.json")
            #expect(spec.status == .ok)
            #expect(spec.body.contains("\"openapi\""))
        }
    }
}
