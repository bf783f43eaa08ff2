import Domain
import Foundation
import Testing

@Suite("Career steps")
struct CareerStepTests {
    static let functions: Set<String> = ["jeugdhulpverlener", "jeugdbeschermer", "gedragswetenschapper"]
    static let topics: Set<String> = ["Signs of Safety", "meldcode", "diagnostiek"]

    @Test func aGoodStepIsParsedWithItsTopicsOnce() throws {
        let step = try CareerStep.parse(
            from: "jeugdhulpverlener", to: "jeugdbeschermer", education: "  hbo, post-hbo Jeugdbescherming ", registration: "SKJ",
            experience: "2", topics: ["meldcode", "Signs of Safety", "meldcode"], note: "", knownFunctions: Self.functions, knownTopics: Self.topics)
        #expect(step.education == "hbo, post-hbo Jeugdbescherming" && step.registration == .skj && step.experienceYears == 2)
        #expect(step.topics == ["Signs of Safety", "meldcode"])
    }

    @Test func everyProblemGetsItsOwnMessage() {
        let error = #expect(throws: ValidationErrors.self) {
            try CareerStep.parse(
                from: "jeugdhulpverlener", to: "jeugdhulpverlener", education: String(repeating: "x", count: 301), registration: "NIP",
                experience: "veel", topics: ["astrologie"], note: "", knownFunctions: Self.functions, knownTopics: Self.topics)
        }
        #expect(error?["to"] == "Een stap gaat naar een andere functie.")
        #expect(error?["education"] != nil && error?["registration"] != nil && error?["experience"] != nil)
        #expect(error?["topics"] == "Deze onderwerpen kent de academie niet: astrologie.")
    }

    @Test func theRequirementsSayWhatIsMetAndWhatIsNot() {
        let step = CareerStep(fromFunction: "jeugdhulpverlener", toFunction: "gedragswetenschapper", education: "wo master Orthopedagogiek",
                              registration: .skj, experienceYears: 3, topics: ["diagnostiek", "Signs of Safety"])
        let standing = CareerStanding(educationLevel: .hbo, registrations: [.skj], experienceYears: 3.5, completedTopics: ["Signs of Safety"])
        let requirements = standing.requirements(of: step, targetLevel: .wo)
        #expect(requirements.map(\.text) == [
            "Opleiding op WO-niveau: wo master Orthopedagogiek", "Geldige SKJ-registratie", "3 jaar werkervaring in de jeugdhulp",
            "Cursus van de academie over diagnostiek", "Cursus van de academie over Signs of Safety",
        ])
        #expect(requirements.map(\.met) == [false, true, true, false, true])
        // A higher education level counts for a lower one; too little experience does not.
        let other = CareerStanding(educationLevel: .wo, registrations: [], experienceYears: 2.9, completedTopics: [])
        #expect(other.requirements(of: step, targetLevel: .hbo).map(\.met) == [true, false, false, false, false])
    }

    @Test func caoScalesAreANumberOrARisingRange() {
        #expect(CAOScale.isValid("8") && CAOScale.isValid("10-11") && CAOScale.isValid("6-7"))
        #expect(!CAOScale.isValid("") && !CAOScale.isValid("11-10") && !CAOScale.isValid("8-") && !CAOScale.isValid("schaal 8") && !CAOScale.isValid("123"))
    }
}
