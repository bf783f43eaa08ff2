import Domain
import Foundation
import PQ

extension DemoData {
    /// (kind, title, function, discipline, level, hours, scale, description)
    static let postingTemplates: [(Posting.Kind, String, String?, Discipline?, EducationLevel?, ClosedRange<Int>?, Int?, String)] = [
        (.vacancy, "Jeugdhulpverlener ambulant", "jeugdhulpverlener", .jeugdhulp, .hbo, 24...32, 9,
         "Als ambulant jeugdhulpverlener begeleid je gezinnen thuis, in de wijk. Je werkt met de methodiek Signs of Safety en stemt af met het lokale team.\n\nWat vragen we:\n- een afgeronde hbo-opleiding (SPH, MWD of Pedagogiek)\n- een SKJ-registratie\n- rust en overzicht in complexe gezinssituaties"),
        (.vacancy, "Gedragswetenschapper jeugd-GGZ", "gedragswetenschapper", .ggz, .wo, 28...36, 11,
         "Je stelt diagnoses, stelt behandelplannen op en coacht de pedagogisch medewerkers van de groep. Je werkt nauw samen met de GZ-psycholoog en de psychiater.\n\nWij zoeken een orthopedagoog of psycholoog met ervaring in de jeugd-GGZ."),
        (.vacancy, "Pedagogisch medewerker leefgroep", "pedagogisch-medewerker", .jeugdhulp, .mbo, 24...36, 7,
         "Op de leefgroep bied je jongeren van 12 tot 18 jaar structuur en een veilige plek. Je werkt in onregelmatige diensten, ook in het weekend.\n\nJe hebt een mbo-4 diploma (SPW of PW) en je bent stevig en betrokken."),
        (.vacancy, "Jeugdbeschermer", "jeugdbeschermer", .jeugdbescherming, .hbo, 32...36, 10,
         "Als jeugdbeschermer voer je ondertoezichtstellingen en voogdij uit. Je zoekt samen met ouders en netwerk naar veiligheid voor het kind en werkt met de Verklarende Analyse."),
        (.vacancy, "Orthopedagoog LVB", "orthopedagoog", .lvb, .wo, 24...32, 11,
         "Voor onze LVB-teams zoeken we een orthopedagoog die diagnostiek doet, teams begeleidt en meedenkt over de behandeling van jongeren met een licht verstandelijke beperking."),
        (.vacancy, "Gezinscoach lokaal team", "gezinscoach", .jeugdhulp, .hbo, 28...36, 9,
         "In het Ouder- en Kindteam ben je het eerste aanspreekpunt voor ouders en jongeren. Je coördineert de zorg volgens 1 gezin 1 plan en schakelt specialistische hulp in waar nodig."),
        (.vacancy, "Jeugdzorgwerker gezinshuis", "jeugdzorgwerker", .jeugdhulp, .hbo, 20...28, 8,
         "Je ondersteunt gezinshuisouders en pleegouders bij de opvoeding van de kinderen die bij hen wonen. Werken met pleeg- en gezinshuisouders is je vak."),
        (.vacancy, "GZ-psycholoog", "gz-psycholoog", .ggz, .wo, 24...36, 12,
         "Als GZ-psycholoog ben je regiebehandelaar voor jongeren met complexe psychische problematiek. Je bent BIG-geregistreerd en ervaren in traumabehandeling."),
        (.internship, "Stage pedagogisch medewerker (mbo)", "pedagogisch-medewerker", .jeugdhulp, .mbo, 24...32, nil,
         "Een leerwerkplek op een van onze groepen, met een vaste werkbegeleider. Je leert werken met jongeren en hun ouders, en je draait mee in het team."),
        (.internship, "Afstudeerstage SPH ambulante hulp", "jeugdhulpverlener", .jeugdhulp, .hbo, 28...32, nil,
         "Je loopt mee met ambulant hulpverleners, neemt zelf een kleine caseload op en doet een afstudeeronderzoek naar de inzet van Eigen Kracht-conferenties."),
        (.internship, "Masterstage orthopedagogiek", "orthopedagoog", .lvb, .wo, 24...32, nil,
         "Stage voor de master orthopedagogiek: diagnostiek en behandeling onder supervisie van een GZ-psycholoog."),
        (.traineeship, "Traineeship jeugdbescherming", "jeugdbeschermer", .jeugdbescherming, .hbo, 36...36, 9,
         "Een jaar lang leer je het vak van jeugdbeschermer met een eigen opleidingsprogramma, intervisie en een vaste mentor. Daarna ga je door als jeugdbeschermer."),
        (.traineeship, "Traineeship jeugd-GGZ", "gedragswetenschapper", .ggz, .wo, 32...36, 10,
         "Voor startende psychologen en orthopedagogen: twee jaar werken en leren in de jeugd-GGZ, met de opleiding tot GZ-psycholoog in zicht."),
        (.shadowDay, "Meeloopdag crisisdienst", "jeugdhulpverlener", .jeugdhulp, nil, nil, nil,
         "Kijk een dag mee in andermans keuken: ervaar hoe de crisisdienst werkt, van triage tot het eerste huisbezoek. Veiligheid en crisis staan centraal."),
        (.shadowDay, "Meeloopdag leefgroep LVB", "pedagogisch-medewerker", .lvb, nil, nil, nil,
         "Loop een dag mee op een leefgroep voor jongeren met een licht verstandelijke beperking en zie hoe onze LVB-expertise er in de praktijk uitziet."),
        (.shadowDay, "Meeloopdag jeugdbescherming", "jeugdbeschermer", .jeugdbescherming, nil, nil, nil,
         "Een dag mee met een jeugdbeschermer: van de ochtendoverdracht tot een zitting bij de kinderrechter."),
    ]

    /// About 80 postings spread over the active members and all kinds: most open,
    /// some internal for now, some closed or past their closing date, some drafts;
    /// with applications in several states and this year's internship agreements.
    /// A postal code in each municipality, for the demo's addresses.
    static let postalCodes: [Municipality: String] = [
        .amsterdam: "1017 AB", .amstelveen: "1181 CD", .aalsmeer: "1431 EF", .diemen: "1111 GH", .ouderAmstel: "1191 JK", .uithoorn: "1421 LM",
    ]

    func loadPostings(organisations: [String: UUID], professionals: [UUID], today: Day, on tx: Transaction) async throws {
        let active = Self.organisations.filter(\.4).map(\.0)
        let areas = Area.all
        var postingIDs: [(UUID, Posting.Kind, Int?)] = []
        let calendar = Calendar(identifier: .gregorian)
        func shifted(_ days: Int) -> Day {
            var components = DateComponents()
            components.year = today.year
            components.month = today.month
            components.day = today.day + days
            let date = calendar.date(from: components)!
            let parts = calendar.dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
            return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
        }
        for index in 0..<80 {
            let template = Self.postingTemplates[index % Self.postingTemplates.count]
            let slug = active[(index * 3) % active.count]
            let area = areas[(index * 7) % areas.count]
            let status: Posting.Status = index % 17 == 5 ? .draft : index % 13 == 7 ? .closed : index % 19 == 11 ? .filled : .published
            let closing = index % 23 == 3 ? shifted(-3) : shifted(14 + index % 40)
            let places: Int? = template.0 == .shadowDay ? 3 + index % 4 : template.0 == .internship ? 1 + index % 3 : nil
            let details = PostingDetails(
                kind: template.0, title: template.1 + (index >= Self.postingTemplates.count ? " · \(area.name)" : ""),
                functionCode: template.2, discipline: template.3, educationLevel: template.4,
                hoursMin: template.5?.lowerBound, hoursMax: template.5?.upperBound, salaryScale: template.6,
                municipality: area.municipality, areaSlug: area.slug,
                startDate: template.0 == .shadowDay ? shifted(21 + index % 30) : shifted(45 + index % 60),
                closingDate: closing, places: places, description: template.7,
                contact: "Reageren of vragen: werving@\(slug).doorstroom.test",
                duoSuitable: template.0 == .vacancy && index % 5 == 0,
                internalUntil: template.0 == .vacancy && index % 6 == 1 ? shifted(7) : nil,
                // Every other posting names its street (demo streets) and postal code.
                streetAddress: index % 2 == 0 ? "Voorbeeldstraat \(index + 1)" : nil,
                postalCode: index % 2 == 0 ? Self.postalCodes[area.municipality] : nil)
            let id = try await tx.query(
                """
                INSERT INTO posting (organisation_id, status, published_at, \(PostingStore.detailColumns))
                VALUES (\(organisations[slug]!), \(status),
                        CASE WHEN \(status) = 'draft' THEN NULL ELSE now() - make_interval(days => \(Int32(index % 30)), hours => \(Int32(index))) END,
                        \(PostingStore.detailValues(details)))
                RETURNING id
                """
            ).first(decoding: UUID.self)!
            if status == .published { postingIDs.append((id, template.0, places)) }
        }
        // Applications in every state from the generated professionals.
        let states: [ApplicationStatus] = [.submitted, .submitted, .inReview, .invited, .rejected, .withdrawn]
        for (index, applicant) in professionals.prefix(60).enumerated() {
            let (posting, kind, _) = postingIDs[(index * 5) % postingIDs.count]
            let state = kind == .internship ? ApplicationStatus.submitted : states[index % states.count]
            // Only where a place is left: the database would refuse the rest.
            _ = try await tx.query(
                """
                INSERT INTO application (posting_id, applicant_id, motivation, status)
                SELECT p.id, \(applicant), \("Ik wil graag bij jullie aan de slag: de functie past bij mijn ervaring en ik wil me verder ontwikkelen."), \(state)
                FROM posting p WHERE p.id = \(posting) AND (p.places IS NULL OR p.places_taken < p.places)
                ON CONFLICT DO NOTHING
                """
            )
        }
        for (slug, agreed) in [("altra", (4, 6, 2)), ("cordaan", (8, 5, 1)), ("spirit", (5, 7, 3)), ("de-bascule", (2, 4, 6))] {
            for (level, places) in [(EducationLevel.mbo, agreed.0), (.hbo, agreed.1), (.wo, agreed.2)] {
                _ = try await tx.query(
                    """
                    INSERT INTO internship_agreement (organisation_id, year, education_level, places_agreed)
                    VALUES (\(organisations[slug]!), \(today.year), \(level), \(places))
                    """
                )
            }
        }
    }
}
