import Domain
import Foundation
import HTTPTypes
import Matching
import NIOCore
import PQ
import Store
import Testing

/// A pool member made directly in the database: a professional of `organisation` in
/// `function` (one that needs no registration), with a VOG of 100 days old, working in
/// `area`, available during `window`, with a session to act through.
struct PoolMemberFixture {
    let id: UUID
    let name: String
    let sessionToken: String
    let csrf: String
}

func makePoolMembers(
    _ store: Store, count: Int, organisation: String = "spirit", function: String = "pedagogisch-medewerker",
    area: String = "west", window: TimeWindow, cap: Int = 40, prefix: String = "pool"
) async throws -> [PoolMemberFixture] {
    var members: [PoolMemberFixture] = []
    for index in 0..<count {
        let name = "\(prefix.capitalized) Lid \(index + 1)"
        let id = try await store.pool.transaction { tx in
            let id = try await tx.query(
                "INSERT INTO account (email, display_name) VALUES (\("\(prefix).\(index)@\(organisation).doorstroom.test"), \(name)) RETURNING id"
            ).first(decoding: UUID.self)!
            _ = try await tx.query("INSERT INTO role_grant (account_id, role) VALUES (\(id), 'professional')")
            _ = try await tx.query(
                "INSERT INTO professional (account_id, disciplines, vog_issued_on) VALUES (\(id), '{jeugdhulp}', current_date - 100)")
            _ = try await tx.query("INSERT INTO professional_function (account_id, function_code) VALUES (\(id), \(function))")
            _ = try await tx.query(
                """
                INSERT INTO employment (account_id, organisation_id, function_code, started_on)
                SELECT \(id), o.id, \(function), DATE '2020-01-01' FROM organisation o WHERE o.slug = \(organisation)
                """
            )
            return id
        }
        try await store.flexpool.join(
            id, PoolMembership(functionCodes: [function], disciplines: [.jeugdhulp], areaSlugs: [area], preferredAreaSlugs: [], weeklyCapHours: cap),
            calendarToken: "fixture\(prefix)\(index)xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
        try await store.flexpool.addAvailability(id, [window])
        let session = try await store.sessions.create(accountID: id)
        members.append(PoolMemberFixture(id: id, name: name, sessionToken: session.token, csrf: session.csrfToken))
    }
    return members
}

/// Sends each member's POST (with their session and CSRF token) all at once; the
/// status codes, in the order they came back.
func racePosts(_ browser: Browser, _ requests: [(PoolMemberFixture, String)]) async throws -> [Int] {
    try await withThrowingTaskGroup(of: Int.self) { group in
        for (member, path) in requests {
            group.addTask {
                let client = Browser(browser.client)
                client.setCookie("doorstroom_session", member.sessionToken)
                return Int(try await client.post(path, [], csrf: member.csrf).status.code)
            }
        }
        var all: [Int] = []
        for try await status in group { all.append(status) }
        return all
    }
}

/// Noon on a day some weeks ahead, Amsterdam time, plus `hours`.
func future(days: Int, hour: Int) -> Date {
    AmsterdamTime.date(AmsterdamTime.adding(days, to: Day(Date())), minutes: hour * 60)
}

func demand(
    _ store: Store, organisation: String = "altra", area: String = "west", qualification: String = "pedagogisch-medewerker",
    from: Date, hours: Double = 8, people: Int = 1, priority: ShiftDemand.Priority = .normal
) async throws -> UUID {
    let coordinator = try await store.pool.query("SELECT id FROM account WHERE email = 'coordinator@doorstroom.test'").first(decoding: UUID.self)!
    return try await store.flexpool.post([ShiftDemand(
        qualification: qualification, organisationSlug: organisation, areaSlug: area,
        shift: TimeWindow(start: from, end: from.addingTimeInterval(hours * 3600)), peopleNeeded: people, priority: priority, note: "")],
        by: coordinator)[0]
}

@Suite("Flexpool on the web") struct FlexpoolWebTests {
    @Test func aHundredConcurrentClaimsOfTheLastPlaceGiveExactlyOne() async throws {
        try await TestApp.withDemo(poolSize: 10) { browser, store in
            let window = TimeWindow(start: future(days: 60, hour: 6), end: future(days: 60, hour: 22))
            let members = try await makePoolMembers(store, count: 100, window: window)
            let shift = try await demand(store, from: future(days: 60, hour: 9), people: 2)
            // One place already taken: the hundred race for the last one.
            let first = try await makePoolMembers(store, count: 1, window: window, prefix: "eerste")[0]
            try await store.flexpool.claim(shift, by: first.id)

            let statuses = try await racePosts(browser, members.map { ($0, "/flexpool/diensten/\(shift.lowercased)/claimen") })
            #expect(statuses.filter { $0 == 303 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 99)
            let confirmed = try await store.pool.query(
                "SELECT count(*) FROM shift_assignment WHERE demand_id = \(shift) AND status = 'confirmed'").first(decoding: Int.self)
            #expect(confirmed == 2)
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 2)
        }
    }

    @Test func onePersonClaimingTwoOverlappingShiftsAtOnceGetsOne() async throws {
        try await TestApp.withDemo { browser, store in
            let window = TimeWindow(start: future(days: 61, hour: 6), end: future(days: 61, hour: 23))
            let member = try await makePoolMembers(store, count: 1, window: window)[0]
            let a = try await demand(store, organisation: "altra", from: future(days: 61, hour: 8))
            let b = try await demand(store, organisation: "cordaan", from: future(days: 61, hour: 12))
            for _ in 0..<5 {
                let statuses = try await racePosts(browser, [a, b].map { (member, "/flexpool/diensten/\($0.lowercased)/claimen") })
                #expect(statuses.sorted() == [303, 409])
                let live = try await store.pool.query(
                    "SELECT count(*) FROM shift_assignment WHERE account_id = \(member.id) AND status = 'confirmed'").first(decoding: Int.self)
                #expect(live == 1)
                // Give it back and race again.
                _ = try await store.pool.query("UPDATE shift_assignment SET status = 'declined' WHERE account_id = \(member.id)")
            }
        }
    }

    @Test func theDatabaseItselfRefusesADoubleBookingAndTooLittleRest() async throws {
        try await TestApp.withDemo { _, store in
            let window = TimeWindow(start: future(days: 62, hour: 0), end: future(days: 63, hour: 23))
            let member = try await makePoolMembers(store, count: 1, window: window)[0]
            let a = try await demand(store, organisation: "altra", from: future(days: 62, hour: 8))
            let overlapping = try await demand(store, organisation: "cordaan", from: future(days: 62, hour: 15))
            let tooClose = try await demand(store, organisation: "jbra", from: future(days: 63, hour: 2))
            for shift in [a, overlapping, tooClose] {
                _ = try await store.pool.query(
                    "INSERT INTO shift_assignment (demand_id, account_id, status, source) VALUES (\(shift), \(member.id), 'proposed', 'matching')")
            }
            _ = try await store.pool.query("UPDATE shift_assignment SET status = 'confirmed' WHERE demand_id = \(a)")
            await #expect(throws: PostgresError.self) {
                _ = try await store.pool.query("UPDATE shift_assignment SET status = 'confirmed' WHERE demand_id = \(overlapping)")
            }
            do {
                _ = try await store.pool.query("UPDATE shift_assignment SET status = 'confirmed' WHERE demand_id = \(tooClose)")
                Issue.record("a shift 3 hours after another was confirmed")
            } catch let error as PostgresError {
                #expect(error.constraint == "shift_assignment_rest")
            }
            // More confirmed people than asked for is refused too.
            let other = try await makePoolMembers(store, count: 1, window: window, prefix: "ander")[0]
            _ = try await store.pool.query(
                "INSERT INTO shift_assignment (demand_id, account_id, status, source) VALUES (\(a), \(other.id), 'proposed', 'matching')")
            do {
                _ = try await store.pool.query("UPDATE shift_assignment SET status = 'confirmed' WHERE demand_id = \(a) AND account_id = \(other.id)")
                Issue.record("a second person was confirmed on a shift for one")
            } catch let error as PostgresError {
                #expect(error.constraint == "shift_demand_not_overfilled")
            }
        }
    }

    /// Two 08:00 shifts in one Amsterdam week (Tuesday and Wednesday, some weeks ahead),
    /// and a window of availability around both.
    static func tuesdayAndWednesday(weeksAhead: Int) -> (monday: Day, tuesday: Date, wednesday: Date, window: TimeWindow) {
        let base = Day(future(days: 7 * weeksAhead, hour: 0))
        let monday = AmsterdamTime.adding(1 - AmsterdamTime.weekday(of: base), to: base)
        let tuesday = AmsterdamTime.date(AmsterdamTime.adding(1, to: monday), minutes: 8 * 60)
        let wednesday = AmsterdamTime.date(AmsterdamTime.adding(2, to: monday), minutes: 8 * 60)
        return (monday, tuesday, wednesday, TimeWindow(start: tuesday.addingTimeInterval(-3600), end: wednesday.addingTimeInterval(10 * 3600)))
    }

    /// A gap on the board names the people who came nearest and what held each back.
    @Test func aGapNamesWhoCameNearestAndWhy() async throws {
        try await TestApp.withDemo { browser, store in
            let (monday, tuesday, wednesday, window) = Self.tuesdayAndWednesday(weeksAhead: 10)
            // Eight hours a week: one of the two shifts.
            let near = try await makePoolMembers(store, count: 1, window: window, cap: 8, prefix: "bijna")[0]
            // Free both days, but not working in this area.
            let elsewhere = try await makePoolMembers(store, count: 1, area: "noord", window: window, prefix: "elders")[0]
            _ = try await demand(store, from: tuesday)
            _ = try await demand(store, from: wednesday)
            try await browser.login("coordinator@doorstroom.test")
            let from = monday.iso
            _ = try await browser.get("/flexpool/coordinatie?van=\(from)")
            let run = try await browser.post("/flexpool/coordinatie/matching", [("van", from), ("weken", "1")])
            #expect(run.status == .seeOther)
            let board = try await browser.get(run.location!)
            #expect(board.body.contains("Bijna: \(near.name) (8 uur boven het weekmaximum)"), "the nearest first, with the hours over the cap")
            #expect(board.body.contains("\(elsewhere.name) (werkt niet in dit gebied)"))
            // The stored run says the same in the result's terms.
            let stored = try #require(try await store.flexpool.latestRun(overlapping: window, organisations: nil))
            let gap = try #require(stored.gaps.first { !$0.nearMisses.isEmpty })
            #expect(gap.nearMisses.first?.person == near.id.lowercased)
            #expect(gap.nearMisses.first?.rules == [.weeklyCap])
        }
    }

    /// "Wat als?": more hours for someone, or one more person, shows the gap it closes;
    /// nothing is saved; a form without a choice says what is missing.
    @Test func whatIfShowsTheGapsAChangeClosesAndSavesNothing() async throws {
        try await TestApp.withDemo { browser, store in
            let (monday, tuesday, wednesday, window) = Self.tuesdayAndWednesday(weeksAhead: 11)
            let member = try await makePoolMembers(store, count: 1, window: window, cap: 8, prefix: "watals")[0]
            _ = try await demand(store, from: tuesday)
            _ = try await demand(store, from: wednesday)
            try await browser.login("coordinator@doorstroom.test")
            let from = monday.iso
            let form = try await browser.get("/flexpool/coordinatie/wat-als?van=\(from)&weken=1")
            #expect(form.status == .ok)
            #expect(form.body.contains(member.name))
            let assignmentsBefore = try await store.pool.query("SELECT count(*) FROM shift_assignment").first(decoding: Int.self)
            let runsBefore = try await store.pool.query("SELECT count(*) FROM matching_run").first(decoding: Int.self)

            let hours = try await browser.post("/flexpool/coordinatie/wat-als", [
                ("van", from), ("weken", "1"), ("soort", "uren"), ("lid", member.id.lowercased), ("lid-uren", "16"),
            ])
            #expect(hours.status == .ok)
            #expect(hours.body.contains("vult de matching 1 plaats meer"))
            #expect(hours.body.contains("Deze gaten gaan dicht"))
            #expect(hours.body.contains("Er is niets opgeslagen"))

            let extra = try await browser.post("/flexpool/coordinatie/wat-als", [
                ("van", from), ("weken", "1"), ("soort", "persoon"), ("kwalificatie", "pedagogisch-medewerker"), ("gebied", "west"), ("uren", "8"),
            ])
            #expect(extra.body.contains("vult de matching 1 plaats meer"))

            let missing = try await browser.post("/flexpool/coordinatie/wat-als", [("van", from), ("weken", "1"), ("soort", "uren"), ("lid-uren", "99")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains("Kies iemand uit de pool."))
            #expect(missing.body.contains("Geef de uren per week als een getal van 1 tot en met 40."))
            #expect(!missing.body.contains("Uitkomst"))

            #expect(try await store.pool.query("SELECT count(*) FROM shift_assignment").first(decoding: Int.self) == assignmentsBefore)
            #expect(try await store.pool.query("SELECT count(*) FROM matching_run").first(decoding: Int.self) == runsBefore)
        }
    }

    @Test func theBoardShowsProposalsAndGapsAndConfirmingWritesAssignments() async throws {
        try await TestApp.withDemo { browser, store in
            let window = TimeWindow(start: future(days: 64, hour: 6), end: future(days: 64, hour: 22))
            let members = try await makePoolMembers(store, count: 2, window: window)
            let filled = try await demand(store, organisation: "altra", from: future(days: 64, hour: 8), people: 2, priority: .urgent)
            // Nobody in the pool is a GZ-psycholoog in Uithoorn.
            let unfillable = try await demand(store, organisation: "cordaan", area: "uithoorn", qualification: "gz-psycholoog", from: future(days: 64, hour: 9))
            try await browser.login("coordinator@doorstroom.test")
            let from = Day(future(days: 64, hour: 0)).iso
            var board = try await browser.get("/flexpool/coordinatie?van=\(from)")
            #expect(board.status == .ok)
            #expect(board.body.contains("nog niet gematcht"))

            let run = try await browser.post("/flexpool/coordinatie/matching", [("van", from), ("weken", "1")])
            #expect(run.status == .seeOther)
            board = try await browser.get(run.location!)
            for member in members { #expect(board.body.contains(member.name)) }
            #expect(board.body.contains("Voorgesteld"))
            #expect(board.body.contains("niemand met deze kwalificatie"))
            let page = try await browser.get("/flexpool/coordinatie/vraag/\(unfillable.lowercased)/mensen")
            #expect(page.body.contains("Niemand in de pool heeft deze functie of discipline in dit gebied"))
            #expect(board.body.contains("id=\"vraag-\(unfillable.lowercased)\""))

            // Confirm one by its check box, then the rest at once.
            let proposals = try await store.flexpool.assignments(on: [filled], since: Date()).filter { $0.status == .proposed }
            #expect(proposals.count == 2)
            var confirm = try await browser.post("/flexpool/coordinatie/bevestigen", [("van", from), ("weken", "1"), ("assignment", proposals[0].id.lowercased)])
            #expect(confirm.status == .seeOther)
            #expect(try await store.flexpool.demand(filled)?.peopleConfirmed == 1)
            confirm = try await browser.post("/flexpool/coordinatie/bevestigen", [("van", from), ("weken", "1"), ("all", "1")])
            #expect(confirm.status == .seeOther)
            #expect(try await store.flexpool.demand(filled)?.peopleConfirmed == 2)

            // A re-run keeps the confirmed people where they are.
            _ = try await browser.post("/flexpool/coordinatie/matching", [("van", from), ("weken", "1")])
            let after = try await store.flexpool.assignments(on: [filled], since: Date())
            #expect(Set(after.filter { $0.status == .confirmed }.map(\.accountID)) == Set(members.map(\.id)))

            // The member declines: the gap opens again and the board says so.
            let member = Browser(browser.client)
            member.setCookie("doorstroom_session", members[0].sessionToken)
            let mine = try await member.get("/mijn/diensten")
            #expect(mine.body.contains("Altra"))
            let assignment = after.first { $0.accountID == members[0].id }!.id
            let asked = try await member.post("/mijn/diensten/\(assignment.lowercased)/afzeggen", [], csrf: members[0].csrf)
            #expect(asked.body.contains("Dienst afzeggen?") || asked.body.contains("Dienst teruggeven?"), "it asks first")
            if asked.body.contains("binnen 48 uur") {
                // Short notice: without a reason nothing changes; with one, the coordinators hear it.
                let bare = try await member.post("/mijn/diensten/\(assignment.lowercased)/afzeggen", [("bevestigd", "1")], csrf: members[0].csrf)
                #expect(bare.status == .unprocessableContent && bare.body.contains("Vul in waarom je de dienst teruggeeft."))
                #expect(try await store.flexpool.demand(filled)?.peopleConfirmed == 2)
            }
            let declined = try await member.post("/mijn/diensten/\(assignment.lowercased)/afzeggen", [("bevestigd", "1"), ("reden", "Ziek geworden")], csrf: members[0].csrf)
            #expect(declined.status == .seeOther)
            if asked.body.contains("binnen 48 uur") {
                let coordinator = try #require(try await store.accounts.find(email: "coordinator@doorstroom.test"))
                #expect(try await store.notifications.inbox(of: coordinator.id).contains { $0.kind == .shiftReturned && $0.body.contains("Ziek geworden") })
            }
            #expect(try await store.flexpool.demand(filled)?.peopleConfirmed == 1)
            board = try await browser.get("/flexpool/coordinatie?van=\(from)")
            #expect(board.body.contains("weer open (afgezegd of ingetrokken)"))
            #expect(board.body.contains("\(members[0].name): afgezegd"))

            // Undo the other one.
            let other = after.first { $0.accountID == members[1].id }!.id
            let undone = try await browser.post("/flexpool/coordinatie/toewijzingen/\(other.lowercased)/ongedaan", [("van", from)])
            #expect(undone.status == .seeOther)
            #expect(try await store.flexpool.demand(filled)?.peopleConfirmed == 0)
        }
    }

    @Test func givingBackAConfirmedShiftWithin48HoursNeedsAReasonAndTellsTheCoordinators() async throws {
        try await TestApp.withDemo { browser, store in
            let start = Date().addingTimeInterval(20 * 3600)
            let window = TimeWindow(start: start.addingTimeInterval(-3600), end: start.addingTimeInterval(10 * 3600))
            let member = try await makePoolMembers(store, count: 1, window: window, prefix: "kort")[0]
            let shift = try await demand(store, organisation: "altra", from: start, people: 1)
            let assignment = try await store.pool.query(
                "INSERT INTO shift_assignment (demand_id, account_id, status, source) VALUES (\(shift), \(member.id), 'proposed', 'matching') RETURNING id"
            ).first(decoding: UUID.self)!
            _ = try await store.pool.query("UPDATE shift_assignment SET status = 'confirmed' WHERE id = \(assignment)")
            let client = Browser(browser.client)
            client.setCookie("doorstroom_session", member.sessionToken)
            let path = "/mijn/diensten/\(assignment.lowercased)/afzeggen"

            let asked = try await client.post(path, [], csrf: member.csrf)
            #expect(asked.body.contains("Dienst teruggeven?") && asked.body.contains("binnen 48 uur"))
            let bare = try await client.post(path, [("bevestigd", "1")], csrf: member.csrf)
            #expect(bare.status == .unprocessableContent)
            #expect(bare.body.contains("Vul in waarom je de dienst teruggeeft."))
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 1, "nothing changes without a reason")

            let given = try await client.post(path, [("bevestigd", "1"), ("reden", "Mijn kind is ziek")], csrf: member.csrf)
            #expect(given.location == "/mijn/diensten?gelukt=afgezegd")
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 0)
            let coordinator = try #require(try await store.accounts.find(email: "coordinator@doorstroom.test"))
            let told = try await store.notifications.inbox(of: coordinator.id).filter { $0.kind == .shiftReturned }
            #expect(told.count == 1 && told[0].body.contains("Mijn kind is ziek") && told[0].body.contains(member.name))
            #expect(try await store.audit.recent(limit: 20).contains { $0.action == AuditAction.flexpoolDecline.rawValue && $0.reason == "Mijn kind is ziek" })
        }
    }

    @Test func aProfessionalCannotSeeOrActOnTheCoordinatorsPages() async throws {
        try await TestApp.withDemo { browser, store in
            let shift = try await demand(store, from: future(days: 65, hour: 9))
            try await browser.login("professional@doorstroom.test")
            for path in ["/flexpool/coordinatie", "/flexpool/coordinatie/vraag", "/flexpool/coordinatie/vraag/\(shift.lowercased)"] {
                #expect(try await browser.get(path).status == .forbidden, "\(path)")
            }
            _ = try await browser.get("/flexpool")
            for path in ["/flexpool/coordinatie/matching", "/flexpool/coordinatie/bevestigen", "/flexpool/coordinatie/vraag",
                         "/flexpool/coordinatie/vraag/\(shift.lowercased)/annuleren"] {
                #expect(try await browser.post(path, [("van", "2030-01-01")]).status == .forbidden, "\(path)")
            }
            #expect(try await store.flexpool.demand(shift)?.status == .open)
            // And a coordinator is no pool member.
            let coordinator = Browser(browser.client)
            try await coordinator.login("coordinator@doorstroom.test")
            #expect(try await coordinator.get("/flexpool").status == .forbidden)
        }
    }

    @Test func postingDemandByFormAndByCSVWithLineErrors() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("coordinator@doorstroom.test")
            _ = try await browser.get("/flexpool/coordinatie/vraag")
            let date = Day(future(days: 66, hour: 0)).iso
            let bad = try await browser.post("/flexpool/coordinatie/vraag", [
                ("organisation", "altra"), ("area", "nergens"), ("qualification", "jeugdhulpverlener"), ("date", date),
                ("start", "25:00"), ("end", "07:00"), ("people", "0"), ("priority", "normal"), ("note", "Nachtdienst"),
            ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("Kies een gebied uit de lijst."))
            #expect(bad.body.contains("Geef de begintijd als UU:MM."))
            #expect(bad.body.contains("Geef het aantal mensen"))
            #expect(bad.body.contains(">Nachtdienst</textarea>"))
            let before = try await store.pool.query("SELECT count(*) FROM shift_demand").first(decoding: Int.self)

            let good = try await browser.post("/flexpool/coordinatie/vraag", [
                ("organisation", "altra"), ("area", "noord"), ("qualification", "jeugdhulpverlener"), ("date", date),
                ("start", "23:00"), ("end", "07:00"), ("people", "2"), ("priority", "urgent"), ("note", "Nachtdienst"),
            ])
            #expect(good.status == .seeOther)
            let night = try await store.pool.query(
                "SELECT upper(shift) - lower(shift) = interval '8 hours', priority FROM shift_demand WHERE note = 'Nachtdienst'"
            ).first?.decode((Bool, String).self)
            #expect(night?.0 == true)
            #expect(night?.1 == "urgent")

            // A CSV with two good lines and two bad ones stores nothing and names each bad line.
            let csv = """
                organisatie;gebied;functie;datum;begin;eind;aantal;prioriteit;opmerking
                altra;west;ggz;\(date);08:00;16:00;1;spoed;"Piek; ziekte"
                cordaan;oost;onbekend;\(date);08:00;16:00;1;normaal;
                spirit;zuid;jeugdzorgwerker;\(date);09:00;17:00;3;normaal;
                altra;west;ggz;2001-01-01;08:00;16:00;1;normaal;
                """
            var upload = try await uploadCSV(browser, csv)
            #expect(upload.status == .unprocessableContent)
            #expect(upload.body.contains("Regel 3: Kies een functie of discipline uit de lijst."))
            #expect(upload.body.contains("Regel 5: De dienst begint in het verleden."))
            #expect(try await store.pool.query("SELECT count(*) FROM shift_demand").first(decoding: Int.self) == before! + 1)

            upload = try await uploadCSV(browser, csv.split(separator: "\n").enumerated().filter { [0, 1, 3].contains($0.offset) }.map(\.element).joined(separator: "\r\n"))
            #expect(upload.status == .seeOther)
            #expect(try await store.pool.query("SELECT count(*) FROM shift_demand").first(decoding: Int.self) == before! + 3)
            #expect(try await store.pool.query("SELECT count(*) FROM shift_demand WHERE note = 'Piek; ziekte' AND priority = 'urgent'").first(decoding: Int.self) == 1)
        }
    }

    @Test func joiningIsCheckedAgainstTheProfileAndTheCalendarFeedShowsConfirmedShifts() async throws {
        try await TestApp.withDemo { browser, store in
            let window = TimeWindow(start: future(days: 67, hour: 6), end: future(days: 67, hour: 22))
            let member = try await makePoolMembers(store, count: 1, window: window)[0]
            let client = Browser(browser.client)
            client.setCookie("doorstroom_session", member.sessionToken)
            // A function not in the profile, and a preference outside the chosen areas.
            let refused = try await client.post("/flexpool/lid", [
                ("functions", "gz-psycholoog"), ("areas", "west"), ("preferred_areas", "noord"), ("weekly_cap", "12"),
            ], csrf: member.csrf)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Je kunt alleen functies kiezen die in je profiel staan."))
            #expect(refused.body.contains("Een voorkeursgebied moet ook een gebied zijn waar je wilt werken."))
            #expect(try await store.flexpool.member(member.id)?.membership.weeklyCapHours == 40)
            let changed = try await client.post("/flexpool/lid", [
                ("functions", "pedagogisch-medewerker"), ("areas", "west"), ("areas", "noord"), ("preferred_areas", "noord"), ("weekly_cap", "12"),
            ], csrf: member.csrf)
            #expect(changed.status == .seeOther)
            #expect(try await store.flexpool.member(member.id)?.membership.areaSlugs == ["noord", "west"])

            // A weekly pattern expands into one window per week.
            let start = Day(future(days: 70, hour: 0))
            let pattern = try await client.post("/flexpool/beschikbaarheid/patroon", [
                ("weekday", String(AmsterdamTime.weekday(of: start))), ("start", "22:00"), ("end", "06:00"),
                ("from", start.iso), ("until", AmsterdamTime.adding(27, to: start).iso),
            ], csrf: member.csrf)
            #expect(pattern.status == .seeOther)
            let page = try await client.get("/flexpool/beschikbaarheid")
            #expect(page.body.contains("22:00–06:00"))
            #expect(try await store.flexpool.availability(member.id, after: future(days: 69, hour: 0)).count == 4)

            // Claim an open shift; the feed shows it.
            let shift = try await demand(store, organisation: "cordaan", from: future(days: 67, hour: 10))
            let open = try await client.get("/flexpool")
            #expect(open.body.contains("/flexpool/diensten/\(shift.lowercased)/claimen"))
            #expect(try await client.post("/flexpool/diensten/\(shift.lowercased)/claimen", [], csrf: member.csrf).status == .seeOther)
            let token = try await store.flexpool.member(member.id)!.calendarToken
            let feed = try await browser.get("/flexpool/agenda/\(token).ics")
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(feed.body.hasPrefix("BEGIN:VCALENDAR\r\n"))
            #expect(feed.body.components(separatedBy: "BEGIN:VEVENT").count == 2)
            #expect(feed.body.contains("UID:"))
            #expect(feed.body.contains("Cordaan"))
            #expect(try await browser.get("/flexpool/agenda/niet-bestaand.ics").status == .notFound)
        }
    }

    @Test func acceptingAProposalChangingAndCancellingDemandAndLeavingThePool() async throws {
        try await TestApp.withDemo { browser, store in
            let window = TimeWindow(start: future(days: 68, hour: 6), end: future(days: 68, hour: 23))
            let members = try await makePoolMembers(store, count: 2, window: window)
            let shift = try await demand(store, organisation: "altra", from: future(days: 68, hour: 8), people: 2)
            try await browser.login("coordinator@doorstroom.test")
            let from = Day(future(days: 68, hour: 0)).iso
            _ = try await browser.get("/flexpool/coordinatie?van=\(from)")
            _ = try await browser.post("/flexpool/coordinatie/matching", [("van", from), ("weken", "1")])
            // The member accepts their proposal on "mijn diensten": it is confirmed.
            let member = Browser(browser.client)
            member.setCookie("doorstroom_session", members[0].sessionToken)
            let proposal = try await store.flexpool.assignments(on: [shift], since: Date()).first { $0.accountID == members[0].id }!
            #expect(try await member.get("/mijn/diensten").body.contains("/mijn/diensten/\(proposal.id.lowercased)/accepteren"))
            #expect(try await member.post("/mijn/diensten/\(proposal.id.lowercased)/accepteren", [], csrf: members[0].csrf).status == .seeOther)
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 1)

            // Fewer people than are confirmed is refused with a message, and changes nothing.
            var values = demandFormValues(try await store.flexpool.demand(shift)!)
            _ = try await browser.get("/flexpool/coordinatie/vraag/\(shift.lowercased)")
            values["people"] = "0"
            var page = try await browser.post("/flexpool/coordinatie/vraag/\(shift.lowercased)", values.sorted { $0.key < $1.key })
            #expect(page.status == .unprocessableContent)
            values["people"] = "1"
            values["note"] = "Eén is genoeg"
            _ = try await browser.get("/flexpool/coordinatie/vraag/\(shift.lowercased)")
            page = try await browser.post("/flexpool/coordinatie/vraag/\(shift.lowercased)", values.sorted { $0.key < $1.key })
            #expect(page.status == .seeOther)
            #expect(try await store.flexpool.demand(shift)?.note == "Eén is genoeg")
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 1)
            // A new time releases the confirmed person: the gap opens again.
            values["start"] = "12:00"
            values["end"] = "20:00"
            _ = try await browser.get("/flexpool/coordinatie/vraag/\(shift.lowercased)")
            #expect(try await browser.post("/flexpool/coordinatie/vraag/\(shift.lowercased)", values.sorted { $0.key < $1.key }).status == .seeOther)
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 0)
            #expect(try await store.flexpool.assignments(on: [shift], since: Date()).allSatisfy { !$0.status.isLive })
            #expect(try await browser.get("/flexpool/coordinatie?van=\(from)").body.contains("nog niet gematcht"))

            // The second member claims it, then leaves the pool: the shift is given back.
            let second = Browser(browser.client)
            second.setCookie("doorstroom_session", members[1].sessionToken)
            #expect(try await second.post("/flexpool/diensten/\(shift.lowercased)/claimen", [], csrf: members[1].csrf).status == .seeOther)
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 1)
            #expect(try await second.post("/flexpool/verlaten", [], csrf: members[1].csrf).body.contains("Uit de flexpool stappen?"))
            #expect(try await store.flexpool.member(members[1].id) != nil, "nothing changes before the confirmation")
            #expect(try await second.post("/flexpool/verlaten", [("bevestigd", "1")], csrf: members[1].csrf).status == .seeOther)
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 0)
            #expect(try await store.flexpool.member(members[1].id) == nil)

            // Cancelling the demand takes it off the board.
            _ = try await browser.get("/flexpool/coordinatie/vraag/\(shift.lowercased)")
            #expect(try await browser.post("/flexpool/coordinatie/vraag/\(shift.lowercased)/annuleren", []).status == .seeOther)
            #expect(try await store.flexpool.demand(shift)?.status == .cancelled)
            #expect(!(try await browser.get("/flexpool/coordinatie?van=\(from)").body.contains("id=\"vraag-\(shift.lowercased)\"")))
        }
    }
}

/// A demand's form fields, as the edit page fills them.
func demandFormValues(_ demand: DemandLine) -> [String: String] {
    [
        "area": demand.areaSlug, "qualification": demand.qualification, "date": Day(demand.shift.start).iso,
        "start": AmsterdamTime.clock(demand.shift.start), "end": AmsterdamTime.clock(demand.shift.end),
        "people": String(demand.peopleNeeded), "priority": demand.priority.rawValue, "note": demand.note,
    ]
}

/// Uploads a CSV file as a browser's file field does (multipart/form-data).
func uploadCSV(_ browser: Browser, _ text: String) async throws -> Browser.Page {
    _ = try await browser.get("/flexpool/coordinatie/vraag")
    let boundary = "----doorstroom\(UUID().uuidString)"
    var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.lastCSRF ?? "")\r\n"
    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rooster.csv\"\r\nContent-Type: text/csv\r\n\r\n\(text)\r\n"
    body += "--\(boundary)--\r\n"
    return try await browser.send(
        "/flexpool/coordinatie/vraag/csv", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
        body: .init(string: body))
}
