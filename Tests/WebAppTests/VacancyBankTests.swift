import Domain
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Hummingbird
import HummingbirdTesting
import PQ
import Store
import TestSupport
import Testing
import WebApp

/// Creates postings straight through the store, published unless said otherwise.
func makePosting(
    _ store: Store, organisation slug: String, kind: Posting.Kind = .vacancy, title: String,
    description: String = "Een mooie plek in de jeugdhulp.", status: Posting.Status = .published,
    discipline: Discipline? = nil, level: EducationLevel? = nil, municipality: Municipality = .amsterdam,
    hours: ClosedRange<Int>? = nil, function: String? = nil, places: Int? = nil, closing: Day? = nil,
    internalUntil: Day? = nil, duo: Bool = false
) async throws -> Posting {
    let organisation = try #require(try await store.organisations.find(slug: slug))
    let details = PostingDetails(
        kind: kind, title: title, functionCode: function, discipline: discipline, educationLevel: level,
        hoursMin: hours?.lowerBound, hoursMax: hours?.upperBound, municipality: municipality, closingDate: closing,
        places: places ?? (kind.hasPlaces ? 5 : nil), description: description, duoSuitable: duo, internalUntil: internalUntil)
    let posting = try await store.postings.create(details, organisation: organisation.id, by: nil)
    if status == .draft { return posting }
    _ = try await store.postings.setStatus(posting.id, organisation: organisation.id, to: .published, by: nil)
    if status != .published { _ = try await store.postings.setStatus(posting.id, organisation: organisation.id, to: status, by: nil) }
    return try #require(try await store.postings.find(id: posting.id))
}

func day(_ offset: Int) -> Day {
    Day(Date().addingTimeInterval(Double(offset) * 86_400))
}

@Suite("The vacancy bank: listing, search and filters")
struct VacancySearchTests {
    @Test func searchFindsByDutchStem() async throws {
        try await TestApp.withDemo { browser, store in
            let zoekt = try await makePosting(store, organisation: "altra", title: "Team Zuidas zoekt versterking",
                                              description: "Wij zoeken niets bijzonders.")
            let begeleiders = try await makePosting(store, organisation: "cordaan", title: "Vier begeleiders nachtdienst Xylofoon")
            let page = try await browser.get("/vacatures?q=zoeken")
            #expect(page.body.contains(zoekt.details.title))
            let plural = try await browser.get("/vacatures?q=begeleider%20xylofoon")
            #expect(plural.body.contains(begeleiders.details.title))
            #expect(plural.body.contains("1 resultaat"))
            let none = try await browser.get("/vacatures?q=qqqwwweee")
            #expect(none.body.contains("0 resultaten"))
            #expect(none.body.contains("Er is niets gevonden"))
            // Strange input is just text.
            let strange = try await browser.get("/vacatures?q=%27%29%3B%20DROP%20TABLE%20posting%3B%20--%20%3C%26%3E%21%3A*%7C")
            #expect(strange.status == .ok)
        }
    }

    /// The demo's own example word finds the compounds; a typo offers the word the
    /// postings use, a link that finds them; a place's name offers the place's filter.
    @Test func compoundsTyposAndPlacesOnThePage() async throws {
        try await TestApp.withDemo { browser, store in
            let woon = try await makePosting(store, organisation: "altra", title: "Woonbegeleider Oost", municipality: .diemen)
            let begeleider = try await browser.get("/vacatures?q=begeleider")
            #expect(begeleider.body.contains(woon.details.title))

            let typo = try await browser.get("/vacatures?q=woonbegeleidr")
            #expect(typo.body.contains("0 resultaten"))
            #expect(typo.body.contains(#"Bedoelde je: <a href="/vacatures?q=woonbegeleider">woonbegeleider</a>? (1 resultaat)"#))
            let followed = try await browser.get("/vacatures?q=woonbegeleider")
            #expect(followed.body.contains(woon.details.title) && followed.body.contains("1 resultaat"))

            let place = try await browser.get("/vacatures?q=woonbegeleider%20diemen")
            #expect(place.body.contains("Wel iets gevonden voor"))
            let inDiemen = try #require(place.body.range(of: #"<li><a href="/vacatures?q=woonbegeleider&amp;gemeente=diemen">woonbegeleider in Diemen</a>: 1 resultaat</li>"#))
            let without = try #require(place.body.range(of: #"<li><a href="/vacatures?q=woonbegeleider">woonbegeleider (zonder ‘diemen’)</a>: 1 resultaat</li>"#))
            #expect(inDiemen.lowerBound < without.lowerBound)
            // Nothing like it anywhere: no suggestion is made up.
            let none = try await browser.get("/vacatures?q=qqqwwweee")
            #expect(!none.body.contains("Bedoelde je") && !none.body.contains("Wel iets gevonden"))
            #expect(none.body.contains("Probeer een ander woord of minder filters."))
        }
    }

    @Test func eachFilterNarrows() async throws {
        try await TestApp.withDemo { browser, store in
            let marker = "Filtertest Quokka"
            _ = try await makePosting(store, organisation: "altra", kind: .vacancy, title: "\(marker) een", discipline: .ggz,
                                      level: .wo, municipality: .diemen, hours: 32...36, function: "gedragswetenschapper", duo: true)
            _ = try await makePosting(store, organisation: "cordaan", kind: .internship, title: "\(marker) twee", discipline: .lvb,
                                      level: .mbo, municipality: .amsterdam, hours: 16...24, function: "pedagogisch-medewerker")
            _ = try await makePosting(store, organisation: "spirit", kind: .shadowDay, title: "\(marker) drie", discipline: .jeugdhulp,
                                      municipality: .aalsmeer)
            func titles(_ query: String) async throws -> [String] {
                let body = try await browser.get("/vacatures?q=quokka&" + query).body
                return ["een", "twee", "drie"].filter { body.contains("\(marker) \($0)") }
            }
            #expect(try await titles("") == ["een", "twee", "drie"])
            #expect(try await titles("soort=stage") == ["twee"])
            #expect(try await titles("soort=meeloopdag") == ["drie"])
            #expect(try await titles("organisatie=altra") == ["een"])
            #expect(try await titles("functie=pedagogisch-medewerker") == ["twee"])
            #expect(try await titles("discipline=ggz") == ["een"])
            #expect(try await titles("niveau=mbo") == ["twee"])
            #expect(try await titles("gemeente=aalsmeer") == ["drie"])
            #expect(try await titles("uren_min=30") == ["een", "drie"])
            #expect(try await titles("uren_max=20") == ["twee", "drie"])
            #expect(try await titles("duobaan=ja") == ["een"])
            #expect(try await titles("soort=onzin&gemeente=nergens") == ["een", "twee", "drie"], "unknown values are ignored")
        }
    }

    @Test func closedDraftFilledAndExpiredPostingsNeverList() async throws {
        try await TestApp.withDemo { browser, store in
            let open = try await makePosting(store, organisation: "altra", title: "Zichtbaar Okapi")
            let draft = try await makePosting(store, organisation: "altra", title: "Concept Okapi", status: .draft)
            let closed = try await makePosting(store, organisation: "altra", title: "Gesloten Okapi", status: .closed)
            let filled = try await makePosting(store, organisation: "altra", title: "Vervuld Okapi", status: .filled)
            let expired = try await makePosting(store, organisation: "altra", title: "Verlopen Okapi", closing: day(-2))
            let list = try await browser.get("/vacatures?q=okapi")
            #expect(list.body.contains(open.details.title))
            for hidden in [draft, closed, filled, expired] {
                #expect(!list.body.contains(hidden.details.title), "\(hidden.details.title)")
            }
            let api = try await browser.get("/api/v1/postings?q=okapi")
            #expect(api.body.contains(open.details.title))
            #expect(!api.body.contains("Concept Okapi"))
            // A draft's page is not found; an expired one says it is closed and takes no application.
            #expect(try await browser.get("/vacatures/\(draft.id.uuidString.lowercased())").status == .notFound)
            let expiredPage = try await browser.get("/vacatures/\(expired.id.uuidString.lowercased())")
            #expect(expiredPage.status == .ok)
            #expect(expiredPage.body.contains("is gesloten"))
            try await browser.login("professional@doorstroom.test")
            try await browser.get("/vacatures/\(expired.id.uuidString.lowercased())")
            let refused = try await browser.post(
                "/vacatures/\(expired.id.uuidString.lowercased())/solliciteren", [("motivation", "Ik wil hier heel graag werken.")])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("is gesloten"))
            #expect(try await store.applications.mine(try #require(try await store.accounts.find(email: "professional@doorstroom.test")).id)
                .filter { $0.postingID == expired.id }.isEmpty)
        }
    }

    @Test func internalPostingsOnlyForMembersProfessionals() async throws {
        try await TestApp.withDemo { browser, store in
            let hidden = try await makePosting(store, organisation: "cordaan", title: "Intern Wombat", internalUntil: day(5))
            let id = hidden.id.uuidString.lowercased()
            #expect(!(try await browser.get("/vacatures?q=wombat").body.contains("Intern Wombat")), "visitor")
            #expect(try await browser.get("/vacatures/\(id)").status == .notFound)
            #expect(!(try await browser.get("/vacatures.atom?q=wombat").body.contains("Intern Wombat")))
            try await browser.login("student@doorstroom.test")
            #expect(!(try await browser.get("/vacatures?q=wombat").body.contains("Intern Wombat")), "student")
            #expect(try await browser.get("/vacatures/\(id)").status == .notFound)
            let professional = Browser(browser.client)
            try await professional.login("professional@doorstroom.test")
            let page = try await professional.get("/vacatures?q=wombat")
            #expect(page.body.contains("Intern Wombat"))
            #expect(page.body.contains("Intern</span>"))
            let detail = try await professional.get("/vacatures/\(id)")
            #expect(detail.status == .ok)
            #expect(!detail.body.contains("application/ld+json"), "internal postings carry no public JSON-LD")
        }
    }

    @Test func pagingKeepsTheFilters() async throws {
        try await TestApp.withDemo { browser, store in
            for index in 1...23 {
                _ = try await makePosting(store, organisation: "spirit", title: "Paginatest Lynx \(index)", municipality: .uithoorn)
            }
            let first = try await browser.get("/vacatures?q=lynx&gemeente=uithoorn")
            #expect(first.body.contains("23 resultaten"))
            #expect(first.body.contains("Pagina 1 van 2"))
            #expect(first.body.contains("href=\"/vacatures?q=lynx&amp;gemeente=uithoorn&amp;pagina=2\""))
            let second = try await browser.get("/vacatures?q=lynx&gemeente=uithoorn&pagina=2")
            #expect(second.body.components(separatedBy: "Paginatest Lynx").count - 1 == 3)
            let newest = try await browser.get("/vacatures?q=lynx&sortering=nieuw")
            #expect(newest.body.contains("Paginatest Lynx 23"))
        }
    }
}

@Suite("The vacancy bank: pages, feed and JSON-LD")
struct VacancyPageTests {
    @Test func jsonLDParsesAndCarriesTheRequiredFields() async throws {
        try await TestApp.withDemo { browser, store in
            var posting = try await makePosting(
                store, organisation: "altra", title: "Gedragswetenschapper </script><script>alert(1)</script>",
                description: "Eerste alinea.\n\n- punt een\n- punt twee", level: .wo, hours: 28...32, closing: day(20))
            let organisation = try #require(try await store.organisations.find(slug: "altra"))
            var details = posting.details
            details.salaryScale = 11
            posting = try #require(try await store.postings.update(posting.id, organisation: organisation.id, details: details))
            let page = try await browser.get("/vacatures/\(posting.id.uuidString.lowercased())")
            #expect(page.status == .ok)
            #expect(!page.body.contains("<script>alert(1)</script>"))
            #expect(page.body.contains("<li>punt een</li>"))
            let start = try #require(page.body.range(of: "<script type=\"application/ld+json\">"))
            let rest = page.body[start.upperBound...]
            let end = try #require(rest.range(of: "</script>"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(rest[..<end.lowerBound].utf8)) as? [String: Any])
            #expect(json["@type"] as? String == "JobPosting")
            #expect(json["title"] as? String == posting.details.title)
            #expect((json["description"] as? String)?.contains("punt een") == true)
            #expect(json["datePosted"] is String)
            #expect((json["validThrough"] as? String)?.hasPrefix(day(20).iso) == true)
            #expect((json["hiringOrganization"] as? [String: Any])?["name"] as? String == "Altra")
            let location = try #require(json["jobLocation"] as? [String: Any])
            #expect((location["address"] as? [String: Any])?["addressLocality"] as? String == "Amsterdam")
            #expect(json["employmentType"] as? String == "PART_TIME")
            #expect(((json["baseSalary"] as? [String: Any])?["value"] as? [String: Any])?["name"] as? String == "CAO Jeugdzorg schaal 11")
        }
    }

    @Test func theAtomFeedIsValidXMLWithOneEntryPerListedPosting() async throws {
        try await TestApp.withDemo { browser, store in
            for index in 1...3 {
                _ = try await makePosting(store, organisation: "altra", title: "Feedtest Narwal & co <\(index)>")
            }
            let feed = try await browser.get("/vacatures.atom?q=narwal")
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType]?.hasPrefix("application/atom+xml") == true)
            let parser = XMLParser(data: Data(feed.body.utf8))
            let counter = EntryCounter()
            parser.delegate = counter
            #expect(parser.parse(), "the feed is well-formed XML")
            #expect(counter.entries == 3)
            #expect(counter.titles.contains("Feedtest Narwal & co <2>"))
            let list = try await browser.get("/vacatures?q=narwal")
            #expect(list.body.contains("3 resultaten"))
            let all = try await browser.get("/vacatures.atom")
            let allCounter = EntryCounter()
            let allParser = XMLParser(data: Data(all.body.utf8))
            allParser.delegate = allCounter
            #expect(allParser.parse())
            #expect(allCounter.entries == 20, "one page of the list")
        }
    }
}

final class EntryCounter: NSObject, XMLParserDelegate {
    var entries = 0
    var titles: [String] = []
    private var inEntryTitle = false
    private var depthInEntry = 0
    private var current = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "entry" { entries += 1; depthInEntry = 1 }
        if name == "title", depthInEntry > 0 { inEntryTitle = true; current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inEntryTitle { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "title", inEntryTitle { titles.append(current); inEntryTitle = false }
        if name == "entry" { depthInEntry = 0 }
    }
}
