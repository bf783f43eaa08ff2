import Domain
import Foundation
import HTTPTypes
import Matching
import PQ
import Store
import TestSupport
import Testing

/// A member's own client: their session and CSRF token.
private func client(_ browser: Browser, _ member: PoolMemberFixture) -> Browser {
    let client = Browser(browser.client)
    client.setCookie("doorstroom_session", member.sessionToken)
    return client
}

private func organisationID(_ store: Store, _ slug: String) async throws -> UUID {
    try #require(try await store.pool.query("SELECT id FROM organisation WHERE slug = \(slug)").first(decoding: UUID.self))
}

private func coordinatorID(_ store: Store) async throws -> UUID {
    try #require(try await store.accounts.find(email: "coordinator@doorstroom.test")).id
}

/// A demand at a named location of `organisation`.
private func demand(_ store: Store, organisation: String = "altra", location: String, from: Date, hours: Double = 8) async throws -> UUID {
    try await store.flexpool.post([ShiftDemand(
        qualification: "pedagogisch-medewerker", organisationSlug: organisation, areaSlug: "west",
        shift: TimeWindow(start: from, end: from.addingTimeInterval(hours * 3600)), peopleNeeded: 1, priority: .normal, note: "",
        location: location)], by: try await coordinatorID(store))[0]
}

@Suite("Credentials and induction in the flexpool")
struct CredentialWebTests {
    /// Nobody without a VOG the organisation accepts on the shift's day gets the shift:
    /// not by claiming it, not by hand, not in the open-shift list, and not by a direct
    /// insert either (the database refuses it). Someone with one claims it.
    @Test func aShiftNeedingAVOGGoesOnlyToSomeoneWithAValidOne() async throws {
        try await TestApp.withDemo { browser, store in
            let day = weekday(2, weeksAhead: 8)
            let window = TimeWindow(start: at(day, 6), end: at(day, 22))
            let members = try await makePoolMembers(store, count: 3, window: window, prefix: "vog")
            let (tooOld, none, valid) = (members[0], members[1], members[2])
            _ = try await store.pool.query(
                "UPDATE professional SET vog_issued_on = current_date - interval '4 years' WHERE account_id = \(tooOld.id)")
            _ = try await store.pool.query("UPDATE professional SET vog_issued_on = NULL WHERE account_id = \(none.id)")
            let shift = try await demand(store, from: at(day, 9))

            let open = try await client(browser, tooOld).get("/mijn/diensten")
            #expect(!open.body.contains("/flexpool/diensten/\(shift.lowercased)/claimen"), "not offered to claim")
            let refused = try await client(browser, tooOld).post("/flexpool/diensten/\(shift.lowercased)/claimen", [], csrf: tooOld.csrf)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("Voor deze dienst is een VOG nodig"))
            await #expect(throws: FlexpoolStore.ShiftFailure.rule(.noValidVOG)) {
                try await store.flexpool.assign(shift, to: none.id, by: try await coordinatorID(store), organisations: nil)
            }
            // The database itself refuses it, whatever the code.
            do {
                _ = try await store.pool.query(
                    "INSERT INTO shift_assignment (demand_id, account_id, status, source) VALUES (\(shift), \(none.id), 'confirmed', 'hand')")
                Issue.record("a confirmed shift without a VOG was stored")
            } catch let error as PostgresError {
                #expect(error.constraint == Constraint.shiftAssignmentValidVOG)
            }
            #expect(try await store.pool.query("SELECT count(*) FROM shift_assignment WHERE demand_id = \(shift)").first(decoding: Int.self) == 0)

            let claimed = try await client(browser, valid).post("/flexpool/diensten/\(shift.lowercased)/claimen", [], csrf: valid.csrf)
            #expect(claimed.status == .seeOther)
            // The member without one is told why no shifts come, and where to put it right.
            #expect(try await client(browser, none).get("/flexpool").body.contains("Er staat geen VOG in je profiel"))
            #expect(try await client(browser, tooOld).get("/flexpool").body.contains("Je VOG is verlopen op"))
            #expect(!(try await client(browser, valid).get("/flexpool").body.contains("VOG")))
        }
    }

    /// The matching proposes nobody without a valid VOG, and the board says why the
    /// place stays open; a VOG issued after the shift's day does not count either.
    @Test func theMatchingLeavesTheGapAndTheBoardNamesTheVOG() async throws {
        try await TestApp.withDemo { browser, store in
            let day = weekday(3, weeksAhead: 9)
            let window = TimeWindow(start: at(day, 6), end: at(day, 22))
            let members = try await makePoolMembers(store, count: 2, window: window, prefix: "geenvog")
            _ = try await store.pool.query(
                "UPDATE professional SET vog_issued_on = current_date - interval '37 months' WHERE account_id = \(members[0].id)")
            _ = try await store.pool.query(
                "UPDATE professional SET vog_issued_on = \(AmsterdamTime.adding(1, to: day)) WHERE account_id = \(members[1].id)")
            let shift = try await demand(store, from: at(day, 9))
            try await browser.login("coordinator@doorstroom.test")
            let monday = weekday(1, weeksAhead: 9).iso
            _ = try await browser.get("/flexpool/coordinatie?van=\(monday)")
            let ran = try await browser.post("/flexpool/coordinatie/matching", [("van", monday), ("weken", "1")])
            #expect(ran.status == .seeOther)
            #expect(try await store.pool.query(
                "SELECT count(*) FROM shift_assignment WHERE demand_id = \(shift) AND status IN ('proposed', 'confirmed')").first(decoding: Int.self) == 0)
            let board = try await browser.get("/flexpool/coordinatie?van=\(monday)")
            #expect(board.body.contains("niemand met een geldige VOG"))
            let people = try await browser.get("/flexpool/coordinatie/vraag/\(shift.lowercased)/mensen")
            #expect(people.body.contains("geen geldige VOG op die dag"))
        }
    }

    /// A location that asks for an induction: nobody works there before one. The
    /// coordinator records one (then the member can claim) or plans an induction
    /// shift, which counts from its end: not for a shift before it, for one after.
    @Test func aLocationThatAsksForAnInductionGetsOnlyInductedPeople() async throws {
        try await TestApp.withDemo { browser, store in
            let day = weekday(2, weeksAhead: 10)
            let next = AmsterdamTime.adding(2, to: day)
            let members = try await makePoolMembers(store, count: 2, window: TimeWindow(start: at(day, 6), end: at(next, 22)), prefix: "inwerk")
            let (recorded, planned) = (members[0], members[1])
            let coordinator = try await coordinatorID(store)
            let location = try #require(try await store.flexpool.saveLocation(
                nil, organisation: try await organisationID(store, "altra"), name: "De Boog", address: "Boogstraat 1, Amsterdam",
                contact: "", instructions: "", by: coordinator))
            try await browser.login("coordinator@doorstroom.test")
            _ = try await browser.get("/flexpool/coordinatie/inwerken")
            let needs = try await browser.post("/flexpool/coordinatie/inwerken/locatie", [("location", location.lowercased), ("needs", "ja")])
            #expect(needs.status == .seeOther)
            let first = try await demand(store, location: "De Boog", from: at(day, 15))
            let refused = try await client(browser, recorded).post("/flexpool/diensten/\(first.lowercased)/claimen", [], csrf: recorded.csrf)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("zonder inwerkdienst"))

            // The board names the reason after a run.
            let monday = weekday(1, weeksAhead: 10).iso
            _ = try await browser.post("/flexpool/coordinatie/matching", [("van", monday), ("weken", "1")])
            #expect(try await browser.get("/flexpool/coordinatie?van=\(monday)").body.contains("niemand ingewerkt op deze locatie"))

            // Recorded: a date in the future is refused, today's counts.
            let future = try await browser.post("/flexpool/coordinatie/inwerken", [
                ("location", location.lowercased), ("member", recorded.id.lowercased), ("day", AmsterdamTime.adding(3, to: Day(Date())).iso),
            ])
            #expect(future.status == .unprocessableContent)
            #expect(future.body.contains("niet later dan vandaag"))
            let record = try await browser.post("/flexpool/coordinatie/inwerken", [
                ("location", location.lowercased), ("member", recorded.id.lowercased), ("day", Day(Date()).iso),
            ])
            #expect(record.status == .seeOther)
            #expect(try await browser.get("/flexpool/coordinatie/inwerken").body.contains(recorded.name))
            let claimed = try await client(browser, recorded).post("/flexpool/diensten/\(first.lowercased)/claimen", [], csrf: recorded.csrf)
            #expect(claimed.status == .seeOther)

            // Planned: an induction shift on the first day, 09:00-12:00.
            let plan = try await browser.post("/flexpool/coordinatie/inwerken/dienst", [
                ("plan_location", location.lowercased), ("plan_member", planned.id.lowercased), ("area", "west"),
                ("shift_day", day.iso), ("start", "09:00"), ("end", "12:00"),
            ])
            #expect(plan.status == .seeOther)
            let kind = try await store.pool.query(
                """
                SELECT d.kind, sa.status FROM shift_assignment sa JOIN shift_demand d ON d.id = sa.demand_id
                WHERE sa.account_id = \(planned.id) AND d.location_id = \(location)
                """
            ).decode((String, String).self)
            #expect(kind.map(\.0) == ["induction"] && kind.map(\.1) == ["confirmed"])
            // A shift there that starts before the induction shift ends: not yet; two days later: yes.
            let early = try await demand(store, location: "De Boog", from: at(day, 6), hours: 2)
            let late = try await demand(store, location: "De Boog", from: at(next, 9))
            await #expect(throws: FlexpoolStore.ShiftFailure.rule(.notInducted)) {
                try await store.flexpool.assign(early, to: planned.id, by: coordinator, organisations: nil)
            }
            let assigned = try await store.flexpool.assign(late, to: planned.id, by: coordinator, organisations: nil)
            #expect(try await store.pool.query("SELECT status FROM shift_assignment WHERE id = \(assigned)").first(decoding: String.self) == "confirmed")
        }
    }

    /// A function that needs a registration: the registration must hold on the shift's
    /// day, not only on the day someone joined the pool.
    @Test func aRegistrationMustHoldOnTheShiftsDay() async throws {
        try await TestApp.withDemo { browser, store in
            let day = weekday(4, weeksAhead: 8)
            let member = try await makePoolMembers(store, count: 1, function: "jeugdhulpverlener", window: TimeWindow(start: at(day, 6), end: at(day, 22)),
                                                   prefix: "skj")[0]
            _ = try await store.pool.query(
                """
                INSERT INTO registration (account_id, register, number, registered_on, expires_on)
                VALUES (\(member.id), 'SKJ', '100200300', DATE '2020-01-01', \(day))
                """)
            let shift = try await store.flexpool.post([ShiftDemand(
                qualification: "jeugdhulpverlener", organisationSlug: "altra", areaSlug: "west",
                shift: TimeWindow(start: at(day, 9), end: at(day, 17)), peopleNeeded: 1, priority: .normal, note: "")],
                by: try await coordinatorID(store))[0]
            let refused = try await client(browser, member).post("/flexpool/diensten/\(shift.lowercased)/claimen", [], csrf: member.csrf)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("registratie (SKJ of BIG) nodig"))
            _ = try await store.pool.query("UPDATE registration SET expires_on = \(AmsterdamTime.adding(1, to: day)) WHERE account_id = \(member.id)")
            let claimed = try await client(browser, member).post("/flexpool/diensten/\(shift.lowercased)/claimen", [], csrf: member.csrf)
            #expect(claimed.status == .seeOther)
        }
    }

    /// Eight and two weeks before a VOG runs out, the person and the HR advisers of
    /// where they work are told once, however many instances send at the same time,
    /// with the confirmed shifts it would cost; the adviser's message names nobody.
    /// The HR page lists it; a renewed VOG ends the reminders.
    @Test func remindersGoOutOnceWithTheShiftsItWouldCost() async throws {
        try await TestApp.withDemo { browser, store in
            let today = Day(Date())
            let lapsesOn = AmsterdamTime.adding(30, to: today)
            let shiftDay = AmsterdamTime.adding(40, to: today)
            let member = try await makePoolMembers(store, count: 1, organisation: "cordaan",
                                                   window: TimeWindow(start: at(shiftDay, 6), end: at(shiftDay, 22)), prefix: "herinner")[0]
            // Issued so that Cordaan's three years end in 30 days.
            let issued = try #require(try await store.pool.query(
                "SELECT (\(lapsesOn)::date - interval '36 months')::date").first(decoding: Day.self))
            _ = try await store.pool.query("UPDATE professional SET vog_issued_on = \(issued) WHERE account_id = \(member.id)")
            // Altra accepted four years when the shift was confirmed, then went back to three.
            let altra = try await organisationID(store, "altra")
            _ = try await store.pool.query("UPDATE organisation SET vog_max_age_months = 48 WHERE id = \(altra)")
            let shift = try await demand(store, organisation: "altra", from: at(shiftDay, 9))
            try await store.flexpool.claim(shift, by: member.id)
            _ = try await store.pool.query("UPDATE organisation SET vog_max_age_months = 36 WHERE id = \(altra)")

            func send(_ day: Day) async throws -> Int {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<2 { group.addTask { try await store.credentials.sendReminders(today: day) } }
                    return try await group.reduce(0, +)
                }
            }
            func messages(_ account: UUID) async throws -> [String] {
                try await store.pool.query(
                    "SELECT subject || ' ' || body FROM notification WHERE account_id = \(account) AND kind = 'credential_expiry' ORDER BY created_at"
                ).decode(String.self)
            }
            let adviser = try #require(try await store.accounts.find(email: "hr@cordaan.doorstroom.test")).id
            let otherAdviser = try #require(try await store.accounts.find(email: "hr@altra.doorstroom.test")).id
            func reminders() async throws -> Int {
                try await store.pool.query("SELECT count(*) FROM credential_reminder WHERE account_id = \(member.id)").first(decoding: Int.self) ?? 0
            }
            let before = try await messages(adviser).count
            // Two instances at once (other people of the demo may be due too).
            _ = try await send(today)
            #expect(try await reminders() == 1)
            let mine = try await messages(member.id)
            #expect(mine.count == 1)
            #expect(mine.first?.contains("Je VOG verloopt op \(lapsesOn.dutch)") == true)
            #expect(mine.first?.contains("\(shiftDay.dutch) 09:00–17:00") == true, "the shift it would cost is named")
            let theirs = try await messages(adviser)
            #expect(theirs.count == before + 1)
            #expect(theirs.last?.contains(member.name) == false, "the adviser's message names nobody")
            #expect(try await messages(otherAdviser).allSatisfy { !$0.contains(lapsesOn.dutch) })
            _ = try await send(today)
            _ = try await send(AmsterdamTime.adding(1, to: today))
            #expect(try await messages(member.id).count == 1, "sent once")
            #expect(try await messages(adviser).count == before + 1)
            // Two weeks before: the second reminder, once.
            let twoWeeks = AmsterdamTime.adding(-10, to: lapsesOn)
            _ = try await send(twoWeeks)
            _ = try await send(twoWeeks)
            #expect(try await reminders() == 2)
            #expect(try await messages(member.id).count == 2)

            // The HR adviser sees who and what.
            try await browser.login("hr@cordaan.doorstroom.test")
            let page = try await browser.get("/beheer/vog")
            #expect(page.status == .ok)
            #expect(page.body.contains(member.name) && page.body.contains(lapsesOn.dutch))

            // Renewed: no reminder for the old date any more.
            _ = try await store.pool.query("UPDATE professional SET vog_issued_on = current_date WHERE account_id = \(member.id)")
            _ = try await send(twoWeeks)
            _ = try await send(AmsterdamTime.adding(-1, to: lapsesOn))
            #expect(try await messages(member.id).count == 2)
        }
    }

    /// The register each function needs is written twice, in the database (which the
    /// triggers and the matching read) and in Domain (which the pool's join form reads):
    /// they agree for every function.
    @Test func theDatabaseAndTheCodeAgreeOnWhichFunctionNeedsWhichRegister() async throws {
        try await TestDatabase.withStore { store in
            let functions = try await store.pool.query("SELECT code, required_register FROM job_function ORDER BY code").decode((String, String?).self)
            #expect(functions.count > 8)
            for (code, register) in functions {
                #expect(JobFunction.requiredRegister(for: code)?.rawValue == register, "\(code)")
            }
        }
    }

    /// The HR adviser sets how old a VOG may be at their organisation; another
    /// organisation's rule is out of reach.
    @Test func anHRAdviserSetsTheirOrganisationsVOGRule() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@cordaan.doorstroom.test")
            _ = try await browser.get("/beheer/vog")
            let saved = try await browser.post("/beheer/vog", [("organisation", "cordaan"), ("months", "24")])
            #expect(saved.status == .seeOther)
            #expect(try await store.credentials.vogRule(of: try await organisationID(store, "cordaan")) == 24)
            let foreign = try await browser.post("/beheer/vog", [("organisation", "altra"), ("months", "12")])
            #expect(foreign.status == .notFound)
            #expect(try await store.credentials.vogRule(of: try await organisationID(store, "altra")) == 36)
            let odd = try await browser.post("/beheer/vog", [("organisation", "cordaan"), ("months", "7")])
            #expect(odd.status == .unprocessableContent)
            #expect(try await store.credentials.vogRule(of: try await organisationID(store, "cordaan")) == 24)
        }
    }

    /// The VOG date is part of the profile: a date in the future is refused with a
    /// clear message and nothing is stored; a real one is kept.
    @Test func theVOGDateIsPartOfTheProfile() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("professional@doorstroom.test")
            let page = try await browser.get("/mijn/profiel")
            #expect(page.body.contains("VOG afgegeven op"))
            let account = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            let before = try #require(try await store.professionals.find(accountID: account))
            func form(_ vog: String) -> [(String, String)] {
                [("functions", "jeugdhulpverlener"), ("disciplines", "jeugdhulp"), ("education_level", "hbo"), ("areas", "oost"), ("hours", "32"),
                 ("vog_issued_on", vog)]
                    + before.registrations.flatMap { r in
                        let f = r.register.rawValue.lowercased()
                        return [(f + "_number", r.number), (f + "_registered_on", r.registeredOn.iso), (f + "_expires_on", r.expiresOn?.iso ?? "")]
                    }
            }
            let future = try await browser.post("/mijn/profiel", form(AmsterdamTime.adding(5, to: Day(Date())).iso))
            #expect(future.status == .unprocessableContent)
            #expect(future.body.contains("Geef de datum van afgifte van je VOG"))
            #expect(try await store.professionals.find(accountID: account)?.vogIssuedOn == before.vogIssuedOn)
            let day = AmsterdamTime.adding(-100, to: Day(Date()))
            let saved = try await browser.post("/mijn/profiel", form(day.iso))
            #expect(saved.status == .seeOther)
            #expect(try await store.professionals.find(accountID: account)?.vogIssuedOn == day)
        }
    }
}
