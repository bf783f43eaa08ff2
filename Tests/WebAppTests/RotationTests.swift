import Domain
import Foundation
import HTTPTypes
import Hummingbird
import PQ
import Store
import TestSupport
import Testing

@Suite("Job rotation")
struct RotationTests {
    /// Priya (Spirit) and a jeugdhulpverlener of Altra, both open to rotation and
    /// willing to be contacted; an HR adviser for Spirit.
    static func setUp(_ browser: Browser, _ store: Store) async throws -> (priya: UUID, colleague: Account, hrSpirit: Browser) {
        let priya = try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id
        let colleagueID = try #require(try await store.pool.query(
            """
            SELECT e.account_id FROM employment e JOIN organisation o ON o.id = e.organisation_id
            JOIN professional_function f ON f.account_id = e.account_id AND f.function_code = 'jeugdhulpverlener'
            WHERE o.slug = 'altra' AND e.ended_on IS NULL ORDER BY e.account_id LIMIT 1
            """).first(decoding: UUID.self))
        for person in [priya, colleagueID] {
            _ = try await store.pool.query(
                "UPDATE professional SET interests = array_append(array_remove(interests, 'rotation'), 'rotation') WHERE account_id = \(person)")
            try await store.profiles.give(.contactMobility, by: person)
        }
        let colleague = try #require(try await store.accounts.find(id: colleagueID))
        // An HR adviser for Spirit, made by the admin.
        let spirit = try #require(try await store.organisations.find(slug: "spirit"))
        let admin = Browser(browser.client)
        try await admin.login("admin@doorstroom.test")
        _ = try await admin.get("/beheer/accounts")
        _ = try await admin.post("/beheer/accounts", [
            ("email", "hr@spirit.doorstroom.test"), ("displayName", "HR Spirit"), ("password", "een lang genoeg wachtwoord"),
            ("role", "hr_adviser"), ("organisation", spirit.id.lowercased),
        ])
        let hrSpirit = Browser(browser.client)
        try await hrSpirit.login("hr@spirit.doorstroom.test", "een lang genoeg wachtwoord")
        return (priya, colleague, hrSpirit)
    }

    static func dates(_ fromToday: Int, _ days: Int) -> (String, String) {
        let start = AmsterdamTime.adding(fromToday, to: Day(Date()))
        return (start.iso, AmsterdamTime.adding(days - 1, to: start).iso)
    }

    @Test func proposedAgreedAndApprovedByBothHRAdvisersItBecomesATemporaryMove() async throws {
        try await TestApp.withDemo { browser, store in
            let (priya, colleague, hrSpirit) = try await Self.setUp(browser, store)
            try await browser.login("professional@doorstroom.test")
            let page = try await browser.get("/mijn/roulatie")
            #expect(page.bodyWithoutLabels.contains("<td>\(colleague.displayName)</td><td>Altra</td><td>Jeugdhulpverlener</td>"))

            // A period that is too short is refused with a message, and nothing is stored.
            let (start, _) = Self.dates(30, 14)
            let short = try await browser.post("/mijn/roulatie/voorstel", [("partner", colleague.id.lowercased), ("start", start), ("end", start)])
            #expect(short.status == .unprocessableContent && short.body.contains("Een roulatie duurt minstens twee weken."))
            #expect(try await store.rotations.mine(priya).isEmpty)

            let (from, until) = Self.dates(30, 60)
            let proposed = try await browser.post("/mijn/roulatie/voorstel", [
                ("partner", colleague.id.lowercased), ("start", from), ("end", until), ("message", "Zullen we twee maanden ruilen?"),
            ])
            #expect(proposed.status == .seeOther)
            let rotation = try #require(try await store.rotations.mine(priya).first)
            #expect(rotation.status == .proposed && rotation.partnerID == colleague.id)
            #expect(try await store.notifications.inbox(of: colleague.id).contains { $0.kind == .rotationRequest && $0.subject.contains("Priya Ramdin") })

            // The colleague says yes; the HR advisers of Altra and Spirit are asked.
            _ = try await store.pool.query("UPDATE account SET password_hash = (SELECT password_hash FROM account WHERE email = 'professional@doorstroom.test') WHERE id = \(colleague.id)")
            let partner = Browser(browser.client)
            try await partner.login(colleague.email)
            #expect(try await partner.get("/mijn/roulatie").body.contains("Ja, ik doe mee"))
            #expect(try await partner.post("/mijn/roulatie/\(rotation.id.lowercased)/antwoord", [("antwoord", "ja")]).status == .seeOther)
            #expect(try await store.rotations.mine(priya).first?.status == .agreed)
            let hrAltraID = try #require(try await store.accounts.find(email: "hr@altra.doorstroom.test")).id
            #expect(try await store.notifications.inbox(of: hrAltraID).contains { $0.subject.hasPrefix("Roulatie goedkeuren") })

            // Cordaan has nothing to do with it.
            let hrCordaan = Browser(browser.client)
            try await hrCordaan.login("hr@cordaan.doorstroom.test")
            _ = try await hrCordaan.get("/beheer/roulaties")
            #expect(try await hrCordaan.post("/beheer/roulaties/\(rotation.id.lowercased)", [("besluit", "goedkeuren")]).status == .notFound)

            let hrAltra = Browser(browser.client)
            try await hrAltra.login("hr@altra.doorstroom.test")
            #expect(try await hrAltra.get("/beheer/roulaties").body.contains("Goedkeuren voor Altra"))
            #expect(try await hrAltra.post("/beheer/roulaties/\(rotation.id.lowercased)", [("besluit", "goedkeuren")]).status == .seeOther)
            #expect(try await store.rotations.mine(priya).first?.status == .agreed)
            // Approving twice for the same organisation does nothing more.
            #expect(try await hrAltra.post("/beheer/roulaties/\(rotation.id.lowercased)", [("besluit", "goedkeuren")]).status == .conflict)

            _ = try await hrSpirit.get("/beheer/roulaties")
            #expect(try await hrSpirit.post("/beheer/roulaties/\(rotation.id.lowercased)", [("besluit", "goedkeuren")]).status == .seeOther)
            #expect(try await store.rotations.mine(priya).first?.status == .approved)

            // A temporary move: each holds a job at the other organisation for the period.
            let spells = try await store.pool.query(
                """
                SELECT a.email, o.slug, e.started_on, e.ended_on FROM employment e JOIN organisation o ON o.id = e.organisation_id
                JOIN account a ON a.id = e.account_id
                WHERE e.account_id = ANY(\([priya, colleague.id])::uuid[]) AND e.started_on = \(from)::date ORDER BY a.email = 'professional@doorstroom.test' DESC
                """).decode((String, String, Day, Day?).self)
            #expect(spells.map(\.1) == ["altra", "spirit"])
            #expect(spells.allSatisfy { $0.3?.iso == until })
            #expect(try await store.notifications.inbox(of: priya).contains { $0.subject == "Je roulatie is goedgekeurd" })
            #expect(try await browser.get("/mijn").bodyWithoutLabels.contains("<td>Altra</td><td>Jeugdhulpverlener</td>"))
        }
    }

    @Test func withoutConsentNobodyIsShownAndTwoAgreedRotationsCannotOverlap() async throws {
        try await TestApp.withDemo { browser, store in
            let (priya, colleague, hrSpirit) = try await Self.setUp(browser, store)
            try await browser.login("professional@doorstroom.test")
            // Withdrawing consent hides everyone, and nobody sees her either.
            try await store.profiles.withdraw(.contactMobility, by: priya)
            let hidden = try await browser.get("/mijn/roulatie")
            #expect(hidden.body.contains("toestemming dat collega") && !hidden.body.contains(colleague.displayName))
            #expect(try await store.rotations.candidates(for: colleague.id).allSatisfy { $0.accountID != priya })
            try await store.profiles.give(.contactMobility, by: priya)

            // Two proposals for overlapping periods: the colleague can agree to one only.
            let first = try await store.rotations.propose(by: priya, with: colleague.id, .init(
                startsOn: AmsterdamTime.adding(30, to: Day(Date())), endsOn: AmsterdamTime.adding(90, to: Day(Date())), message: ""))
            let second = try await store.rotations.propose(by: priya, with: colleague.id, .init(
                startsOn: AmsterdamTime.adding(60, to: Day(Date())), endsOn: AmsterdamTime.adding(120, to: Day(Date())), message: ""))
            try await store.rotations.answer(first, by: colleague.id, agree: true)
            await #expect(throws: RotationStore.Failure.overlaps) { try await store.rotations.answer(second, by: colleague.id, agree: true) }
            #expect(try await store.rotations.mine(priya).first { $0.id == second }?.status == .proposed)
            // Only the partner answers; only the proposer withdraws.
            await #expect(throws: RotationStore.Failure.notAllowed) { try await store.rotations.answer(second, by: priya, agree: true) }
            await #expect(throws: RotationStore.Failure.notAllowed) { try await store.rotations.withdraw(second, by: colleague.id) }
            try await store.rotations.withdraw(first, by: priya)
            // Withdrawn, the first no longer holds the time: now the second can be agreed.
            try await store.rotations.answer(second, by: colleague.id, agree: true)
            // Spirit's HR adviser rejects it: both are told, and the time is free again.
            _ = try await hrSpirit.get("/beheer/roulaties")
            #expect(try await hrSpirit.post("/beheer/roulaties/\(second.lowercased)", [("besluit", "afwijzen")]).status == .seeOther)
            #expect(try await store.rotations.mine(priya).first { $0.id == second }?.status == .rejected)
            for person in [priya, colleague.id] {
                #expect(try await store.notifications.inbox(of: person).contains { $0.subject == "Je roulatie is niet goedgekeurd" })
            }
            #expect(try await store.pool.query(
                "SELECT count(*)::int FROM rotation_party WHERE rotation_id = \(second) AND binding").first(decoding: Int.self) == 0)
            #expect(try await store.pool.query(
                "SELECT count(*)::int FROM employment WHERE account_id = \(priya) AND started_on > current_date").first(decoding: Int.self) == 0)
            let third = try await store.rotations.propose(by: priya, with: colleague.id, .init(
                startsOn: AmsterdamTime.adding(60, to: Day(Date())), endsOn: AmsterdamTime.adding(120, to: Day(Date())), message: ""))
            try await store.rotations.answer(third, by: colleague.id, agree: true)
            // Someone who is not open to rotation cannot be proposed to.
            let stranger = try #require(try await store.accounts.find(email: "hr@altra.doorstroom.test")).id
            await #expect(throws: RotationStore.Failure.notACandidate) {
                _ = try await store.rotations.propose(by: priya, with: stranger, .init(
                    startsOn: AmsterdamTime.adding(200, to: Day(Date())), endsOn: AmsterdamTime.adding(230, to: Day(Date())), message: ""))
            }
        }
    }
}
