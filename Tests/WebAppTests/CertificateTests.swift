import Domain
import Foundation
import HTTPTypes
import PQ
import Store
import Testing

@Suite("Certificates and evaluations")
struct CertificateTests {
    /// A completion gives a certificate: its holder downloads it as a PDF with the code,
    /// anyone checks the code (and sees only the name, course, date and points), a
    /// forged code does not verify, and taking the completion back revokes it.
    @Test func aCompletionGivesACertificateWhoseCodeVerifiesAndAForgedOneDoesNot() async throws {
        try await TestApp.withDemo { browser, store in
            let (_, offering) = try await makeCourse(store, code: "CERT-1", places: 5, points: 8)
            try await browser.login("professional@doorstroom.test")
            _ = try await browser.get("/academie")
            #expect(try await browser.post("/academie/uitvoering/\(offering.lowercased)/inschrijven", []).status == .seeOther)
            let enrolment = try #require(try await store.pool.query("SELECT id FROM enrolment WHERE offering_id = \(offering)").first(decoding: UUID.self))
            #expect(try await browser.get("/mijn/ontwikkeling/inschrijving/\(enrolment.lowercased)/certificaat.pdf").status == .notFound,
                    "no certificate before completion")
            let cordaan = Browser(browser.client)
            try await cordaan.login("hr@cordaan.doorstroom.test")
            _ = try await cordaan.get("/beheer/cursussen/uitvoering/\(offering.lowercased)")
            #expect(try await cordaan.post("/beheer/cursussen/uitvoering/\(offering.lowercased)/inschrijving/\(enrolment.lowercased)",
                                           [("outcome", "completed")]).status == .seeOther)

            let development = try await browser.get("/mijn/ontwikkeling")
            #expect(development.body.contains("Certificaat (pdf)"))
            let code = try #require(try await store.pool.query("SELECT code FROM certificate WHERE enrolment_id = \(enrolment)").first(decoding: String.self))
            #expect(Certificate.normalised(code) == code)
            let pdf = try await browser.get("/mijn/ontwikkeling/inschrijving/\(enrolment.lowercased)/certificaat.pdf")
            #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf")
            #expect(pdf.body.hasPrefix("%PDF-1.4") && pdf.body.hasSuffix("%%EOF\n"))
            #expect(pdf.body.contains("(Verificatiecode: \(code))") && pdf.body.contains("(Priya Ramdin)"))
            // The cross-reference table points at each object.
            #expect(Self.xrefHolds(pdf.bytes), "every xref offset starts its object")

            // Anyone may check it; it shows nothing but name, course, date and points.
            let visitor = Browser(browser.client)
            let checked = try await visitor.get("/certificaat/\(code)")
            #expect(checked.status == .ok && checked.body.contains("Dit certificaat is echt"))
            #expect(checked.body.contains("Priya Ramdin") && checked.body.contains("Traumasensitief werken CERT-1") && checked.body.contains("8 punten"))
            #expect(!checked.body.contains("professional@doorstroom.test"))
            let typed = try await visitor.get("/certificaat?code=\(code.lowercased().replacingOccurrences(of: "-", with: "+"))")
            #expect(typed.status == .seeOther && typed.location == "/certificaat/\(code)")
            var forged = Array(code)
            forged[0] = forged[0] == "7" ? "8" : "7"
            #expect(try await visitor.get("/certificaat/\(String(forged))").status == .notFound)
            #expect(try await visitor.get("/certificaat/NIET-ECHT").status == .notFound)

            // Taken back (a no-show after all): the code no longer verifies.
            _ = try await cordaan.post("/beheer/cursussen/uitvoering/\(offering.lowercased)/inschrijving/\(enrolment.lowercased)", [("outcome", "no_show")])
            #expect(try await visitor.get("/certificaat/\(code)").status == .notFound)
            #expect(try await browser.get("/mijn/ontwikkeling/inschrijving/\(enrolment.lowercased)/certificaat.pdf").status == .notFound)
        }
    }

    /// Each `n n n n n` entry of the xref table is the byte offset of `k 0 obj`.
    static func xrefHolds(_ bytes: [UInt8]) -> Bool {
        let latin = bytes.map { Character(Unicode.Scalar($0)) }
        let text = String(latin)
        guard let xref = text.range(of: "\nxref\n") else { return false }
        let entries = text[xref.upperBound...].split(separator: "\n").dropFirst(2).prefix { $0.hasSuffix(" n ") || $0.hasSuffix(" n") }
        guard !entries.isEmpty else { return false }
        for (index, entry) in entries.enumerated() {
            guard let offset = Int(entry.prefix(10)), offset + 10 < latin.count else { return false }
            if !String(latin[offset..<offset + 8]).hasPrefix("\(index + 1) 0 obj") { return false }
        }
        return true
    }

    /// Evaluations: only who followed the course answers, once; the provider sees
    /// averages from three answers on and never who answered what (the answers are not
    /// stored with a person); the monitor shows the averages per topic.
    @Test func evaluationsStayAnonymousToTheProvider() async throws {
        try await TestApp.withDemo { browser, store in
            let (_, offering) = try await makeCourse(store, code: "EVAL-1", places: 10, points: 4)
            let window = TimeWindow(start: Date(), end: Date().addingTimeInterval(3600))
            let people = try await makePoolMembers(store, count: 3, window: window, prefix: "evaluatie")
            let hr = try #require(try await store.accounts.find(email: "hr@cordaan.doorstroom.test"))
            var enrolments: [UUID] = []
            for person in people {
                _ = try await store.academy.enrol(offering, account: person.id, today: Day(Date()))
                let enrolment = try #require(try await store.pool.query(
                    "SELECT id FROM enrolment WHERE offering_id = \(offering) AND account_id = \(person.id)").first(decoding: UUID.self))
                enrolments.append(enrolment)
            }
            // Not followed yet: no evaluation.
            await #expect(throws: AcademyStore.EvaluationFailure.notFollowed) {
                try await store.academy.evaluate(enrolments[0], by: people[0].id, answers: [.relevance: 5, .trainer: 5, .applicable: 5, .recommend: 5])
            }
            for enrolment in enrolments {
                #expect(try await store.academy.record(enrolment, outcome: .attended, by: hr.id, organisations: hr.organisations(as: .hrAdviser)))
            }
            let first = Browser(browser.client)
            first.setCookie("doorstroom_session", people[0].sessionToken)
            #expect(try await first.get("/mijn/ontwikkeling").body.contains("Evalueer deze cursus"))
            let form = try await first.get("/mijn/ontwikkeling/inschrijving/\(enrolments[0].lowercased)/evaluatie")
            #expect(form.status == .ok && form.body.contains(EvaluationQuestion.trainer.text))
            let incomplete = try await first.post("/mijn/ontwikkeling/inschrijving/\(enrolments[0].lowercased)/evaluatie",
                                                  [("relevance", "4")], csrf: people[0].csrf)
            #expect(incomplete.status == .unprocessableContent && incomplete.body.contains("Kies een antwoord van 1 tot en met 5."))
            let answered = try await first.post("/mijn/ontwikkeling/inschrijving/\(enrolments[0].lowercased)/evaluatie",
                                                [("relevance", "4"), ("trainer", "5"), ("applicable", "3"), ("recommend", "4")], csrf: people[0].csrf)
            #expect(answered.status == .seeOther)
            await #expect(throws: AcademyStore.EvaluationFailure.alreadyGiven) {
                try await store.academy.evaluate(enrolments[0], by: people[0].id, answers: [.relevance: 1, .trainer: 1, .applicable: 1, .recommend: 1])
            }
            #expect(try await first.get("/mijn/ontwikkeling/inschrijving/\(enrolments[0].lowercased)/evaluatie").status == .notFound)

            // One answer: the provider sees that there is one, not what it says.
            let provider = Browser(browser.client)
            try await provider.login("hr@cordaan.doorstroom.test")
            let early = try await provider.get("/beheer/cursussen/uitvoering/\(offering.lowercased)")
            #expect(early.body.contains("1 antwoorden: te weinig"))
            try await store.academy.evaluate(enrolments[1], by: people[1].id, answers: [.relevance: 2, .trainer: 3, .applicable: 5, .recommend: 4])
            try await store.academy.evaluate(enrolments[2], by: people[2].id, answers: [.relevance: 3, .trainer: 4, .applicable: 4, .recommend: 4])
            let page = try await provider.get("/beheer/cursussen/uitvoering/\(offering.lowercased)")
            #expect(page.body.contains("Gemiddelden (3 antwoorden)"))
            #expect(page.body.contains("<td data-label=\"Gemiddeld\">3,0</td>") && page.body.contains("<td data-label=\"Gemiddeld\">4,0</td>"))
            // Nothing ties an answer to a person: the answers' table has no person, no time.
            let columns = try await store.pool.query(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'course_evaluation' ORDER BY ordinal_position"
            ).decode(String.self)
            #expect(columns == ["id", "offering_id", "relevance", "trainer", "applicable", "recommend"])

            // The monitor: per topic, from three answers on.
            let period = MonitorPeriod(step: .month, first: MonitorPeriod.Month(Day(Date())), count: 3)
            let monitor = try #require(try await store.monitor.compute("academy-evaluations", period: period, scope: .region))
            let trauma = monitor.rows.first { $0.first?.dutch == "trauma" }
            #expect(trauma?[1].number == 3)
            #expect(trauma?[2].number == 3.0 && trauma?[5].number == 4.0)
        }
    }
}
