import Domain
import Foundation
import HTTPTypes
import PQ
import Store
import TestSupport
import Testing

@Suite("Everyday use: start pages, the menu, search addresses")
struct EverydayUseTests {
    @Test func anHRAdviserSeesANewApplicationOnTheStartPage() async throws {
        try await TestApp.withDemo { browser, store in
            let posting = try await makePosting(store, organisation: "altra", kind: .vacancy, title: "Ambulant hulpverlener startpagina", places: nil)
            try await browser.login("hr@altra.doorstroom.test")
            #expect(!(try await browser.get("/mijn").body.contains("Ambulant hulpverlener startpagina")))
            let priya = Browser(browser.client)
            try await priya.login("professional@doorstroom.test")
            try await priya.get("/vacatures/\(posting.id.lowercased)")
            #expect(try await priya.post("/vacatures/\(posting.id.lowercased)/solliciteren", [("motivation", "Ik werk al vijf jaar ambulant en wil graag bij Altra aan de slag.")]).status == .seeOther)
            let start = try await browser.get("/mijn")
            #expect(start.body.contains("Nieuwe sollicitaties"))
            #expect(start.body.contains("Ambulant hulpverlener startpagina"))
            #expect(start.body.contains("1 nieuwe sollicitatie"))
            #expect(start.body.contains("Roulaties om goed te keuren") && start.body.contains("Laatste cursusimport"))
        }
    }

    /// The start page is kept while nothing it reads changed; a change shows at once.
    @Test func theKeptStartPageShowsAChangeAtOnce() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("professional@doorstroom.test")
            let first = try await browser.get("/mijn")
            #expect(try await browser.get("/mijn").body == first.body)
            // A new posting for each of the professional's functions: the newest fit.
            let functions = try await store.pool.query(
                """
                SELECT f.function_code FROM professional_function f JOIN account a ON a.id = f.account_id
                WHERE a.email = 'professional@doorstroom.test'
                """).decode(String.self)
            #expect(!functions.isEmpty)
            for function in functions {
                _ = try await makePosting(store, organisation: "cordaan", title: "Startpagina past \(function)", function: function)
            }
            #expect(try await browser.get("/mijn").body.contains("Startpagina past"))
            // Her enrolments cancelled (in the database, as another instance would):
            // the page says she is enrolled nowhere.
            #expect(!first.body.contains("Je staat nergens ingeschreven."))
            _ = try await store.pool.query(
                """
                UPDATE enrolment SET status = 'cancelled'
                WHERE account_id = (SELECT id FROM account WHERE email = 'professional@doorstroom.test') AND status IN ('enrolled', 'waitlisted')
                """)
            #expect(try await browser.get("/mijn").body.contains("Je staat nergens ingeschreven."))
        }
    }

    @Test func aProfessionalSeesANewProposalAndTheUnreadCount() async throws {
        try await TestApp.withDemo { browser, store in
            let start = Date().addingTimeInterval(5 * 86_400)
            let member = try await makePoolMembers(store, count: 1, window: TimeWindow(start: start.addingTimeInterval(-3600), end: start.addingTimeInterval(12 * 3600)), prefix: "start")[0]
            let client = Browser(browser.client)
            client.setCookie("doorstroom_session", member.sessionToken)
            let before = try await client.get("/mijn")
            #expect(before.body.contains("Geen voorstellen die op je antwoord wachten."))
            #expect(!before.body.contains("class=\"badge\""))
            let shift = try await demand(store, organisation: "altra", from: start, people: 1)
            _ = try await store.pool.query(
                "INSERT INTO shift_assignment (demand_id, account_id, status, source) VALUES (\(shift), \(member.id), 'proposed', 'matching')")
            try await store.notifications.add(.init(kind: .shiftProposed, subject: "Een dienst voor je", body: "Neem hem aan of zeg af.", link: "/mijn/diensten"), for: member.id)
            let after = try await client.get("/mijn")
            #expect(after.body.contains("Diensten om te beantwoorden"))
            #expect(after.body.contains("bij Altra"))
            #expect(after.body.contains("<span class=\"badge\" aria-label=\"1 ongelezen\">1</span>"), "Berichten shows the unread count")
            #expect(after.body.contains("1 ongelezen bericht"))
            _ = try await client.get("/mijn/berichten")
            _ = try await client.post("/mijn/berichten/gelezen", [])
            #expect(!(try await client.get("/mijn").body.contains("class=\"badge\"")))
        }
    }

    @Test func aCoordinatorSeesANewGapUrgentFirst() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("coordinator@doorstroom.test")
            let start = Date().addingTimeInterval(3 * 86_400)
            let gap = try await demand(store, organisation: "cordaan", area: "uithoorn", qualification: "gz-psycholoog", from: start, people: 2, priority: .urgent)
            let page = try await browser.get("/mijn")
            #expect(page.body.contains("Gaten in de komende 7 dagen"))
            #expect(page.body.contains("#vraag-\(gap.lowercased)"))
            #expect(page.body.contains("nog 2 van 2 (spoed)"))
            let firstGap = try #require(page.body.range(of: "Gaten in de komende 7 dagen"))
            let firstItem = page.body[firstGap.upperBound...].range(of: "<li class=\"urgent\">")
            #expect(firstItem != nil, "urgent gaps come first")
        }
    }

    @Test func theMenuHasAtMostSixGroupsPerRoleAndMarksTheCurrentPage() async throws {
        try await TestApp.withDemo { browser, _ in
            for email in ["professional@doorstroom.test", "student@doorstroom.test", "hr@altra.doorstroom.test", "coordinator@doorstroom.test", "admin@doorstroom.test"] {
                let client = Browser(browser.client)
                try await client.login(email)
                let page = try await client.get(email.hasPrefix("hr") ? "/beheer/sollicitaties" : "/mijn/account")
                let menu = try #require(page.body.components(separatedBy: "aria-label=\"Hoofdmenu\"").dropFirst().first?.components(separatedBy: "</nav>").first)
                let groups = menu.components(separatedBy: "<li>").count - 1
                #expect(groups <= 6, "\(email): \(groups) groups")
                #expect(!menu.contains("Vacatures beheren"), "no look-alike pairs")
                if email.hasPrefix("hr") {
                    #expect(page.body.contains("<a href=\"/beheer/sollicitaties\" aria-current=\"page\">Sollicitaties</a>"), "the section's own pages, the current one marked")
                    #expect(menu.contains("aria-current=\"true\">Werving"))
                }
            }
        }
    }

    @Test func emptySearchFieldsLeaveTheAddress() async throws {
        try await TestApp.withDemo { browser, _ in
            let page = try await browser.get("/vacatures?q=jeugd&soort=&organisatie=&functie=&uren_min=&sortering=")
            #expect(page.status == .found)
            #expect(page.location == "/vacatures?q=jeugd")
            #expect(try await browser.get("/academie?q=&onderwerp=").location == "/academie")
            let folded = try await browser.get("/vacatures?soort=stage")
            #expect(folded.body.contains("<details class=\"more-filters\" open>"))
            #expect(folded.body.contains("Filters (1 gekozen)"))
            #expect(try await browser.get("/vacatures").body.contains("<details class=\"more-filters\">"))
        }
    }

    @Test func theHomePageSearchesWhatAndWhereAndCountsPerKind() async throws {
        try await TestApp.withDemo { browser, store in
            let home = try await browser.get("/")
            // The academy's soonest course comes first.
            let soonest = try #require(try await store.pool.query(
                """
                SELECT c.name FROM course c JOIN course_offering x ON x.course_id = c.id
                WHERE c.withdrawn_at IS NULL AND x.withdrawn_at IS NULL AND x.start_date >= (now() AT TIME ZONE 'Europe/Amsterdam')::date
                ORDER BY x.start_date, c.name, c.id LIMIT 1
                """).first(decoding: String.self))
            let academy = try #require(home.body.range(of: "Binnenkort in de Jeugd Academie"))
            let firstLink = try #require(home.body.range(of: "<a href=\"/academie/", range: academy.upperBound..<home.body.endIndex))
            #expect(home.body[firstLink.upperBound...].prefix(300).contains(soonest.replacingOccurrences(of: "'", with: "&#39;")))
            #expect(home.body.contains("<label for=\"q\">Wat</label>") && home.body.contains("<label for=\"gemeente\">Waar</label>"))
            #expect(home.body.contains("stages</a>") && home.body.contains("vacatures</a>"))
            #expect(home.body.contains("Nieuwste vacatures") && home.body.contains("Binnenkort in de Jeugd Academie") && home.body.contains("Ontmoetingen"))
        }
    }

    /// Past the count's cap the home page says "meer dan 1.000", never a count that
    /// stopped at the cap as if it were the number.
    @Test func theHomePageCountsPastTheCapAsMoreThan() async throws {
        try await TestApp.withDemo { browser, store in
            _ = try await store.pool.query(
                """
                INSERT INTO posting (organisation_id, status, published_at, kind, title, municipality_slug, description, closing_date)
                SELECT (SELECT id FROM organisation WHERE slug = 'altra'), 'published', now(), 'vacancy', 'Vacature ' || g, 'amsterdam', 'Tekst',
                       current_date + 30
                FROM generate_series(1, \(PostingStore.countCap + 5)) AS g
                """)
            let home = try await browser.get("/").body
            #expect(home.contains("<strong>meer dan 1.000</strong> vacatures"))
        }
    }

    @Test func adminsSearchAndPageThroughAccountsWithControlsNamedForTheirRow() async throws {
        try await TestApp.withDemo { browser, _ in
            try await browser.login("admin@doorstroom.test")
            let all = try await browser.get("/beheer/accounts")
            #expect(all.body.contains("Zoek op naam of e-mailadres"))
            #expect(all.body.contains("<option value=\"\">Kies een rol</option>"), "the role selector does not start on Beheerder")
            #expect(all.body.contains("aria-label=\"Rol toekennen aan Priya Ramdin\""))
            #expect(all.body.contains("Rol voor Priya Ramdin"))
            let found = try await browser.get("/beheer/accounts?q=ALTRA")
            #expect(found.body.contains("hr@altra.doorstroom.test"))
            #expect(!found.body.contains("hr@cordaan.doorstroom.test"))
            #expect(try await browser.get("/beheer/accounts?q=%25").body.contains("0 accounts"), "a % is a character, not a wildcard")
        }
    }
}
