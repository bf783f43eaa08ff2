import Domain
import Foundation

extension DemoData {
    /// A realistic set of career steps in the youth domain, with the academy topics the
    /// demo catalogue offers courses on.
    func loadCareerPaths() async throws {
        let steps: [CareerStep] = [
            CareerStep(fromFunction: "pedagogisch-medewerker", toFunction: "jeugdzorgwerker",
                       education: "hbo Social Work of Pedagogiek (ook in deeltijd naast het werk)", registration: .skj, experienceYears: 2,
                       topics: ["veiligheid en crisis", "LVB"],
                       note: "Veel organisaties betalen de deeltijdopleiding mee; vraag naar de regeling van je werkgever."),
            CareerStep(fromFunction: "jeugdzorgwerker", toFunction: "jeugdhulpverlener",
                       education: "hbo Social Work, Pedagogiek of Toegepaste Psychologie", registration: .skj, experienceYears: 2,
                       topics: ["Verklarende Analyse", "gespreksvoering"]),
            CareerStep(fromFunction: "jeugdzorgwerker", toFunction: "gedragswetenschapper",
                       education: "wo master Orthopedagogiek of (Ontwikkelings)psychologie", registration: .skj, experienceYears: 3,
                       topics: ["diagnostiek", "methodisch werken"]),
            CareerStep(fromFunction: "jeugdhulpverlener", toFunction: "jeugdbeschermer",
                       education: "hbo, met de post-hbo-opleiding Jeugdbescherming", registration: .skj, experienceYears: 2,
                       topics: ["Signs of Safety", "meldcode"],
                       note: "Een meeloopdag bij de Jeugdbescherming Regio Amsterdam laat zien wat het werk vraagt."),
            CareerStep(fromFunction: "jeugdhulpverlener", toFunction: "gezinscoach",
                       education: "hbo Social Work of Pedagogiek", registration: .skj, experienceYears: 2,
                       topics: ["gezinsbehandeling", "scheiden zonder schade"]),
            CareerStep(fromFunction: "jeugdhulpverlener", toFunction: "gedragswetenschapper",
                       education: "wo master Orthopedagogiek of Psychologie", registration: .skj, experienceYears: 3,
                       topics: ["diagnostiek", "Verklarende Analyse"]),
            CareerStep(fromFunction: "gedragswetenschapper", toFunction: "gz-psycholoog",
                       education: "postmaster GZ-psycholoog (opleidingsplaats)", registration: .big, experienceYears: 2,
                       topics: ["diagnostiek", "trauma"]),
            CareerStep(fromFunction: "jeugdhulpverlener", toFunction: "teamleider",
                       education: "hbo, met een leiderschapsopleiding", experienceYears: 5,
                       topics: ["intervisie"]),
            CareerStep(fromFunction: "ambulant-hulpverlener", toFunction: "gezinscoach",
                       education: "hbo Social Work of Pedagogiek", registration: .skj, experienceYears: 1,
                       topics: ["MST", "motivatie"]),
        ]
        for step in steps {
            try await store.careerPaths.save(step, by: nil)
        }
    }
}
