import Domain
import Foundation
import HTTPTypes
import Hummingbird
import PQ
import Store
import TestSupport
import Testing

@Suite("Ontmoetingen")
struct MeetingTests {
    @Test func aCoordinatorOrganisesAMeetingProfessionalsRegisterAndFullIsFull() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("coordinator@doorstroom.test")
            _ = try await browser.get("/beheer/ontmoetingen")
            let day = AmsterdamTime.adding(10, to: Day(Date())).iso
            // Bad input: a message per field, nothing stored.
            let before = try await store.meetings.upcoming(after: Date()).count
            let bad = try await browser.post("/beheer/ontmoetingen", [
                ("organiser", "regio"), ("kind", "open_day"), ("title", "x"), ("description", ""), ("place", "Amsterdam"),
                ("date", day), ("start", "15:00"), ("end", "14:00"), ("places", "0"),
            ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("Geef een titel van 3 tot 200 tekens.") && bad.body.contains("De eindtijd ligt na de begintijd.")
                && bad.body.contains("Vul een aantal plaatsen in van 1 tot 1.000."))
            #expect(try await store.meetings.upcoming(after: Date()).count == before)
            // An HR adviser's organisation is not the coordinator's to choose.
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let foreign = try await browser.post("/beheer/ontmoetingen", [
                ("organiser", altra.id.lowercased), ("kind", "meetup"), ("title", "Ontmoeting"), ("description", "Samen."), ("place", "Amsterdam"),
                ("date", day), ("start", "14:00"), ("end", "16:00"), ("places", "2"),
            ])
            #expect(foreign.status == .unprocessableContent && foreign.body.contains("Kies voor wie je de ontmoeting organiseert."))

            let made = try await browser.post("/beheer/ontmoetingen", [
                ("organiser", "regio"), ("kind", "rotation_meetup"), ("title", "Roulatie-ontmoeting Zuidoost"), ("description", "Kennismaken."),
                ("place", "Bijlmerplein 1, Amsterdam"), ("date", day), ("start", "14:00"), ("end", "16:00"), ("places", "2"),
            ])
            #expect(made.status == .seeOther)
            let meeting = try #require(try await store.meetings.upcoming(after: Date()).first { $0.title == "Roulatie-ontmoeting Zuidoost" })
            #expect(meeting.organisationID == nil && meeting.places == 2)
            #expect(try await Browser(browser.client).get("/ontmoetingen").body.contains("Roulatie-ontmoeting Zuidoost"))

            // Priya registers, sees it as hers; the student takes the last place; a third person finds it full.
            let priya = Browser(browser.client)
            try await priya.login("professional@doorstroom.test")
            _ = try await priya.get("/ontmoetingen/\(meeting.id.lowercased)")
            #expect(try await priya.post("/ontmoetingen/\(meeting.id.lowercased)/aanmelden", []).status == .seeOther)
            #expect(try await priya.get("/ontmoetingen").body.contains("Mijn ontmoetingen"))
            #expect(try await priya.post("/ontmoetingen/\(meeting.id.lowercased)/aanmelden", []).status == .conflict)
            let student = Browser(browser.client)
            try await student.login("student@doorstroom.test")
            _ = try await student.get("/ontmoetingen/\(meeting.id.lowercased)")
            #expect(try await student.post("/ontmoetingen/\(meeting.id.lowercased)/aanmelden", []).status == .seeOther)
            let someone = try #require(try await store.pool.query(
                "SELECT account_id FROM professional WHERE account_id <> (SELECT id FROM account WHERE email = 'professional@doorstroom.test') LIMIT 1"
            ).first(decoding: UUID.self))
            await #expect(throws: MeetingStore.RegisterFailure.full) { try await store.meetings.register(meeting.id, account: someone) }

            // The coordinator sees who came, and that view is written down.
            let participants = try await browser.get("/beheer/ontmoetingen/\(meeting.id.lowercased)")
            #expect(participants.body.contains("Priya Ramdin") && participants.body.contains("Stijn Koster"))
            #expect(try await store.pool.query("SELECT count(*)::int FROM audit_log WHERE action = 'meeting.participants'").first(decoding: Int.self) == 1)
            // An HR adviser cannot manage the region's meeting.
            let hr = Browser(browser.client)
            try await hr.login("hr@altra.doorstroom.test")
            #expect(try await hr.get("/beheer/ontmoetingen/\(meeting.id.lowercased)").status == .notFound)

            // Giving a place back frees it.
            _ = try await priya.get("/ontmoetingen/\(meeting.id.lowercased)")
            #expect(try await priya.post("/ontmoetingen/\(meeting.id.lowercased)/afmelden", []).body.contains("Afmelden?"))
            let priyaID = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            #expect(try await store.meetings.isRegistered(meeting.id, account: priyaID), "nothing changes before the confirmation")
            #expect(try await priya.post("/ontmoetingen/\(meeting.id.lowercased)/afmelden", [("bevestigd", "1")]).status == .seeOther)
            try await store.meetings.register(meeting.id, account: someone)
            // Cancelled: nobody can register any more.
            _ = try await browser.get("/beheer/ontmoetingen")
            #expect(try await browser.post("/beheer/ontmoetingen/\(meeting.id.lowercased)/annuleren", []).status == .seeOther)
            _ = try await priya.get("/ontmoetingen/\(meeting.id.lowercased)")
            #expect(try await priya.post("/ontmoetingen/\(meeting.id.lowercased)/aanmelden", []).status == .conflict)
        }
    }

    @Test func fiftyRacingRegistrationsFillTenPlacesExactly() async throws {
        try await TestDatabase.withStore(poolSize: 10) { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 60)
            let people = try await store.pool.query("SELECT account_id FROM professional ORDER BY account_id LIMIT 50").decode(UUID.self)
            try #require(people.count == 50)
            let start = Date().addingTimeInterval(7 * 86_400)
            let meeting = try await store.meetings.create(
                MeetingForm(kind: .meetup, title: "Tien plaatsen", description: "Wie het eerst komt.", place: "Amsterdam",
                            during: TimeWindow(start: start, end: start.addingTimeInterval(7200)), places: 10),
                organisation: nil, by: people[0])
            let outcomes = await withTaskGroup(of: String.self) { group in
                for person in people {
                    group.addTask {
                        do {
                            try await store.meetings.register(meeting, account: person)
                            return "registered"
                        } catch let failure as MeetingStore.RegisterFailure {
                            return "\(failure)"
                        } catch {
                            return "error: \(error)"
                        }
                    }
                }
                var all: [String] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0 == "registered" }.count == 10)
            #expect(outcomes.filter { $0 == "full" }.count == 40)
            let (taken, rows) = try #require(try await store.pool.query(
                "SELECT places_taken, (SELECT count(*)::int FROM event_registration WHERE event_id = \(meeting) AND status = 'registered') FROM event WHERE id = \(meeting)"
            ).first(decoding: (Int, Int).self))
            #expect(taken == 10 && rows == 10)
        }
    }
}
