import Domain
import Foundation
import HTTPTypes
import Mail
import PQ
import Store
import Testing

/// A published Cordaan vacancy with an application of each of these accounts, at `status`.
private func postingWithApplications(_ store: Store, _ applicants: [UUID], status: String = "invited") async throws -> (UUID, [UUID]) {
    let cordaan = try #require(try await store.organisations.find(slug: "cordaan"))
    let posting = try await store.postings.create(
        PostingDetails(kind: .vacancy, title: "Ambulant hulpverlener Noord", functionCode: "ambulant-hulpverlener",
                       municipality: .amsterdam, areaSlug: "noord", description: "Gesprekken in december."),
        organisation: cordaan.id, by: nil).id
    _ = try await store.postings.setStatus(posting, organisation: cordaan.id, to: .published, by: nil)
    var applications: [UUID] = []
    for applicant in applicants {
        applications.append(try #require(try await store.pool.query(
            """
            INSERT INTO application (posting_id, applicant_id, motivation, status)
            VALUES (\(posting), \(applicant), 'Ik wil graag kennismaken.', \(status)) RETURNING id
            """).first(decoding: UUID.self)))
    }
    return (posting, applications)
}

private func hrCordaan(_ store: Store) async throws -> UUID {
    try #require(try await store.accounts.find(email: "hr@cordaan.doorstroom.test")).id
}

@Suite("Interviews and rejections")
struct InterviewTests {
    /// Fifty invited candidates try to book the same time at once: one gets it, the
    /// others hear that someone was first, and the database holds one booking.
    @Test func fiftyConcurrentBookingsOfOneTimeGiveOne() async throws {
        try await TestApp.withDemo { browser, store in
            let window = TimeWindow(start: Date(), end: Date().addingTimeInterval(3600))
            let candidates = try await makePoolMembers(store, count: 50, window: window, prefix: "kandidaat")
            let (posting, applications) = try await postingWithApplications(store, candidates.map(\.id))
            let start = AmsterdamTime.date(AmsterdamTime.adding(5, to: Day(Date())), minutes: 10 * 60)
            let cordaan = try #require(try await store.organisations.find(slug: "cordaan")).id
            let slot = try #require(try await store.interviews.addSlot(
                posting: posting, organisation: cordaan, during: TimeWindow(start: start, end: start.addingTimeInterval(3600)),
                place: "Buikslotermeerplein 3", by: try await hrCordaan(store)))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for (candidate, application) in zip(candidates, applications) {
                    group.addTask {
                        let client = Browser(browser.client)
                        client.setCookie("doorstroom_session", candidate.sessionToken)
                        return Int(try await client.post("/mijn/sollicitaties/\(application.lowercased)/gesprek", [("tijd", slot.lowercased)],
                                                         csrf: candidate.csrf).status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 303 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 49)
            #expect(try await store.pool.query(
                "SELECT count(*) FROM interview_booking WHERE slot_id = \(slot) AND status = 'booked'").first(decoding: Int.self) == 1)
        }
    }

    /// HR puts times on the posting; the invited candidate books one, gets the calendar
    /// invitation (in the mail and as a download), moves to another time (the first is
    /// free again), cannot change within 24 hours, and is reminded the day before.
    @Test func aCandidateBooksMovesAndIsReminded() async throws {
        try await TestApp.withDemo { browser, store in
            let candidate = try await makePoolMembers(store, count: 1, window: TimeWindow(start: Date(), end: Date().addingTimeInterval(3600)),
                                                      prefix: "gesprek")[0]
            let (_, applications) = try await postingWithApplications(store, [candidate.id], status: "in_review")
            let application = applications[0]
            let day = AmsterdamTime.adding(6, to: Day(Date()))
            try await browser.login("hr@cordaan.doorstroom.test")
            _ = try await browser.get("/beheer/sollicitaties/\(application.lowercased)")
            let tooSoon = try await browser.post("/beheer/sollicitaties/\(application.lowercased)/gesprekstijden", [
                ("slot_day", Day(Date()).iso), ("slot_start", "23:00"), ("slot_end", "23:30"), ("slot_place", "Kantoor Noord"),
            ])
            #expect(tooSoon.status == .unprocessableContent && tooSoon.body.contains("minstens 24 uur vooruit"))
            for (from, until) in [("10:00", "11:00"), ("14:00", "15:00")] {
                let added = try await browser.post("/beheer/sollicitaties/\(application.lowercased)/gesprekstijden", [
                    ("slot_day", day.iso), ("slot_start", from), ("slot_end", until), ("slot_place", "Kantoor Noord, Buikslotermeerplein 3"),
                ])
                #expect(added.status == .seeOther)
            }
            let invited = try await browser.post("/beheer/sollicitaties/\(application.lowercased)/status", [("status", "invited")])
            #expect(invited.status == .seeOther)

            let client = Browser(browser.client)
            client.setCookie("doorstroom_session", candidate.sessionToken)
            let mine = try await client.get("/mijn/sollicitaties")
            #expect(mine.body.contains("Kies een tijd voor het gesprek"))
            let slots = try await store.interviews.openSlots(application: application, applicant: candidate.id, now: Date())
            try #require(slots.count == 2)
            #expect(try await client.post("/mijn/sollicitaties/\(application.lowercased)/gesprek", [("tijd", slots[0].id.lowercased)],
                                          csrf: candidate.csrf).status == .seeOther)
            let mail = try #require(try await store.pool.query(
                """
                SELECT subject, attachment_name, attachment FROM notification WHERE account_id = \(candidate.id) AND kind = 'interview'
                ORDER BY created_at DESC LIMIT 1
                """).first(decoding: (String, String?, String?).self))
            #expect(mail.0.hasPrefix("Gesprek voor"))
            #expect(mail.1 == "gesprek.ics")
            let invitation = try #require(mail.2)
            #expect(invitation.contains("BEGIN:VEVENT\r\n") && invitation.contains("DTSTART:\(ICalendarText.stamp(slots[0].during.start))\r\n"))
            #expect(invitation.contains("LOCATION:Kantoor Noord\\, Buikslotermeerplein 3"))
            let ics = try await client.get("/mijn/sollicitaties/\(application.lowercased)/gesprek.ics")
            #expect(ics.status == .ok && ics.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(ics.body.contains("UID:gesprek-\(application.lowercased)@doorstroom"))
            // The HR adviser is told, without the name.
            let told = try await store.pool.query(
                "SELECT body FROM notification WHERE account_id = \(try await hrCordaan(store)) AND kind = 'interview' ORDER BY created_at DESC LIMIT 1"
            ).first(decoding: String.self)
            #expect(told?.contains("Een kandidaat heeft de tijd") == true && told?.contains(candidate.name) == false)

            // Another time: the first is free again.
            #expect(try await client.post("/mijn/sollicitaties/\(application.lowercased)/gesprek", [("tijd", slots[1].id.lowercased)],
                                          csrf: candidate.csrf).status == .seeOther)
            let open = try await store.interviews.openSlots(application: application, applicant: candidate.id, now: Date())
            #expect(open.map(\.id) == [slots[0].id])
            #expect(try await store.interviews.booking(application: application, applicant: candidate.id)?.id == slots[1].id)

            // Within 24 hours it no longer changes.
            let late = slots[1].during.start.addingTimeInterval(-20 * 3600)
            await #expect(throws: InterviewStore.BookFailure.tooLate) {
                _ = try await store.interviews.cancel(application: application, applicant: candidate.id, now: late)
            }
            // The reminder, once, the day before.
            for _ in 0..<2 { _ = try await store.reminders.sendDue(now: late) }
            #expect(try await store.pool.query(
                "SELECT count(*) FROM notification WHERE account_id = \(candidate.id) AND kind = 'reminder' AND subject LIKE 'Morgen: gesprek%'"
            ).first(decoding: Int.self) == 1)
            // Cancelled in time: the time is free, the calendar gets a cancellation.
            #expect(try await client.post("/mijn/sollicitaties/\(application.lowercased)/gesprek/annuleren", [], csrf: candidate.csrf).status == .seeOther)
            #expect(try await store.interviews.openSlots(application: application, applicant: candidate.id, now: Date()).count == 2)
            let cancellation = try await store.pool.query(
                "SELECT attachment FROM notification WHERE account_id = \(candidate.id) AND kind = 'interview' ORDER BY created_at DESC LIMIT 1"
            ).first(decoding: String?.self)
            #expect(cancellation??.contains("METHOD:CANCEL") == true)
        }
    }

    /// HR takes a time off again: the candidate who had booked it is told (the calendar
    /// gets the cancellation) and can choose another; another organisation's adviser
    /// cannot touch it.
    @Test func anAdviserTakesATimeOffAndTheCandidateIsTold() async throws {
        try await TestApp.withDemo { browser, store in
            let candidate = try await makePoolMembers(store, count: 1, window: TimeWindow(start: Date(), end: Date().addingTimeInterval(3600)),
                                                      prefix: "geschrapt")[0]
            let (posting, applications) = try await postingWithApplications(store, [candidate.id])
            let cordaan = try #require(try await store.organisations.find(slug: "cordaan")).id
            let start = AmsterdamTime.date(AmsterdamTime.adding(4, to: Day(Date())), minutes: 9 * 60)
            var slots: [UUID] = []
            for hour in [0.0, 2.0] {
                slots.append(try #require(try await store.interviews.addSlot(
                    posting: posting, organisation: cordaan, during: TimeWindow(start: start.addingTimeInterval(hour * 3600), end: start.addingTimeInterval((hour + 1) * 3600)),
                    place: "Kantoor", by: try await hrCordaan(store))))
            }
            try await store.interviews.book(slots[0], application: applications[0], applicant: candidate.id)
            let altra = Browser(browser.client)
            try await altra.login("hr@altra.doorstroom.test")
            _ = try await altra.get("/beheer/vog")
            #expect(try await altra.post("/beheer/sollicitaties/\(applications[0].lowercased)/gesprekstijden/\(slots[0].lowercased)/schrappen", [])
                .status == .notFound)
            try await browser.login("hr@cordaan.doorstroom.test")
            let page = try await browser.get("/beheer/sollicitaties/\(applications[0].lowercased)")
            #expect(page.body.contains("/gesprekstijden/\(slots[0].lowercased)/schrappen"))
            #expect(try await browser.post("/beheer/sollicitaties/\(applications[0].lowercased)/gesprekstijden/\(slots[0].lowercased)/schrappen", [])
                .status == .seeOther)
            #expect(try await store.interviews.booking(application: applications[0], applicant: candidate.id) == nil)
            let told = try await store.pool.query(
                "SELECT subject, attachment FROM notification WHERE account_id = \(candidate.id) AND kind = 'interview' ORDER BY created_at DESC LIMIT 1"
            ).first(decoding: (String, String?).self)
            #expect(told?.0.hasPrefix("Gesprekstijd vervallen") == true && told?.1?.contains("METHOD:CANCEL") == true)
            #expect(try await store.interviews.openSlots(application: applications[0], applicant: candidate.id, now: Date()).map(\.id) == [slots[1]])
        }
    }

    /// The mail of a booking carries the calendar file as a second MIME part.
    @Test func theInvitationTravelsAsATextCalendarPart() {
        let calendar = ICalendarText.event(uid: "x@doorstroom", start: Date(timeIntervalSince1970: 1_800_000_000),
                                           end: Date(timeIntervalSince1970: 1_800_003_600), summary: "Gesprek", location: "Noord",
                                           description: "", now: Date(timeIntervalSince1970: 1_799_000_000))
        let message = MailMessage(to: "a@example.org", toName: "A", subject: "Gesprek", text: "tekst", messageID: "m1@doorstroom",
                                  calendar: CalendarFile(name: "gesprek.ics", text: calendar))
        let rendered = message.rendered(from: "noreply@doorstroom.example", date: Date())
        #expect(rendered.contains("Content-Type: multipart/mixed; boundary=\"doorstroom-m1doorstroom\"\r\n"))
        #expect(rendered.contains("Content-Type: text/calendar; charset=UTF-8; method=PUBLISH; name=\"gesprek.ics\"\r\n"))
        #expect(rendered.contains("Content-Disposition: attachment; filename=\"gesprek.ics\"\r\n"))
        #expect(rendered.hasSuffix("--doorstroom-m1doorstroom--\r\n"))
        let encoded = Data(calendar.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        #expect(rendered.contains(encoded))
    }

    /// A rejection needs a reason from the list and a message (which starts from the
    /// organisation's template); the candidate sees both, in the list and the mail.
    @Test func aRejectionCarriesAReasonAndTheOrganisationsMessage() async throws {
        try await TestApp.withDemo { browser, store in
            let candidate = try await makePoolMembers(store, count: 1, window: TimeWindow(start: Date(), end: Date().addingTimeInterval(3600)),
                                                      prefix: "afgewezen")[0]
            let (_, applications) = try await postingWithApplications(store, [candidate.id], status: "in_review")
            let application = applications[0]
            try await browser.login("hr@cordaan.doorstroom.test")
            _ = try await browser.get("/beheer/afwijzingsbericht")
            let template = "Dank je wel voor je belangstelling voor Cordaan. We gaan niet met je verder; we bewaren je gegevens niet."
            #expect(try await browser.post("/beheer/afwijzingsbericht", [("organisation", "cordaan"), ("body", template)]).status == .seeOther)
            let detail = try await browser.get("/beheer/sollicitaties/\(application.lowercased)")
            #expect(detail.body.contains(template))

            let noReason = try await browser.post("/beheer/sollicitaties/\(application.lowercased)/status", [
                ("status", "rejected"), ("rejection_reason", ""), ("rejection_message", template),
            ])
            #expect(noReason.status == .unprocessableContent && noReason.body.contains("Kies bij afwijzen een reden"))
            #expect(try await store.pool.query("SELECT status FROM application WHERE id = \(application)").first(decoding: String.self) == "in_review")

            let message = template + " Je ervaring in de crisisopvang viel ons op."
            #expect(try await browser.post("/beheer/sollicitaties/\(application.lowercased)/status", [
                ("status", "rejected"), ("rejection_reason", "experience"), ("rejection_message", message),
            ]).status == .seeOther)
            let client = Browser(browser.client)
            client.setCookie("doorstroom_session", candidate.sessionToken)
            let mine = try await client.get("/mijn/sollicitaties")
            #expect(mine.body.contains(RejectionReason.experience.label))
            #expect(mine.body.contains("Je ervaring in de crisisopvang viel ons op."))
            let mail = try await store.pool.query(
                "SELECT body FROM notification WHERE account_id = \(candidate.id) AND kind = 'application_status' ORDER BY created_at DESC LIMIT 1"
            ).first(decoding: String.self)
            #expect(mail?.contains("Reden: \(RejectionReason.experience.label)") == true && mail?.contains("crisisopvang") == true)
        }
    }
}
