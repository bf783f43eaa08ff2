import Domain
import Foundation
import HTTPTypes
import Hummingbird
import PQ
import Store
import TestSupport
import Testing

@Suite("Career paths")
struct CareerPathTests {
    @Test func theProfessionalSeesTheStepsFromTheirFunctionWithPostingsAndCourses() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("professional@doorstroom.test")
            let page = try await browser.get("/mijn/loopbaan")
            #expect(page.status == .ok)
            // Priya is a jeugdhulpverlener (hbo, SKJ, six years of work): the demo's steps from there.
            #expect(page.body.contains("Vanaf Jeugdhulpverlener"))
            for next in ["Jeugdbeschermer", "Gezinscoach", "Gedragswetenschapper", "Teamleider"] {
                #expect(page.body.contains("<h3>Naar \(next)"), "step to \(next)")
            }
            #expect(!page.body.contains("Naar Jeugdzorgwerker"))
            #expect(page.body.contains("<li class=\"met\"><span class=\"visually-hidden\">Heb je:</span> Geldige SKJ-registratie</li>"))
            #expect(page.body.contains("<li class=\"open\"><span class=\"visually-hidden\">Nog niet:</span> Opleiding op WO-niveau"))
            // The open postings for the next function, as the vacancy bank counts them.
            var filter = PostingFilter()
            filter.functionCode = "jeugdbeschermer"
            let open = try await store.postings.search(filter, viewer: PostingViewer(seesInternal: true)).total
            #expect(open > 0 && page.body.contains("\(open) open · <a href=\"/vacatures?functie=jeugdbeschermer\">"))
            // Upcoming offerings of courses on the step's topics.
            let offerings = try await store.careerPaths.offerings(onTopics: ["Signs of Safety", "meldcode"], today: Day(Date()))
            #expect(!offerings.isEmpty && page.body.contains("href=\"/academie/\(offerings[0].courseID.lowercased)\""))
        }
    }

    @Test func anAdminKeepsTheStepsAndBadInputChangesNothing() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("admin@doorstroom.test")
            #expect(try await browser.get("/beheer/loopbaanpaden").body.contains("Jeugdhulpverlener"))
            let before = try await store.careerPaths.steps().count

            let bad = try await browser.post("/beheer/loopbaanpaden/stap", [
                ("from", "pedagogisch-medewerker"), ("to", "pedagogisch-medewerker"), ("experience", "99"), ("topics", "astrologie"),
            ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("Een stap gaat naar een andere functie.") && bad.body.contains("Vul een aantal jaren ervaring in van 0 tot 20."))
            let duplicate = try await browser.post("/beheer/loopbaanpaden/stap", [("from", "jeugdhulpverlener"), ("to", "jeugdbeschermer"), ("experience", "1")])
            #expect(duplicate.status == .unprocessableContent && duplicate.body.contains("Er is al een stap van deze functie naar die functie."))
            #expect(try await store.careerPaths.steps().count == before)

            let added = try await browser.post("/beheer/loopbaanpaden/stap", [
                ("from", "pedagogisch-medewerker"), ("to", "gezinscoach"), ("education", "hbo Social Work"), ("registration", "SKJ"),
                ("experience", "3"), ("topics", "ouderschap"), ("note", "Via de deeltijdopleiding."),
            ])
            #expect(added.status == .seeOther)
            let step = try #require(try await store.careerPaths.steps(from: ["pedagogisch-medewerker"]).first { $0.toFunction == "gezinscoach" })
            #expect(step.topics == ["ouderschap"] && step.experienceYears == 3 && step.registration == .skj)

            // Edit, then remove.
            _ = try await browser.get("/beheer/loopbaanpaden/stap/\(step.id.lowercased)")
            let edited = try await browser.post("/beheer/loopbaanpaden/stap/\(step.id.lowercased)", [
                ("from", "pedagogisch-medewerker"), ("to", "gezinscoach"), ("experience", "4"), ("topics", "ouderschap"), ("topics", "LVB"),
            ])
            #expect(edited.status == .seeOther)
            #expect(try await store.careerPaths.step(step.id)?.topics == ["LVB", "ouderschap"])
            _ = try await browser.get("/beheer/loopbaanpaden")
            #expect(try await browser.post("/beheer/loopbaanpaden/stap/\(step.id.lowercased)/verwijderen", []).status == .seeOther)
            #expect(try await store.careerPaths.step(step.id) == nil)

            // A function's scale.
            _ = try await browser.get("/beheer/loopbaanpaden")
            let wrongScale = try await browser.post("/beheer/loopbaanpaden/functies/teamleider", [("education_level", "hbo"), ("cao_scale", "tien")])
            #expect(wrongScale.status == .unprocessableContent && wrongScale.body.contains("Schrijf de schaal als 8 of 10-11."))
            #expect(try await browser.post("/beheer/loopbaanpaden/functies/teamleider", [("education_level", "hbo"), ("cao_scale", "10-11")]).status == .seeOther)
            #expect(try await store.professionals.functions().first { $0.code == "teamleider" }?.caoScale == "10-11")
        }
    }
}
