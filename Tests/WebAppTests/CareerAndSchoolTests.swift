import Domain
import Foundation
import HTTPTypes
import PQ
import Store
import Testing

/// The demo's regional career adviser.
private func adviser(_ store: Store) async throws -> UUID {
    try #require(try await store.accounts.find(email: "loopbaan@doorstroom.test")).id
}

/// A time of the demo adviser (or of `organisation`'s people, with an adviser of its own)
/// `days` from today at `hour`.
private func careerSlot(_ store: Store, days: Int, hour: Int = 9, adviser account: UUID) async throws -> (UUID, TimeWindow) {
    let start = AmsterdamTime.date(AmsterdamTime.adding(days, to: Day(Date())), minutes: hour * 60 + 30)
    let during = TimeWindow(start: start, end: start.addingTimeInterval(3600))
    let slot = try await store.careers.addSlot(adviser: account, organisation: nil, Appointment(during: during, place: "Regiokantoor"))
    return (slot, during)
}

@Suite("Career conversations and schools as partners")
struct CareerAndSchoolTests {
    // MARK: Career conversations

    /// Fifty professionals try to book the same time at once: one gets it, the others
    /// hear that someone was first, and the database holds one booking.
    @Test func fiftyConcurrentBookingsOfOneTimeGiveOne() async throws {
        try await TestApp.withDemo { browser, store in
            let people = try await makePoolMembers(store, count: 50, window: TimeWindow(start: Date(), end: Date().addingTimeInterval(3600)), prefix: "loopbaan")
            let (slot, _) = try await careerSlot(store, days: 20, adviser: try await adviser(store))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for person in people {
                    group.addTask {
                        let client = Browser(browser.client)
                        client.setCookie("doorstroom_session", person.sessionToken)
                        return Int(try await client.post("/mijn/loopbaangesprek", [("tijd", slot.lowercased), ("topic", "next_step")],
                                                         csrf: person.csrf).status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 303 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 49)
            #expect(try await store.pool.query(
                "SELECT count(*) FROM career_booking WHERE slot_id = \(slot) AND status = 'booked'").first(decoding: Int.self) == 1)
        }
    }

    /// The demo professional books a time on a topic: it is on the page, the start
    /// page, in the calendar feed and as a download, the invitation rides with the
    /// message, the adviser hears who and about what; a second booking waits until this
    /// one is over; cancelling asks first, frees the time and tells the adviser.
    @Test func aProfessionalBooksSeesItEverywhereAndCancels() async throws {
        try await TestApp.withDemo { browser, store in
            let adviserID = try await adviser(store)
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            let (slot, during) = try await careerSlot(store, days: 16, adviser: adviserID)
            let (other, _) = try await careerSlot(store, days: 17, adviser: adviserID)
            try await browser.login("professional@doorstroom.test")
            let page = try await browser.get("/mijn/loopbaangesprek")
            #expect(page.status == .ok && page.body.contains(slot.lowercased) && page.body.contains("Ellen Postma"))
            let empty = try await browser.post("/mijn/loopbaangesprek", [("tijd", slot.lowercased), ("topic", "")])
            #expect(empty.status == .unprocessableContent && empty.body.contains("Kies waarover je wilt praten."))
            #expect(try await store.careers.mine(priya, since: Date()).isEmpty, "a refused form books nothing")
            let booked = try await browser.post("/mijn/loopbaangesprek", [
                ("tijd", slot.lowercased), ("topic", "rotation"), ("question", "Kan ik een half jaar bij het OKT meedraaien?"),
            ])
            #expect(booked.status == .seeOther)
            let mine = try #require(try await store.careers.mine(priya, since: Date()).first)
            #expect(mine.during == during && mine.topic == .rotation)
            let after = try await browser.get("/mijn/loopbaangesprek")
            #expect(after.body.contains("Baanroulatie") && after.body.contains("loopbaangesprek.ics"))
            #expect(try await browser.get("/mijn").body.contains("Je loopbaangesprek"))
            let ics = try await browser.get("/mijn/loopbaangesprek/\(mine.id.lowercased)/loopbaangesprek.ics")
            #expect(ics.status == .ok && ics.body.contains("BEGIN:VEVENT") && ics.body.contains("SUMMARY:Loopbaangesprek met Ellen Postma"))
            let (name, attachment) = try #require(try await store.pool.query(
                "SELECT attachment_name, attachment FROM notification WHERE account_id = \(priya) AND kind = 'career_conversation'"
            ).first(decoding: (String?, String?).self))
            #expect(name == "loopbaangesprek.ics" && attachment?.contains("METHOD:PUBLISH") == true)
            let told = try #require(try await store.pool.query(
                "SELECT body FROM notification WHERE account_id = \(adviserID) AND kind = 'career_conversation' ORDER BY created_at DESC LIMIT 1"
            ).first(decoding: String.self))
            #expect(told.contains("Priya Ramdin") && told.contains("baanroulatie"))
            // The flexpool calendar feed carries it too.
            if let token = try await store.pool.query("SELECT calendar_token FROM pool_member WHERE account_id = \(priya)").first(decoding: String.self) {
                let feed = try await browser.get("/flexpool/agenda/\(token).ics")
                #expect(feed.body.contains("UID:loopbaangesprek-\(mine.id.lowercased)@doorstroom"))
            }
            let second = try await browser.post("/mijn/loopbaangesprek", [("tijd", other.lowercased), ("topic", "other")])
            #expect(second.status == .conflict && second.body.contains("Je hebt al een gesprek staan"))
            let asks = try await browser.post("/mijn/loopbaangesprek/\(mine.id.lowercased)/annuleren", [])
            #expect(asks.status == .ok && asks.body.contains("Loopbaangesprek annuleren?"))
            #expect(try await store.careers.mine(priya, since: Date()).count == 1, "asking changes nothing")
            let cancelled = try await browser.post("/mijn/loopbaangesprek/\(mine.id.lowercased)/annuleren", [("bevestigd", "1")])
            #expect(cancelled.status == .seeOther)
            #expect(try await store.careers.mine(priya, since: Date()).isEmpty)
            #expect(try await store.careers.openSlots(for: priya, now: Date()).contains { $0.id == slot }, "the time is free again")
            #expect(try await store.pool.query(
                "SELECT count(*) FROM notification WHERE account_id = \(adviserID) AND kind = 'career_conversation' AND subject LIKE 'Loopbaangesprek geannuleerd%'"
            ).first(decoding: Int.self) == 1)
            #expect(try await store.pool.query(
                "SELECT attachment FROM notification WHERE account_id = \(priya) AND subject = 'Loopbaangesprek geannuleerd'"
            ).first(decoding: String.self)?.contains("METHOD:CANCEL") == true)
        }
    }

    /// One calendar link for everything a person agreed to: made on the page, read by a
    /// calendar app with the token alone; a new link ends the old one at once.
    @Test func onePersonalCalendarHoldsTheConversationAndTheRest() async throws {
        try await TestApp.withDemo { browser, store in
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            let (slot, _) = try await careerSlot(store, days: 15, adviser: try await adviser(store))
            let booking = try await store.careers.book(slot, by: priya, CareerBookingRequest(topic: .rotation, question: nil))
            let meeting = try #require(try await store.pool.query(
                "SELECT id FROM event WHERE lower(during) > now() AND cancelled_at IS NULL ORDER BY lower(during) LIMIT 1").first(decoding: UUID.self))
            _ = try await store.pool.query("INSERT INTO event_registration (event_id, account_id) VALUES (\(meeting), \(priya)) ON CONFLICT DO NOTHING")
            try await browser.login("professional@doorstroom.test")
            let before = try await browser.get("/mijn/loopbaangesprek")
            #expect(before.body.contains("Agenda-adres maken") && !before.body.contains("/agenda/"))
            #expect(try await browser.post("/mijn/agenda", []).status == .seeOther)
            let token = try #require(try await store.calendars.token(of: priya))
            #expect(try await browser.get("/mijn/loopbaangesprek").body.contains("\(TestApp.siteURL)/agenda/\(token).ics"))
            let calendarApp = Browser(browser.client)
            let feed = try await calendarApp.get("/agenda/\(token).ics")
            #expect(feed.status == .ok && feed.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(feed.body.hasPrefix("BEGIN:VCALENDAR\r\n") && feed.body.contains("END:VCALENDAR\r\n"))
            #expect(feed.body.contains("UID:loopbaangesprek-\(booking.lowercased)@doorstroom"), "the conversation, with the invitation's UID")
            #expect(feed.body.contains("UID:ontmoeting-\(meeting.lowercased)@doorstroom"), "the meeting she registered for")
            #expect(try await browser.post("/mijn/agenda", []).status == .seeOther)
            #expect(try await calendarApp.get("/agenda/\(token).ics").status == .notFound, "the old link stops at once")
            #expect(try await calendarApp.get("/agenda/\(try #require(try await store.calendars.token(of: priya))).ics").status == .ok)
            #expect(try await calendarApp.get("/agenda/onbekend-onbekend-onbekend-onbekend-00.ics").status == .notFound)
        }
    }

    /// An adviser of one organisation: their times are for its people only; an
    /// overlapping time and a bad form are refused with messages and add nothing.
    @Test func anOrganisationsTimesAreForItsPeopleOnly() async throws {
        try await TestApp.withDemo { browser, store in
            let cordaan = try #require(try await store.organisations.find(slug: "cordaan"))
            let adviserID = try #require(try await store.pool.query(
                """
                WITH made AS (INSERT INTO account (email, display_name, email_confirmed_at) VALUES ('loopbaan@cordaan.doorstroom.test', 'Joke Smit', now()) RETURNING id)
                INSERT INTO role_grant (account_id, role, organisation_id) SELECT id, 'career_adviser', \(cordaan.id) FROM made RETURNING account_id
                """).first(decoding: UUID.self))
            let session = try await store.sessions.create(accountID: adviserID)
            browser.setCookie("doorstroom_session", session.token)
            _ = try await browser.get("/beheer/loopbaangesprekken")
            let day = AmsterdamTime.adding(12, to: Day(Date())).iso
            let bad = try await browser.post("/beheer/loopbaangesprekken", [("slot_day", "morgen"), ("slot_start", "10:00"), ("slot_end", "09:00"), ("slot_place", "")])
            #expect(bad.status == .unprocessableContent && bad.body.contains("Geef de dag als JJJJ-MM-DD.") && bad.body.contains("Zeg waar het gesprek is"))
            let added = try await browser.post("/beheer/loopbaangesprekken", [("slot_day", day), ("slot_start", "10:00"), ("slot_end", "11:00"), ("slot_place", "Cordaan, De Ruijterkade")])
            #expect(added.status == .seeOther)
            let overlapping = try await browser.post("/beheer/loopbaangesprekken", [("slot_day", day), ("slot_start", "10:30"), ("slot_end", "11:30"), ("slot_place", "Online")])
            #expect(overlapping.status == .conflict && overlapping.body.contains("al een andere tijd open"))
            let slots = try await store.careers.slots(of: adviserID, since: Date())
            #expect(slots.count == 1 && slots[0].organisationName == "Cordaan")
            // Priya works at Spirit: she does not see it and cannot book it.
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            #expect(try await store.careers.openSlots(for: priya, now: Date()).allSatisfy { $0.id != slots[0].id })
            await #expect(throws: CareerConversationStore.BookFailure.notOpen) {
                try await store.careers.book(slots[0].id, by: priya, CareerBookingRequest(topic: .nextStep, question: nil))
            }
            let colleague = try await makePoolMembers(store, count: 1, organisation: "cordaan", window: TimeWindow(start: Date(), end: Date().addingTimeInterval(3600)),
                                                      prefix: "cordaan")[0]
            #expect(try await store.careers.openSlots(for: colleague.id, now: Date()).contains { $0.id == slots[0].id })
            try await store.careers.book(slots[0].id, by: colleague.id, CareerBookingRequest(topic: .duoJob, question: nil))
            let page = try await browser.get("/beheer/loopbaangesprekken")
            #expect(page.body.contains("Cordaan Lid 1") && page.body.contains("Een duobaan"))
        }
    }

    /// An adviser for the region and for one organisation's people says for whom each
    /// time is ("Voor wie"); an organisation they do not advise is refused in words and
    /// nothing is stored.
    @Test func anAdviserWithTwoScopesSaysForWhomATimeIs() async throws {
        try await TestApp.withDemo { browser, store in
            let adviserID = try await adviser(store)
            let cordaan = try #require(try await store.organisations.find(slug: "cordaan"))
            try await store.accounts.grant(RoleGrant(role: .careerAdviser, organisationID: cordaan.id), to: adviserID, by: nil)
            let before = try await store.careers.slots(of: adviserID, since: Date()).count
            let session = try await store.sessions.create(accountID: adviserID)
            browser.setCookie("doorstroom_session", session.token)
            let page = try await browser.get("/beheer/loopbaangesprekken")
            #expect(page.body.contains("<label for=\"scope\">Voor wie</label>") && page.body.contains("value=\"cordaan\""))
            let day = AmsterdamTime.adding(15, to: Day(Date())).iso
            func add(_ scope: String, at hour: Int) async throws -> Browser.Page {
                try await browser.post("/beheer/loopbaangesprekken", [("scope", scope), ("slot_day", day), ("slot_start", "\(hour):00"),
                                                                      ("slot_end", "\(hour + 1):00"), ("slot_place", "Online")])
            }
            let notHers = try await add("spirit", at: 14)
            #expect(notHers.status == .unprocessableContent && notHers.body.contains("Kies voor wie de tijd is."))
            #expect(try await store.careers.slots(of: adviserID, since: Date()).count == before)
            #expect(try await add("cordaan", at: 10).status == .seeOther)
            #expect(try await add("", at: 12).status == .seeOther)
            let added = try await store.careers.slots(of: adviserID, since: Date()).filter { $0.place == "Online" && $0.during.start > Date().addingTimeInterval(14 * 86_400) }
            #expect(added.map(\.organisationName) == ["Cordaan", nil])
        }
    }

    /// The adviser opens the profile of who booked only with their consent to profile
    /// search; each opening is audited and the person sees it among who looked.
    @Test func theAdviserSeesAProfileOnlyWithConsent() async throws {
        try await TestApp.withDemo { browser, store in
            let adviserID = try await adviser(store)
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            let (slot, _) = try await careerSlot(store, days: 18, adviser: adviserID)
            try await browser.login("loopbaan@doorstroom.test")
            let profile = "/beheer/loopbaangesprekken/profiel/\(priya.lowercased)"
            #expect(try await browser.get(profile).status == .notFound, "no booking")
            try await store.careers.book(slot, by: priya, CareerBookingRequest(topic: .leaving, question: "Blijven of gaan?"))
            let page = try await browser.get("/beheer/loopbaangesprekken")
            #expect(page.body.contains("Priya Ramdin") && page.body.contains("Deelt het profiel niet") && !page.body.contains(profile))
            #expect(try await browser.get(profile).status == .notFound, "booked, but no consent")
            _ = try await store.profiles.give(.profileSearch, by: priya)
            #expect(try await browser.get("/beheer/loopbaangesprekken").body.contains(profile))
            let opened = try await browser.get(profile)
            #expect(opened.status == .ok && opened.body.contains("Priya Ramdin"))
            let views = try await store.profiles.views(of: priya)
            #expect(views.first?.viewerName == "Ellen Postma (loopbaanadviseur)" && views.first?.reason == ProfileViewReason.development.label)
            _ = try await store.profiles.withdraw(.profileSearch, by: priya)
            #expect(try await browser.get(profile).status == .notFound, "withdrawn at once")
        }
    }

    /// Taking a booked time off asks first, then tells the person (with the calendar's
    /// cancellation); the reminder the day before goes once.
    @Test func aTimeTakenOffTellsWhoBookedAndRemindersGoOnce() async throws {
        try await TestApp.withDemo { browser, store in
            let adviserID = try await adviser(store)
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            let (slot, during) = try await careerSlot(store, days: 19, adviser: adviserID)
            try await store.careers.book(slot, by: priya, CareerBookingRequest(topic: .nextStep, question: nil))
            #expect(try await store.reminders.careerConversations(now: during.start.addingTimeInterval(-30 * 3600)) == 0, "not yet")
            #expect(try await store.reminders.careerConversations(now: during.start.addingTimeInterval(-20 * 3600)) == 1)
            #expect(try await store.reminders.careerConversations(now: during.start.addingTimeInterval(-19 * 3600)) == 0, "once")
            try await browser.login("loopbaan@doorstroom.test")
            _ = try await browser.get("/beheer/loopbaangesprekken")
            let asks = try await browser.post("/beheer/loopbaangesprekken/\(slot.lowercased)/schrappen", [])
            #expect(asks.status == .ok && asks.body.contains("Geboekte tijd schrappen?"))
            #expect(try await browser.post("/beheer/loopbaangesprekken/\(slot.lowercased)/schrappen", [("bevestigd", "1")]).status == .seeOther)
            #expect(try await store.careers.mine(priya, since: Date()).isEmpty)
            #expect(try await store.pool.query(
                "SELECT attachment FROM notification WHERE account_id = \(priya) AND subject = 'Loopbaangesprek gaat niet door'"
            ).first(decoding: String.self)?.contains("STATUS:CANCELLED") == true)
        }
    }

    // MARK: Schools

    /// The HvA's internship coordinator sees the applications of the HvA's own students
    /// who consented, and no one else's; a withdrawn consent or another school hides
    /// them at once.
    @Test func aSchoolSeesOnlyItsOwnStudentsAndOnlyWithConsent() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("stage@hva.doorstroom.test")
            let page = try await browser.get("/school")
            #expect(page.status == .ok)
            #expect(page.body.contains("Stijn Koster") && page.body.contains("Mila Verhoef"))
            #expect(!page.body.contains("Ahmed Ouali"), "no consent")
            #expect(!page.body.contains("Jill de Ruiter"), "another school's student")
            #expect(page.body.contains("Social Work") && page.body.contains("Open stages en traineeships"))
            // The student withdraws: gone at once.
            let student = Browser(browser.client)
            try await student.login("student@doorstroom.test")
            let mine = try await student.get("/mijn/school")
            #expect(mine.status == .ok && mine.body.contains("Toestemming intrekken"))
            #expect(try await student.post("/mijn/school/toestemming", [("give", "0")]).status == .seeOther)
            #expect(!(try await browser.get("/school").body.contains("Stijn Koster")))
            #expect(try await student.post("/mijn/school/toestemming", [("give", "1")]).status == .seeOther)
            #expect(try await browser.get("/school").body.contains("Stijn Koster"))
            // Another school: the HvA no longer sees the student.
            #expect(try await student.post("/mijn/school", [("school", "roc-van-amsterdam")]).status == .seeOther)
            #expect(!(try await browser.get("/school").body.contains("Stijn Koster")))
            let unknown = try await student.post("/mijn/school", [("school", "cordaan")])
            #expect(unknown.status == .unprocessableContent && unknown.body.contains("Kies een school uit de lijst."))
        }
    }

    /// The database holds the rules whatever the code: an internship coordinator acts
    /// for a school, an HR adviser never for one; a student's and an agreement's school
    /// is a school; a school cannot become a care provider under its coordinator.
    @Test func theDatabaseHoldsWhatASchoolIs() async throws {
        try await TestApp.withDemo { _, store in
            let someone = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            let cordaan = try #require(try await store.organisations.find(slug: "cordaan")).id
            let hva = try #require(try await store.organisations.find(slug: "hva")).id
            func refused(_ sql: SQL, _ constraint: String) async throws {
                do {
                    _ = try await store.pool.query(sql)
                    Issue.record("accepted: \(sql)")
                } catch let error as PostgresError {
                    #expect(error.constraint == constraint, "\(error)")
                }
            }
            try await refused("INSERT INTO role_grant (account_id, role, organisation_id) VALUES (\(someone), 'internship_coordinator', \(cordaan))",
                              Constraint.roleGrantOrganisationKind)
            try await refused("INSERT INTO role_grant (account_id, role, organisation_id) VALUES (\(someone), 'hr_adviser', \(hva))",
                              Constraint.roleGrantOrganisationKind)
            try await refused("UPDATE organisation SET kind = 'care_provider' WHERE id = \(hva)", Constraint.roleGrantOrganisationKind)
            try await refused("UPDATE student SET school_id = \(cordaan) WHERE account_id = (SELECT id FROM account WHERE email = 'student@doorstroom.test')",
                              Constraint.studentSchoolKind)
            try await refused(
                "INSERT INTO internship_agreement (organisation_id, year, education_level, places_agreed, school_id) VALUES (\(cordaan), 2030, 'hbo', 2, \(cordaan))",
                Constraint.internshipAgreementSchoolKind)
            try await refused("INSERT INTO role_grant (account_id, role) VALUES (\(someone), 'internship_coordinator')", "role_grant_scope")
            // A school posts nothing and employs nobody, whatever writes the row.
            try await refused("INSERT INTO api_token (organisation_id, token_hash, name) VALUES (\(hva), decode(repeat('ab', 32), 'hex'), 'school')",
                              Constraint.organisationIsMember)
            try await refused(
                "INSERT INTO employment (account_id, organisation_id, function_code, started_on) VALUES (\(someone), \(hva), 'jeugdhulpverlener', current_date)",
                Constraint.organisationIsMember)
            try await refused("UPDATE posting SET organisation_id = \(hva) WHERE id = (SELECT id FROM posting ORDER BY id LIMIT 1)", Constraint.organisationIsMember)
            try await refused("UPDATE organisation SET kind = 'school' WHERE slug = 'jbra'", Constraint.organisationIsMember)
            // The admin's form says it in words, and grants nothing.
            await #expect(throws: ValidationErrors(field: "organisation", message: "Een stagecoördinator hoort bij een school; de andere rollen nooit bij een school.")) {
                try await store.accounts.grant(RoleGrant(role: .internshipCoordinator, organisationID: cordaan), to: someone, by: nil)
            }
            try await store.accounts.grant(RoleGrant(role: .internshipCoordinator, organisationID: hva), to: someone, by: nil)
            #expect(try #require(try await store.accounts.find(id: someone)).has(.internshipCoordinator, for: hva))
        }
    }

    /// An HR adviser's agreement names the school, the programme and the level; the
    /// school sees it, the totals per level add it up, and the monitor splits by school.
    @Test func agreementsNameTheSchoolAndTheMonitorSplitsByIt() async throws {
        try await TestApp.withDemo { browser, store in
            let year = Day(Date()).year
            let altra = try #require(try await store.organisations.find(slug: "altra")).id
            let before = try #require(try await store.internships.overview(organisation: altra, year: year).first { $0.educationLevel == .hbo }).agreed
            try await browser.login("hr@altra.doorstroom.test")
            _ = try await browser.get("/beheer/stageafspraken")
            let unknown = try await browser.post("/beheer/stageafspraken", [
                ("organisation", "altra"), ("year", String(year)), ("level", "hbo"), ("places", "3"), ("school", "cordaan"),
            ])
            #expect(unknown.status == .unprocessableContent && unknown.body.contains("Kies een school uit de lijst."))
            #expect(try await browser.post("/beheer/stageafspraken", [
                ("organisation", "altra"), ("year", String(year)), ("level", "hbo"), ("places", "3"), ("school", "hva"), ("programme", " Social Work "),
            ]).status == .seeOther)
            let page = try await browser.get("/beheer/stageafspraken")
            #expect(page.body.contains("Hogeschool van Amsterdam") && page.body.contains("Social Work"))
            #expect(try #require(try await store.internships.overview(organisation: altra, year: year).first { $0.educationLevel == .hbo }).agreed == before + 3)
            let school = Browser(browser.client)
            try await school.login("stage@hva.doorstroom.test")
            let seen = try await school.get("/school")
            #expect(seen.body.contains("Altra"))
            let period = MonitorPeriod(step: .month, first: MonitorPeriod.Month(Day(Date())), count: 1)
            let monitor = try #require(try await store.monitor.compute("internships-by-school", period: period, scope: .region))
            let hvaHBO = try #require(monitor.rows.first { $0[1].dutch == "Hogeschool van Amsterdam" && $0[2].dutch == "HBO" })
            // Spirit's, Cordaan's and Altra's hbo agreements with the HvA; the demo students' applications.
            #expect((hvaHBO[3].number ?? 0) >= 3 && (hvaHBO[4].number ?? 0) >= 1)
            #expect(monitor.rows.contains { $0[1].dutch == "Zonder school" })
            // Zero takes the line away again.
            #expect(try await browser.post("/beheer/stageafspraken", [
                ("organisation", "altra"), ("year", String(year)), ("level", "hbo"), ("places", "0"), ("school", "hva"), ("programme", "Social Work"),
            ]).status == .seeOther)
            #expect(try await store.internships.lines(school: try #require(try await store.organisations.find(slug: "hva")).id).allSatisfy { $0.organisationName != "Altra" })
        }
    }

    /// A student who types a partner school's name when signing up is linked to it.
    @Test func signingUpWithAPartnerSchoolsNameLinksTheStudent() async throws {
        try await TestApp.withDemo { browser, store in
            _ = try await browser.get("/registreren")
            let response = try await browser.post("/registreren", [
                ("kind", "student"), ("displayName", "Sara Student"), ("email", "sara@student.example"), ("password", "zeven lange paarden op het ijs"),
                ("school", "hogeschool van amsterdam"), ("programme", "Social Work"), ("level", "hbo"),
            ])
            #expect(response.status.code < 400)
            let linked = try await store.pool.query(
                "SELECT o.slug FROM student s JOIN account a ON a.id = s.account_id JOIN organisation o ON o.id = s.school_id WHERE a.email = 'sara@student.example'"
            ).first(decoding: String.self)
            #expect(linked == "hva")
        }
    }
}
