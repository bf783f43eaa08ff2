import Domain
import Foundation
import HTTPTypes
import PQ
import Store
import Testing

private func client(_ browser: Browser, _ member: PoolMemberFixture) -> Browser {
    let client = Browser(browser.client)
    client.setCookie("doorstroom_session", member.sessionToken)
    return client
}

@Suite("The learning network")
struct LearningNetworkTests {
    /// Wishes and "ik ook" count once per person; the page shows them by topic beside
    /// the offer; a provider answers with its own offering (not another's) and
    /// everyone who asked is told; the monitor counts it.
    @Test func wishesCountOncePerPersonAndAnAnswerTellsEveryoneWhoAsked() async throws {
        try await TestApp.withDemo { browser, store in
            let window = TimeWindow(start: Date(), end: Date().addingTimeInterval(3600))
            let others = try await makePoolMembers(store, count: 2, organisation: "altra", window: window, prefix: "wens")
            try await browser.login("professional@doorstroom.test")
            _ = try await browser.get("/academie/wensen")
            let empty = try await browser.post("/academie/wensen", [("topic", "x"), ("why", "")])
            #expect(empty.status == .unprocessableContent && empty.body.contains("Geef een onderwerp van 2 tot 60 tekens"))
            #expect(try await browser.post("/academie/wensen", [("topic", "  Agressie  Regulatie "), ("why", "We zien steeds meer escalaties op de groep.")])
                .status == .seeOther)
            let wish = try #require(try await store.pool.query("SELECT id FROM training_wish WHERE topic = 'agressie regulatie'").first(decoding: UUID.self))
            for member in others {
                for _ in 0..<2 {
                    #expect(try await client(browser, member).post("/academie/wensen/\(wish.lowercased)/ikook", [], csrf: member.csrf).status == .seeOther)
                }
            }
            #expect(try await store.pool.query("SELECT count(*) FROM training_wish_support WHERE wish_id = \(wish)").first(decoding: Int.self) == 3)
            let page = try await browser.get("/academie/wensen")
            #expect(page.body.contains("agressie regulatie") && page.body.contains("Gevraagd door <strong>3</strong>"))
            #expect(page.body.contains("Altra 2"), "per organisation")
            #expect(page.body.contains("geen uitvoeringen gepland") && page.body.contains("veel gevraagd, weinig aanbod"))

            // Cordaan's adviser answers with a Cordaan offering; Altra's offering is not theirs to give.
            let (_, offering) = try await makeCourse(store, code: "WENS-1", places: 20, points: 4)
            let hr = Browser(browser.client)
            try await hr.login("hr@altra.doorstroom.test")
            _ = try await hr.get("/academie/wensen")
            #expect(try await hr.post("/academie/wensen/\(wish.lowercased)/antwoord", [("offering", offering.lowercased)]).status == .unprocessableContent)
            try await hr.login("hr@cordaan.doorstroom.test")
            let answering = try await hr.get("/academie/wensen")
            #expect(answering.body.contains("Traumasensitief werken WENS-1"))
            #expect(try await hr.post("/academie/wensen/\(wish.lowercased)/antwoord", [("offering", offering.lowercased)]).status == .seeOther)
            #expect(try await hr.post("/academie/wensen/\(wish.lowercased)/antwoord", [("offering", offering.lowercased)]).status == .conflict)
            let told = try await store.pool.query(
                "SELECT count(DISTINCT account_id) FROM notification WHERE kind = 'training_wish' AND body LIKE '%WENS-1%'").first(decoding: Int.self)
            #expect(told == 3)
            #expect(try await browser.get("/academie/wensen").body.contains("Beantwoord: Traumasensitief werken WENS-1"))
            // "Ik ook" on an answered wish does nothing.
            #expect(try await browser.post("/academie/wensen/\(wish.lowercased)/ikook", []).status == .notFound)

            let period = MonitorPeriod(step: .month, first: MonitorPeriod.Month(Day(Date())), count: 1)
            let monitor = try #require(try await store.monitor.compute("academy-wishes", period: period, scope: .region))
            let row = try #require(monitor.rows.first { $0.first?.dutch == "agressie regulatie" })
            #expect(row[1].number == 1 && row[2].number == 3 && row[3].number == 1)
        }
    }

    /// A group needs 4 to 8 people of two organisations and two disciplines: the form
    /// says what is wrong, and the database refuses it whatever the code does.
    /// Attendance the facilitator confirms counts as reflection hours, once, and the
    /// person need not (and cannot) log those hours again.
    @Test func intervisionGroupsKeepTheRuleAndAttendanceCountsAsReflection() async throws {
        try await TestApp.withDemo { browser, store in
            let window = TimeWindow(start: Date(), end: Date().addingTimeInterval(3600))
            let spirit = try await makePoolMembers(store, count: 3, organisation: "spirit", window: window, prefix: "intervisie")
            let altra = try await makePoolMembers(store, count: 2, organisation: "altra", window: window, prefix: "intervisie-altra")
            let facilitator = try await makePoolMembers(store, count: 1, organisation: "cordaan", window: window, prefix: "begeleider")[0]
            for (member, discipline) in zip(spirit + altra, ["jeugdhulp", "jeugdhulp", "ggz", "jeugdhulp", "lvb"]) {
                let asked = try await client(browser, member).post(
                    "/intervisie/aanmelden", [("discipline", discipline), ("availability", "dinsdagmiddag")], csrf: member.csrf)
                #expect(asked.status == .seeOther)
            }
            #expect(try await client(browser, spirit[0]).post("/intervisie/aanmelden", [("discipline", "ggz"), ("availability", "altijd")],
                                                              csrf: spirit[0].csrf).status == .conflict, "one open request a person")
            let requests = try await store.learning.openRequests()
            func ids(_ members: [PoolMemberFixture]) -> [(String, String)] {
                members.map { member in ("request", requests.first { $0.accountID == member.id }!.id.lowercased) }
            }
            try await browser.login("coordinator@doorstroom.test")
            _ = try await browser.get("/beheer/intervisie")
            let base = [("name", "Intervisie Oost"), ("theme", "Loyaliteitsconflicten"), ("facilitator", "begeleider.0@cordaan.doorstroom.test")]
            let three = try await browser.post("/beheer/intervisie", base + ids(Array(spirit.prefix(2)) + [altra[0]]))
            #expect(three.status == .unprocessableContent && three.body.contains("4 tot 8 deelnemers; nu 3"))
            let oneOrganisation = try await browser.post("/beheer/intervisie", base + ids(spirit))
            #expect(oneOrganisation.status == .unprocessableContent && oneOrganisation.body.contains("minstens twee organisaties"))
            #expect(!(try await store.learning.groups().contains { $0.name == "Intervisie Oost" }))
            let formed = try await browser.post("/beheer/intervisie", base + ids(Array(spirit.prefix(2)) + altra))
            #expect(formed.status == .seeOther)
            let group = try #require(try await store.learning.groups().first { $0.name == "Intervisie Oost" })
            #expect(group.members.count == 4 && Set(group.members.map(\.discipline)).count == 2)

            // The database holds the rule on its own: removing two members leaves two.
            do {
                _ = try await store.pool.query("DELETE FROM intervision_member WHERE group_id = \(group.id) AND account_id = ANY(\([altra[0].id, altra[1].id])::uuid[])")
                Issue.record("a group of two was left")
            } catch let error as PostgresError {
                #expect(error.constraint == Constraint.intervisionGroupComposition)
            }

            // A session that was this morning; the facilitator confirms three of four.
            let session = Date().addingTimeInterval(-3 * 3600)
            #expect(try await store.learning.addSession(group: group.id, during: TimeWindow(start: session, end: session.addingTimeInterval(2 * 3600)),
                                                        place: "Spirit, Amsterdam"))
            let sessionID = try #require(try await store.learning.groups().first { $0.id == group.id }?.sessions.first?.id)
            let present = [spirit[0], spirit[1], altra[0]].map { ("present", $0.id.lowercased) }
            let page = try await client(browser, facilitator).get("/intervisie")
            #expect(page.body.contains("Wie was er?"))
            for _ in 0..<2 {
                #expect(try await client(browser, facilitator).post("/intervisie/sessie/\(sessionID.lowercased)/aanwezig", present,
                                                                    csrf: facilitator.csrf).status == .seeOther)
            }
            #expect(try await client(browser, altra[1]).post("/intervisie/sessie/\(sessionID.lowercased)/aanwezig", [("present", altra[1].id.lowercased)],
                                                             csrf: altra[1].csrf).status == .notFound, "only the facilitator confirms")
            let since = AmsterdamTime.adding(-30, to: Day(Date()))
            let counted = try await store.academy.reflection(of: spirit[0].id, since: since)
            #expect(counted.filter { $0.kind == "intervision" }.map(\.hours) == [2.0], "once, two hours")
            #expect(try await store.academy.reflection(of: altra[1].id, since: since).isEmpty, "absent: nothing")
            _ = try await store.pool.query(
                "INSERT INTO registration (account_id, register, number, registered_on) VALUES (\(spirit[0].id), 'SKJ', '900800700', DATE '2024-01-01')")
            let double = try await client(browser, spirit[0]).post("/mijn/ontwikkeling/reflectie", [
                ("kind", "intervision"), ("held_on", Day(session).iso), ("hours", "2"), ("note", ""),
            ], csrf: spirit[0].csrf)
            #expect(double.status == .unprocessableContent && double.body.contains("telt je intervisiegroep al mee"))
            // No case content anywhere: a group has a name and a theme, nothing else to fill in.
            let columns = try await store.pool.query(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'intervision_group' ORDER BY ordinal_position"
            ).decode(String.self)
            #expect(columns == ["id", "name", "theme", "facilitator_id", "created_by", "created_at"])
        }
    }
}
