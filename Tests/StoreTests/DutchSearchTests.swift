import Domain
import Foundation
import PQ
@testable import Store
import TestSupport
import Testing

/// Search as a Dutch reader means it: compounds, plurals, stems, and a nearby search
/// offered when a search finds nothing. The relevance set is a small vacancy bank
/// with the youth domain's own words, and what each query must find and must not.
@Suite("Searching the vacancy bank in Dutch")
struct DutchSearchTests {
    /// Key → (title, description). Every posting is published and open.
    static let postings: [(key: String, title: String, description: String)] = [
        ("woonbegeleider", "Woonbegeleider beschermd wonen", "Als woonbegeleider ondersteun je jongvolwassenen op weg naar zelfstandig wonen."),
        ("gezinsbegeleider", "Gezinsbegeleider intensieve ambulante hulp", "Je begeleidt gezinnen thuis, samen met ouders en kinderen."),
        ("begeleiding", "Medewerker begeleiding dagbesteding", "Begeleiding van jongeren met een licht verstandelijke beperking op de dagbesteding."),
        ("gezinscoach", "Gezinscoach Ouder- en Kindteam", "Als gezinscoach ben je het eerste aanspreekpunt voor ouders in de wijk."),
        ("teamcoach", "Teamcoach jeugdhulp", "Je coacht drie teams bij hun ontwikkeling en bij lastige casuïstiek."),
        ("jeugdhulpverlener", "Jeugdhulpverlener ambulant", "Je werkt met de methodiek Signs of Safety en stemt af met het lokale team."),
        ("ambulant", "Ambulant hulpverlener LVB", "Hulp aan huis voor gezinnen met een licht verstandelijke beperking."),
        ("pm", "Pedagogisch medewerker leefgroep", "Structuur en een veilige plek voor jongeren van 12 tot 18. Onregelmatige diensten, ook in het weekend."),
        ("groepsleider", "Groepsleider gesloten jeugdzorg", "Je werkt in een gesloten setting met jongeren die intensieve behandeling krijgen."),
        ("jeugdzorgwerker", "Jeugdzorgwerker gezinshuis", "Je ondersteunt gezinshuisouders en pleegouders bij de opvoeding."),
        ("pleegzorg", "Pleegzorgwerker", "Je begeleidt pleeggezinnen en werft nieuwe pleegouders."),
        ("orthopedagoog", "Orthopedagoog LVB", "Diagnostiek en behandeling; je denkt mee over de behandeling van jongeren."),
        ("gz", "GZ-psycholoog jeugd-GGZ", "Je bent regiebehandelaar voor jongeren met complexe psychische problematiek."),
        ("jeugdbeschermer", "Jeugdbeschermer", "Je voert ondertoezichtstellingen en voogdij uit."),
        ("stage-sph", "Afstudeerstage SPH", "Als stagiair neem je een kleine caseload op en doe je een afstudeeronderzoek."),
        ("stage-mbo", "Stage pedagogisch medewerker (mbo)", "Een leerwerkplek op een van onze groepen, met een vaste werkbegeleider."),
        ("meeloop", "Meeloopdag crisisdienst", "Kijk een dag mee: van triage tot het eerste huisbezoek bij een crisisinterventie."),
        ("trainee", "Traineeship jeugdbescherming", "Een jaar lang leer je het vak met intervisie en een vaste mentor."),
        ("smw", "Schoolmaatschappelijk werker", "Je werkt op middelbare scholen met leerlingen, ouders en docenten."),
        ("jongerenwerker", "Jongerenwerker Nieuw-West", "Straatwerk en activiteiten in het jongerencentrum."),
        ("vaktherapeut", "Vaktherapeut beeldend", "Creatieve therapie voor kinderen met trauma."),
        ("psychiater", "Kinder- en jeugdpsychiater", "Je bent eindverantwoordelijk voor de medische behandeling op de polikliniek."),
        ("secretaresse", "Secretaresse polikliniek", "Je plant afspraken, notuleert overleggen en beheert de agenda's."),
        ("nachtdienst", "Slaapwacht en nachtdienstmedewerker", "Nachtdiensten op de woongroep, rustig en alert."),
        ("teamleider", "Teamleider woongroepen", "Leidinggeven aan drie teams en het budget bewaken."),
        ("ervaringsdeskundige", "Ervaringsdeskundige jeugdhulp", "Je zet je eigen ervaring in voor jongeren en hun ouders."),
        ("mw", "Maatschappelijk werker wijkteam", "Eerste hulp bij schulden, wonen en opvoeding in het wijkteam."),
        ("verpleegkundige", "Verpleegkundige kinder- en jeugdpsychiatrie", "Zorg en medicatie op de kliniek voor jongeren."),
        ("verzorgende", "Verzorgende IG", "Verzorging van kinderen met een meervoudige beperking."),
        ("administratie", "Medewerker dossiervorming", "Je zorgt dat de verwerking van dossiers op orde is."),
    ]

    /// Query → the keys it must find, and those it must not.
    static let relevance: [(query: String, finds: Set<String>, missing: Set<String>)] = [
        ("begeleider", ["woonbegeleider", "gezinsbegeleider", "stage-mbo"], ["teamcoach", "gezinscoach"]),
        ("begeleiders", ["woonbegeleider", "gezinsbegeleider"], ["teamcoach"]),
        ("woonbegeleider", ["woonbegeleider"], ["gezinsbegeleider", "stage-mbo"]),
        ("gezinsbegeleiding", ["gezinsbegeleider"], ["woonbegeleider"]),
        ("begeleiding", ["begeleiding", "gezinsbegeleider", "pleegzorg"], ["teamcoach"]),
        ("coach", ["gezinscoach", "teamcoach"], ["gezinsbegeleider", "woonbegeleider"]),
        ("coaches", ["gezinscoach", "teamcoach"], ["gezinsbegeleider"]),
        ("gezinscoaches", ["gezinscoach"], ["teamcoach"]),
        ("gezinscoach", ["gezinscoach"], ["teamcoach", "gezinsbegeleider"]),
        ("jeugdhulpverlener", ["jeugdhulpverlener"], ["ambulant"]),
        ("hulpverlener", ["jeugdhulpverlener", "ambulant"], ["gezinsbegeleider"]),
        ("hulpverleners", ["jeugdhulpverlener", "ambulant"], []),
        ("psycholoog", ["gz"], ["psychiater"]),
        ("psychologen", ["gz"], []),
        ("pedagoog", ["orthopedagoog"], ["gz"]),
        ("orthopedagogen", ["orthopedagoog"], []),
        ("pedagogisch medewerker", ["pm", "stage-mbo"], ["begeleiding", "nachtdienst"]),
        ("medewerkers", ["pm", "stage-mbo", "begeleiding", "nachtdienst", "administratie"], ["jeugdbeschermer"]),
        ("zorg", ["groepsleider", "jeugdzorgwerker", "pleegzorg", "verpleegkundige", "administratie"], ["verzorgende", "secretaresse"]),
        ("jeugdzorg", ["groepsleider", "jeugdzorgwerker"], ["pleegzorg"]),
        ("werker", ["jeugdzorgwerker", "pleegzorg", "smw", "jongerenwerker", "mw", "administratie"], ["teamleider", "trainee"]),
        ("werk", ["pm", "jeugdhulpverlener", "smw"], ["teamleider", "verpleegkundige"]),
        ("pleegouders", ["jeugdzorgwerker", "pleegzorg"], ["gezinsbegeleider"]),
        ("gezin", ["gezinsbegeleider", "gezinscoach", "jeugdzorgwerker", "ambulant"], ["teamleider"]),
        ("crisis", ["meeloop"], ["jeugdbeschermer"]),
        ("stage", ["stage-sph", "stage-mbo"], ["trainee", "meeloop"]),
        ("stages", ["stage-sph", "stage-mbo"], ["trainee"]),
        ("stagiair", ["stage-sph"], ["stage-mbo"]),
        ("afstudeerstage", ["stage-sph"], ["stage-mbo"]),
        ("trainee", ["trainee"], ["stage-sph"]),
        ("meeloopdag", ["meeloop"], ["stage-mbo"]),
        ("meeloopdagen", ["meeloop"], []),
        ("nachtdienst", ["nachtdienst"], ["pm"]),
        ("nachtdiensten", ["nachtdienst"], ["pm"]),
        ("dienst", ["nachtdienst", "meeloop", "pm"], ["groepsleider"]),
        ("leider", ["teamleider", "groepsleider"], ["woonbegeleider", "gezinsbegeleider", "stage-mbo"]),
        ("teamleider", ["teamleider"], ["groepsleider", "teamcoach"]),
        ("jongeren", ["begeleiding", "pm", "groepsleider", "gz"], ["jeugdbeschermer"]),
        ("jongerenwerker", ["jongerenwerker"], ["mw"]),
        ("therapeut", ["vaktherapeut"], ["psychiater"]),
        ("therapie", ["vaktherapeut"], []),
        ("psychiater", ["psychiater"], ["gz"]),
        ("jeugdpsychiatrie", ["verpleegkundige"], ["psychiater"]),
        ("maatschappelijk werker", ["mw", "smw"], ["jongerenwerker"]),
        ("wijkteam", ["mw"], ["smw"]),
        ("deskundige", ["ervaringsdeskundige"], []),
        ("ervaringsdeskundigen", ["ervaringsdeskundige"], []),
        ("behandeling", ["orthopedagoog", "groepsleider", "psychiater"], ["secretaresse"]),
        ("gezinshuis", ["jeugdzorgwerker"], ["pleegzorg"]),
        ("intensieve hulp", ["gezinsbegeleider"], ["ambulant", "groepsleider"]),
        ("jeugd-ggz", ["gz"], ["psychiater"]),
        ("GGZ", ["gz"], []),
        ("LVB", ["ambulant", "orthopedagoog"], ["gz"]),
        ("verzorging", ["verzorgende"], ["groepsleider"]),
    ]

    static func insert(_ store: Store) async throws -> [UUID: String] {
        let organisation = try await store.organisations.create(
            NewOrganisation(slug: "altra", name: "Altra", kind: .careProvider, municipality: .amsterdam), by: nil)
        var keys: [UUID: String] = [:]
        for posting in Self.postings {
            let id = try await store.pool.query(
                """
                INSERT INTO posting (organisation_id, status, published_at, kind, title, places, municipality_slug, description)
                VALUES (\(organisation.id), 'published', now(), 'vacancy', \(posting.title), 1, 'amsterdam', \(posting.description))
                RETURNING id
                """
            ).first(decoding: UUID.self)
            keys[try #require(id)] = posting.key
        }
        return keys
    }

    static func found(_ store: Store, _ text: String, keys: [UUID: String]) async throws -> Set<String> {
        var filter = PostingFilter()
        filter.text = text
        return Set(try await store.postings.search(filter, viewer: .visitor).postings.compactMap { keys[$0.id] })
    }

    @Test func everyQueryOfTheRelevanceSetFindsWhatItMustAndNotWhatItMustNot() async throws {
        #expect(Self.relevance.count >= 40)
        try await TestDatabase.withStore { store in
            let keys = try await Self.insert(store)
            var wrong: [String] = []
            for (query, finds, missing) in Self.relevance {
                let found = try await Self.found(store, query, keys: keys)
                let lost = finds.subtracting(found).sorted()
                let extra = found.intersection(missing).sorted()
                if !lost.isEmpty || !extra.isEmpty {
                    wrong.append("\(query): misses \(lost), finds \(extra) (found \(found.sorted()))")
                }
            }
            #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        }
    }

    /// A word a later posting brings is found as a compound at once: the words are kept
    /// by the statement that writes the posting, not by a job.
    @Test func aNewPostingsCompoundsAreFoundAtOnce() async throws {
        try await TestDatabase.withStore { store in
            let keys = try await Self.insert(store)
            #expect(try await Self.found(store, "mentor", keys: keys) == ["trainee"])
            let id = try #require(try await store.pool.query(
                """
                INSERT INTO posting (organisation_id, status, published_at, kind, title, places, municipality_slug, description)
                SELECT organisation_id, 'published', now(), 'vacancy', 'Praktijkmentor', 1, 'amsterdam', 'Voor onze leerlingen.'
                FROM posting LIMIT 1 RETURNING id
                """).first(decoding: UUID.self))
            var all = keys
            all[id] = "praktijkmentor"
            #expect(try await Self.found(store, "mentor", keys: all) == ["trainee", "praktijkmentor"])
            // An edited title brings its words too.
            _ = try await store.pool.query("UPDATE posting SET title = 'Leerwerkmentor' WHERE id = \(id)")
            #expect(try await Self.found(store, "mentoren", keys: all) == ["trainee", "praktijkmentor"])
        }
    }

    @Test func aSearchThatFindsNothingOffersOnesThatDo() async throws {
        try await TestDatabase.withStore { store in
            _ = try await Self.insert(store)
            func offered(_ text: String, _ change: (inout PostingFilter) -> Void = { _ in }) async throws -> [SearchSuggestion] {
                var filter = PostingFilter()
                filter.text = text
                change(&filter)
                #expect(try await store.postings.search(filter, viewer: .visitor).total == 0, "\(text)")
                return try await store.postings.suggestions(for: filter, viewer: .visitor)
            }
            // A typo: the word the texts use.
            let typo = try await offered("jeugdhulpverlner")
            #expect(typo.map(\.reason) == [.spelling] && typo.first?.filter.text == "jeugdhulpverlener" && typo.first?.total == 1)
            let typos = try await offered("gezinscoahc")
            #expect(typos.first?.filter.text == "gezinscoach")
            // Not a word like another: no correction is made up.
            #expect(try await offered("xylofoon").isEmpty)
            // Two words that do not meet: each alone, the one finding most first.
            let two = try await offered("psychiater nachtdienst")
            #expect(two.map(\.reason) == [.without(word: "psychiater"), .without(word: "nachtdienst")] || two.map(\.reason) == [.without(word: "nachtdienst"), .without(word: "psychiater")])
            #expect(two.allSatisfy { $0.total == 1 })
            // A place's name: the place as the filter, the typo corrected too.
            let place = try await offered("jeugdhulpverlner amsterdam")
            #expect(place.first?.reason == .inMunicipality(.amsterdam))
            #expect(place.first?.filter.text == "jeugdhulpverlener" && place.first?.filter.municipality == .amsterdam)
            // Filters that leave nothing: the words without them.
            let filtered = try await offered("coach") { $0.kind = .internship }
            #expect(filtered.map(\.reason) == [.withoutFilters] && filtered.first?.total == 2 && filtered.first?.filter.kind == nil)
            // A draft's words are never offered: a suggestion must find a listed posting.
            _ = try await store.pool.query(
                """
                INSERT INTO posting (organisation_id, status, kind, title, places, municipality_slug, description)
                SELECT organisation_id, 'draft', 'vacancy', 'Muziektherapeut', 1, 'amsterdam', 'Geheim.' FROM posting LIMIT 1
                """)
            #expect(try await offered("muziektherapeutt").isEmpty)
        }
    }
}
