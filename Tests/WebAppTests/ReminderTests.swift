import Domain
import Foundation
import HTTPTypes
import PQ
import Store
import Testing

@Suite("Reminders")
struct ReminderTests {
    /// Runs the reminders twice at once, as two instances would.
    private func sendTwice(_ store: Store, _ now: Date) async throws {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 { group.addTask { try await store.reminders.sendDue(now: now) } }
            for try await _ in group {}
        }
    }

    private func reminders(_ store: Store, _ account: UUID) async throws -> [String] {
        try await store.pool.query(
            "SELECT subject FROM notification WHERE account_id = \(account) AND kind = 'reminder' ORDER BY created_at, subject"
        ).decode(String.self)
    }

    /// A confirmed shift: one reminder 24 hours before for everyone on it, a second one
    /// 2 hours before only for who chose it (on /mijn/diensten), each once with two
    /// instances sending; a shift cancelled before its time gets none.
    @Test func shiftRemindersGoOnceAndNotAfterACancellation() async throws {
        try await TestApp.withDemo { browser, store in
            let start = Date().addingTimeInterval(30 * 3600)
            let window = TimeWindow(start: start.addingTimeInterval(-3 * 3600), end: start.addingTimeInterval(12 * 3600))
            let members = try await makePoolMembers(store, count: 3, window: window, prefix: "herinnering")
            let (plain, early, cancelled) = (members[0], members[1], members[2])
            let shift = try await demand(store, from: start, people: 2)
            try await store.flexpool.claim(shift, by: plain.id)
            try await store.flexpool.claim(shift, by: early.id)
            let other = try await demand(store, organisation: "cordaan", from: start)
            try await store.flexpool.claim(other, by: cancelled.id)

            // The early one asks for the 2-hour reminder on Mijn diensten.
            let client = Browser(browser.client)
            client.setCookie("doorstroom_session", early.sessionToken)
            #expect(try await client.get("/mijn/diensten").body.contains("Ook 2 uur vooraf een herinnering"))
            #expect(try await client.post("/mijn/diensten/herinnering", [("twee_uur", "ja")], csrf: early.csrf).status == .seeOther)
            #expect(try await store.reminders.remindsTwoHours(early.id))

            try await sendTwice(store, Date())
            #expect(try await reminders(store, plain.id).isEmpty, "30 hours ahead: not yet")
            // The other shift is cancelled before its reminder was due.
            let coordinator = try #require(try await store.accounts.find(email: "coordinator@doorstroom.test")).id
            _ = try await store.flexpool.cancel(other, by: coordinator)

            try await sendTwice(store, start.addingTimeInterval(-23 * 3600))
            #expect(try await reminders(store, plain.id).count == 1)
            #expect(try await reminders(store, early.id).count == 1)
            #expect(try await reminders(store, plain.id).first?.hasPrefix("Morgen: dienst bij Altra") == true)
            #expect(try await reminders(store, cancelled.id).isEmpty, "nothing for a cancelled shift")
            try await sendTwice(store, start.addingTimeInterval(-20 * 3600))
            try await sendTwice(store, start.addingTimeInterval(-90 * 60))
            #expect(try await reminders(store, plain.id).count == 1, "no 2-hour reminder unless chosen")
            #expect(try await reminders(store, early.id).count == 2)
            #expect(try await reminders(store, early.id).last?.hasPrefix("Over 2 uur") == true)
            try await sendTwice(store, start.addingTimeInterval(-30 * 60))
            #expect(try await reminders(store, early.id).count == 2)
            #expect(try await reminders(store, cancelled.id).isEmpty)
        }
    }

    /// A course a week ahead and the day before; a meeting alike; a cancelled
    /// registration is not reminded of.
    @Test func courseAndMeetingRemindersComeAWeekAndADayBefore() async throws {
        try await TestApp.withDemo { browser, store in
            let today = Day(Date())
            let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
            let student = try #require(try await store.accounts.find(email: "student@doorstroom.test")).id
            // An offering that starts in 10 days.
            let offering = try #require(try await store.pool.query(
                """
                UPDATE course_offering SET start_date = \(AmsterdamTime.adding(10, to: today)), end_date = \(AmsterdamTime.adding(11, to: today)),
                       enroll_start_date = NULL, enroll_end_date = NULL
                WHERE id = (SELECT x.id FROM course_offering x JOIN course c ON c.id = x.course_id
                            WHERE x.withdrawn_at IS NULL AND c.withdrawn_at IS NULL AND c.enrols_here AND x.max_students IS NULL
                            ORDER BY x.id LIMIT 1)
                RETURNING id
                """).first(decoding: UUID.self))
            _ = try await store.academy.enrol(offering, account: priya, today: today)
            let start = AmsterdamTime.date(AmsterdamTime.adding(10, to: today), minutes: 14 * 60)
            let meeting = try await store.meetings.create(
                MeetingForm(kind: .meetup, title: "Intervisie-ochtend", description: "Samen leren.", place: "Bijlmerplein 1, Amsterdam",
                            during: TimeWindow(start: start, end: start.addingTimeInterval(7200)), places: 10),
                organisation: nil, by: priya)
            try await store.meetings.register(meeting, account: priya)
            try await store.meetings.register(meeting, account: student)
            #expect(try await store.meetings.unregister(meeting, account: student))

            let course = try #require(try await store.pool.query(
                "SELECT c.name FROM course_offering x JOIN course c ON c.id = x.course_id WHERE x.id = \(offering)").first(decoding: String.self))
            // Only these two (the demo has other courses and meetings of hers).
            func ours(_ account: UUID) async throws -> [String] {
                try await reminders(store, account).filter { $0.contains(course) || $0.contains("Intervisie-ochtend") }
            }
            func at(_ days: Int) -> Date { AmsterdamTime.date(AmsterdamTime.adding(days, to: today), minutes: 9 * 60) }
            try await sendTwice(store, at(0))
            #expect(try await ours(priya).isEmpty, "ten days ahead: not yet")
            try await sendTwice(store, at(3))
            let week = try await ours(priya)
            #expect(week.count == 2 && week.allSatisfy { $0.hasPrefix("Over een week") }, "\(week)")
            try await sendTwice(store, at(5))
            #expect(try await ours(priya).count == 2)
            try await sendTwice(store, at(9))
            let all = try await ours(priya)
            #expect(all.filter { $0.hasPrefix("Morgen") }.count == 2, "\(all)")
            try await sendTwice(store, at(9).addingTimeInterval(3600))
            #expect(try await ours(priya).count == 4)
            #expect(try await ours(student).isEmpty, "no reminder after unregistering")
        }
    }
}
