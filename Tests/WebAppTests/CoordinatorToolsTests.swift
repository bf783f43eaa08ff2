import Domain
import Foundation
import HTTPTypes
import Matching
import NIOCore
import PQ
import Store
import TestSupport
import Testing

/// A day of the week `weeks` ahead: 1 = Monday … 7 = Sunday, Amsterdam time.
func weekday(_ weekday: Int, weeksAhead: Int) -> Day {
    let start = AmsterdamTime.adding(7 * weeksAhead, to: Day(Date()))
    return AmsterdamTime.adding(weekday - AmsterdamTime.weekday(of: start), to: start)
}

func at(_ day: Day, _ hour: Double) -> Date { AmsterdamTime.date(day, minutes: Int(hour * 60)) }

@Suite("The coordinator's tools: the grid, hand assignment, pins and rule-outs, locations")
struct CoordinatorToolsTests {
    /// A week is a table: organisations as rows, days as columns; filters narrow it.
    @Test func theBoardIsAGridWithFilters() async throws {
        try await TestApp.withDemo { browser, store in
            let day = weekday(3, weeksAhead: 9)
            let window = TimeWindow(start: at(day, 6), end: at(day, 23))
            _ = try await makePoolMembers(store, count: 1, window: window)
            let altra = try await demand(store, organisation: "altra", from: at(day, 8))
            let cordaan = try await demand(store, organisation: "cordaan", area: "uithoorn", qualification: "gz-psycholoog", from: at(day, 9))
            try await browser.login("coordinator@doorstroom.test")
            let monday = weekday(1, weeksAhead: 9).iso
            let board = try await browser.get("/flexpool/coordinatie?van=\(monday)")
            #expect(board.body.contains("<table class=\"grid stack\">"))
            #expect(board.body.contains("<th scope=\"row\">Altra</th>") && board.body.contains("<th scope=\"row\">Cordaan</th>"))
            #expect(board.body.contains("id=\"vraag-\(altra.lowercased)\"") && board.body.contains("id=\"vraag-\(cordaan.lowercased)\""))
            // Seven day columns after the organisation.
            let head = try #require(board.body.range(of: "<thead>").map { board.body[$0.upperBound...] }?.prefix(while: { $0 != "\n" }))
            #expect(head.components(separatedBy: "<th scope=\"col\">").count - 1 == 8)
            let onlyCordaan = try await browser.get("/flexpool/coordinatie?van=\(monday)&organisatie=cordaan")
            #expect(!onlyCordaan.body.contains("id=\"vraag-\(altra.lowercased)\"") && onlyCordaan.body.contains("id=\"vraag-\(cordaan.lowercased)\""))
            // The Altra shift gets filled by hand: "alleen gaten" leaves it out.
            let member = try #require(try await store.flexpool.handList(for: altra)?.eligible.first)
            let coordinator = try #require(try await store.accounts.find(email: "coordinator@doorstroom.test"))
            try await store.flexpool.assign(altra, to: member.accountID, by: coordinator.id, organisations: nil)
            let gaps = try await browser.get("/flexpool/coordinatie?van=\(monday)&gaten=1")
            #expect(!gaps.body.contains("id=\"vraag-\(altra.lowercased)\"") && gaps.body.contains("id=\"vraag-\(cordaan.lowercased)\""))
            let area = try await browser.get("/flexpool/coordinatie?van=\(monday)&gebied=uithoorn")
            #expect(!area.body.contains("id=\"vraag-\(altra.lowercased)\""))
        }
    }

    /// A hundred coordinators' hand assignments and members' claims race for the last
    /// place: exactly one gets it, and a hand-assigned winner is told.
    @Test func aHundredHandAssignmentsAndClaimsOfTheLastPlaceGiveExactlyOne() async throws {
        try await TestApp.withDemo(poolSize: 10) { browser, store in
            let day = weekday(4, weeksAhead: 10)
            let window = TimeWindow(start: at(day, 6), end: at(day, 22))
            let claimers = try await makePoolMembers(store, count: 50, window: window, prefix: "claim")
            let assigned = try await makePoolMembers(store, count: 50, window: window, prefix: "hand")
            let shift = try await demand(store, from: at(day, 9))
            let coordinator = try #require(try await store.accounts.find(email: "coordinator@doorstroom.test"))
            let sessions = try await withThrowingTaskGroup(of: (String, String).self) { group in
                for _ in 0..<5 { group.addTask { let s = try await store.sessions.create(accountID: coordinator.id); return (s.token, s.csrfToken) } }
                var all: [(String, String)] = []
                for try await session in group { all.append(session) }
                return all
            }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for member in claimers {
                    group.addTask {
                        let client = Browser(browser.client)
                        client.setCookie("doorstroom_session", member.sessionToken)
                        return Int(try await client.post("/flexpool/diensten/\(shift.lowercased)/claimen", [], csrf: member.csrf).status.code)
                    }
                }
                for (index, member) in assigned.enumerated() {
                    let (token, csrf) = sessions[index % sessions.count]
                    group.addTask {
                        let client = Browser(browser.client)
                        client.setCookie("doorstroom_session", token)
                        return Int(try await client.post("/flexpool/coordinatie/vraag/\(shift.lowercased)/toewijzen", [("person", member.id.lowercased)], csrf: csrf).status.code)
                    }
                }
                var all: [Int] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.filter { $0 == 303 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 99)
            let winners = try await store.pool.query(
                "SELECT account_id, source FROM shift_assignment WHERE demand_id = \(shift) AND status = 'confirmed'").decode((UUID, String).self)
            #expect(winners.count == 1)
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 1)
            if let (winner, source) = winners.first, source == "hand" {
                #expect(try await store.notifications.inbox(of: winner).contains { $0.kind == .shiftAssigned })
            }
        }
    }

    /// The hand-assignment page lists the eligible in the engine's order and every near
    /// miss with the rule it breaks; assigning a near miss is refused with that rule.
    @Test func nearMissesNameTheRuleTheyBreak() async throws {
        try await TestApp.withDemo { browser, store in
            let tuesday = weekday(2, weeksAhead: 11), wednesday = weekday(3, weeksAhead: 11)
            let wide = TimeWindow(start: at(tuesday, 6), end: at(wednesday, 23))
            let shift = try await demand(store, organisation: "altra", from: at(wednesday, 7))
            func member(_ prefix: String, organisation: String = "spirit", area: String = "west", window: TimeWindow = wide, cap: Int = 40) async throws -> PoolMemberFixture {
                try await makePoolMembers(store, count: 1, organisation: organisation, area: area, window: window, cap: cap, prefix: prefix)[0]
            }
            let capped = try await member("cap", cap: 8)
            try await store.flexpool.claim(try await demand(store, organisation: "cordaan", from: at(tuesday, 7)), by: capped.id)
            let tired = try await member("rust")
            try await store.flexpool.claim(try await demand(store, organisation: "cordaan", from: at(tuesday, 14.5)), by: tired.id)
            let busy = try await member("bezet")
            try await store.flexpool.claim(try await demand(store, organisation: "cordaan", from: at(wednesday, 10)), by: busy.id)
            let away = try await member("weg", window: TimeWindow(start: at(tuesday, 6), end: at(tuesday, 20)))
            let own = try await member("eigen", organisation: "altra")
            let elsewhere = try await member("elders", area: "oost")
            let excluded = try await member("uit")
            let second = try await member("tweede")
            let first = try await member("eerste")
            _ = try await store.pool.query("UPDATE pool_member_area SET preferred = true WHERE account_id = \(first.id)")

            try await browser.login("coordinator@doorstroom.test")
            try await browser.get("/flexpool/coordinatie/vraag/\(shift.lowercased)/mensen")
            let ruledOut = try await browser.post("/flexpool/coordinatie/vraag/\(shift.lowercased)/uitsluiten", [("person", excluded.id.lowercased)])
            #expect(ruledOut.status == .seeOther)
            let page = try await browser.get("/flexpool/coordinatie/vraag/\(shift.lowercased)/mensen")
            #expect(page.status == .ok)
            func row(_ name: String) -> String {
                guard let start = page.bodyWithoutLabels.range(of: "<td>\(name)") else { return "" }
                let rest = page.bodyWithoutLabels[start.lowerBound...]
                return String(rest[..<(rest.range(of: "</tr>")?.lowerBound ?? rest.endIndex)])
            }
            #expect(row(capped.name).contains("al 8 uur deze week (maximum 8, de dienst is 8 uur)"))
            #expect(row(tired.name).contains("geen 11 uur rust na de dienst tot 22:30"))
            #expect(row(busy.name).contains("heeft al een dienst die overlapt"))
            #expect(row(away.name).contains("niet de hele dienst beschikbaar"))
            #expect(row(own.name).contains("werkt bij deze organisatie zelf"))
            #expect(row(elsewhere.name).contains("werkt niet in dit gebied"))
            #expect(row(excluded.name).contains("door jou uitgesloten"))
            // The eligible, preferred area first.
            let eligible = try #require(page.body.range(of: "Wie deze dienst kan doen").map { String(page.body[$0.upperBound...]) })
            let firstAt = try #require(eligible.range(of: first.name)), secondAt = try #require(eligible.range(of: second.name))
            #expect(firstAt.lowerBound < secondAt.lowerBound)
            let nearAt = eligible.range(of: "Net niet")?.lowerBound ?? eligible.endIndex
            let eligiblePart = String(eligible[..<nearAt])
            #expect(!eligiblePart.contains(capped.name))

            // Assigning a near miss is refused with the rule; nothing is stored.
            let refused = try await browser.post("/flexpool/coordinatie/vraag/\(shift.lowercased)/toewijzen", [("person", tired.id.lowercased)])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("11 uur rust"))
            let blocked = try await browser.post("/flexpool/coordinatie/vraag/\(shift.lowercased)/toewijzen", [("person", excluded.id.lowercased)])
            #expect(blocked.status == .conflict)
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 0)
            // The first eligible is put on it and told.
            let done = try await browser.post("/flexpool/coordinatie/vraag/\(shift.lowercased)/toewijzen", [("person", first.id.lowercased)])
            #expect(done.status == .seeOther)
            #expect(try await store.flexpool.demand(shift)?.peopleConfirmed == 1)
            #expect(try await store.notifications.inbox(of: first.id).contains { $0.kind == .shiftAssigned })
        }
    }

    /// A pinned proposal survives a matching run as it is; a ruled-out person is never
    /// proposed again for that demand.
    @Test func pinnedProposalsSurviveAMatchingRunAndRuledOutPairsAreNeverProposed() async throws {
        try await TestApp.withDemo { browser, store in
            let day = weekday(2, weeksAhead: 12)
            let window = TimeWindow(start: at(day, 6), end: at(day, 22))
            let members = try await makePoolMembers(store, count: 3, window: window)
            let shift = try await demand(store, from: at(day, 9), people: 2)
            try await browser.login("coordinator@doorstroom.test")
            let from = weekday(1, weeksAhead: 12).iso
            try await browser.get("/flexpool/coordinatie?van=\(from)")
            let firstRun = try await browser.post("/flexpool/coordinatie/matching", [("van", from), ("weken", "1")])
            #expect(firstRun.status == .seeOther, "\(firstRun.body.prefix(3000))")
            var proposals = try await store.flexpool.assignments(on: [shift], since: Date()).filter { $0.status == .proposed }
            try #require(proposals.count == 2)
            let kept = proposals[0], dropped = proposals[1]
            #expect(try await browser.post("/flexpool/coordinatie/toewijzingen/\(kept.id.lowercased)/vastzetten", [("vast", "1")]).status == .seeOther)
            #expect(try await browser.post("/flexpool/coordinatie/vraag/\(shift.lowercased)/uitsluiten", [("person", dropped.accountID.lowercased)]).status == .seeOther)
            for _ in 0..<2 {
                _ = try await browser.post("/flexpool/coordinatie/matching", [("van", from), ("weken", "1")])
                proposals = try await store.flexpool.assignments(on: [shift], since: Date()).filter { $0.status == .proposed }
                #expect(proposals.contains { $0.id == kept.id && $0.pinned })
                #expect(!proposals.contains { $0.accountID == dropped.accountID })
                #expect(proposals.count == 2, "the third member fills the place")
            }
            #expect(Set(proposals.map(\.accountID)) == Set(members.map(\.id)).subtracting([dropped.accountID]))
            // The database refuses a matching proposal of a ruled-out pair too.
            await #expect(throws: PostgresError.self) {
                _ = try await store.pool.query(
                    "INSERT INTO shift_assignment (demand_id, account_id, status, source) VALUES (\(shift), \(dropped.accountID), 'proposed', 'matching')")
            }
        }
    }

    /// A location's address, contact and instructions show on the shift, and the
    /// calendar feed carries the address as LOCATION.
    @Test func aShiftShowsItsLocationAndTheCalendarCarriesTheAddress() async throws {
        try await TestApp.withDemo { browser, store in
            let day = weekday(5, weeksAhead: 9)
            let window = TimeWindow(start: at(day, 6), end: at(day, 22))
            let member = try await makePoolMembers(store, count: 1, window: window)[0]
            try await browser.login("coordinator@doorstroom.test")
            try await browser.get("/flexpool/coordinatie/locaties")
            let bad = try await browser.post("/flexpool/coordinatie/locaties", [("organisation", "altra"), ("name", "X"), ("address", "")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("href=\"#address\""))
            let saved = try await browser.post("/flexpool/coordinatie/locaties", [
                ("organisation", "altra"), ("name", "De Boog"), ("address", "Boogstraat 12, 1012 AB Amsterdam"),
                ("contact", "Sanne, 020 123 4567"), ("instructions", "Bel aan bij de groep; sleutel bij de receptie."),
            ])
            #expect(saved.status == .seeOther)
            try await browser.get("/flexpool/coordinatie/vraag")
            let posted = try await browser.post("/flexpool/coordinatie/vraag", [
                ("organisation", "altra"), ("area", "west"), ("qualification", "pedagogisch-medewerker"), ("date", day.iso),
                ("start", "09:00"), ("end", "17:00"), ("people", "1"), ("priority", "normal"), ("note", ""), ("location", "De Boog"),
            ])
            #expect(posted.status == .seeOther)
            let wrong = try await browser.post("/flexpool/coordinatie/vraag", [
                ("organisation", "cordaan"), ("area", "west"), ("qualification", "pedagogisch-medewerker"), ("date", day.iso),
                ("start", "09:00"), ("end", "17:00"), ("people", "1"), ("priority", "normal"), ("note", ""), ("location", "De Boog"),
            ])
            #expect(wrong.status == .unprocessableContent)

            let professional = Browser(browser.client)
            professional.setCookie("doorstroom_session", member.sessionToken)
            let open = try await professional.get("/flexpool")
            #expect(open.body.contains("Boogstraat 12, 1012 AB Amsterdam"))
            #expect(open.body.contains("Claim deze dienst"))
            let shift = try #require(try await store.flexpool.demands(in: window, organisations: nil).first { $0.location?.name == "De Boog" })
            try await store.flexpool.claim(shift.id, by: member.id)
            let mine = try await professional.get("/mijn/diensten")
            #expect(mine.body.contains("Boogstraat 12") && mine.body.contains("Sanne, 020 123 4567") && mine.body.contains("sleutel bij de receptie"))
            let token = try #require(try await store.pool.query("SELECT calendar_token FROM pool_member WHERE account_id = \(member.id)").first(decoding: String.self))
            let feed = try await Browser(browser.client).get("/flexpool/agenda/\(token).ics")
            #expect(feed.body.contains("LOCATION:De Boog\\, Boogstraat 12\\, 1012 AB Amsterdam"))
        }
    }

    /// Availability as a week grid: the ticked day-parts repeat weekly for the weeks asked.
    @Test func theWeekGridAddsWeeklyDayParts() async throws {
        try await TestApp.withDemo { browser, store in
            let window = TimeWindow(start: Date().addingTimeInterval(86_400), end: Date().addingTimeInterval(2 * 86_400))
            let member = try await makePoolMembers(store, count: 1, window: window)[0]
            let client = Browser(browser.client)
            client.setCookie("doorstroom_session", member.sessionToken)
            let page = try await client.get("/flexpool/beschikbaarheid")
            #expect(page.body.contains("name=\"cel\" value=\"1-ochtend\""))
            let empty = try await client.post("/flexpool/beschikbaarheid/week", [("grid_from", ""), ("grid_weeks", "4")], csrf: member.csrf)
            #expect(empty.status == .unprocessableContent && empty.body.contains("Vink minstens één dagdeel aan."))
            let from = weekday(1, weeksAhead: 2)
            let added = try await client.post("/flexpool/beschikbaarheid/week", [
                ("cel", "1-ochtend"), ("cel", "3-nacht"), ("grid_from", from.iso), ("grid_weeks", "4"),
            ], csrf: member.csrf)
            #expect(added.status == .seeOther)
            let patterns = try await store.flexpool.patterns(member.id)
            #expect(patterns.count == 2)
            let windows = try await store.flexpool.availability(member.id, after: at(from, 0))
            let grid = windows.filter { $0.patternID != nil }
            #expect(grid.count == 8)
            #expect(grid.contains { $0.window == TimeWindow(start: at(from, 7), end: at(from, 15)) })
            let wednesday = AmsterdamTime.adding(2, to: from)
            #expect(grid.contains { $0.window == TimeWindow(start: at(wednesday, 23), end: at(AmsterdamTime.adding(1, to: wednesday), 7)) })
        }
    }
}
